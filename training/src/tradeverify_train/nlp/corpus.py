"""A generated world -> spaCy ``DocBin`` files annotated with PARTY, ADDRESS and GOODS spans.

Each digital document is read with the project's own ingest (``read_pages``) and grouped into
lines by the extractor's ``group_lines``, so the model sees text exactly as the extractor does.
Ground truth comes from ``truth/<id>/<stem>.json`` (party names, goods descriptions, item
descriptions) and the world's ``reference/companies.csv`` (the addresses printed under names).
Every printed occurrence of a truth string is found word by word, following a value that wraps
onto an aligned line below (narrow boxes, the items table); each printed piece becomes a span.

Pages are cut into windows of 1 to ``MAX_WINDOW`` lines, so the model learns from both short
snippets and longer blocks. Windows are drawn from a ``random.Random`` seeded per document and
submissions are split into train/dev by a seeded shuffle: the same world and seed give the
same bytes. Scanned documents are skipped: their OCR text does not align word for word.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from tradeverify.domain import Word
from tradeverify.errors import InputError
from tradeverify.extract.lines import ALIGN_CHARS, Line, group_lines
from tradeverify.ingest import read_pages
from tradeverify.nlp.text import lay_out, segment_bounds

LABELS = ("PARTY", "ADDRESS", "GOODS")
# Every company printed on the documents, the carrier included: PARTY means "a company name".
PARTY_FIELDS = (
    "seller_name", "buyer_name", "shipper_name", "consignee_name", "notify_party", "carrier_name",
)  # fmt: skip
MAX_WINDOW = 10
DEV_FRACTION = 0.2
# A wrapped value goes on within this many lines below (a line of another column may intervene).
WRAP_LOOKAHEAD = 2
_TRAILING = ",;:.)"


@dataclass(frozen=True)
class Target:
    """A truth string to find on a document, as printed words."""

    label: str
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Fragment:
    """Words ``start:end`` of ``lines[line]``: one printed piece of an entity."""

    line: int
    start: int
    end: int
    cut: int = 0  # characters of punctuation after the entity in its last word ("Ltd.,")


@dataclass
class CorpusStats:
    """What a corpus build found: documents, examples, spans per label and misses."""

    documents: int = 0
    examples: int = 0
    spans: Counter[str] = field(default_factory=Counter)
    unaligned: Counter[str] = field(default_factory=Counter)  # truth strings never found
    misaligned: int = 0  # spans not on token boundaries (dropped)

    def merge(self, other: CorpusStats) -> None:
        """Add another build's counts to these."""
        self.documents += other.documents
        self.examples += other.examples
        self.spans.update(other.spans)
        self.unaligned.update(other.unaligned)
        self.misaligned += other.misaligned

    def as_dict(self) -> dict[str, Any]:
        """Return the counts as plain JSON-able data."""
        return {
            "documents": self.documents, "examples": self.examples, "spans": dict(self.spans),
            "unaligned": dict(self.unaligned), "misaligned": self.misaligned,
        }  # fmt: skip


# --- targets ----------------------------------------------------------------------------------


def load_addresses(world: Path) -> dict[str, str]:
    """Return company name -> printed address from the world's ``reference/companies.csv``."""
    path = Path(world) / "reference" / "companies.csv"
    if not path.is_file():
        raise InputError(f"not a generated world (no {path.name}): {world}", file=str(path))
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["name"]: row["address"] for row in csv.DictReader(fh)}


def document_targets(fields: Mapping[str, Any], addresses: Mapping[str, str]) -> list[Target]:
    """Return the strings a document prints for its parties, their addresses and its goods."""
    found: dict[tuple[str, str], None] = {}  # ordered set: deterministic target order
    for name in PARTY_FIELDS:
        party = fields.get(name)
        if isinstance(party, str) and party.strip():
            found[("PARTY", party)] = None
            for line in addresses.get(party, "").splitlines():
                found[("ADDRESS", line.strip())] = None
    goods = [fields.get("goods_description")]
    goods += [item.get("description") for item in fields.get("line_items") or []]
    for text in goods:
        if isinstance(text, str) and text.strip():
            found[("GOODS", text)] = None
    return [Target(label, tuple(text.split())) for label, text in found if text.split()]


# --- alignment ----------------------------------------------------------------------------------


def _prefix(words: Sequence[Word], tokens: Sequence[str]) -> tuple[int, int]:
    """Return how many leading ``words`` spell the leading ``tokens``, and the characters to cut.

    Running text puts punctuation after a name ("... Co., Ltd., shall"): the last word may
    carry it, and the second number says how many characters of it are not the entity.
    """
    n = 0
    while n < min(len(words), len(tokens)):
        text, token = words[n].text, tokens[n]
        if text != token:
            tail = text[len(token) :] if text.startswith(token) else ""
            if n == len(tokens) - 1 and tail and not tail.strip(_TRAILING):
                return n + 1, len(tail)
            break
        n += 1
    return n, 0


def _segment_end(line: Line, index: int) -> int:
    """Return the end (exclusive) of the segment holding word ``index``."""
    return next(end for first, end in segment_bounds(line) if first <= index < end)


def _starts(line: Line, x0: float, line_start: bool) -> list[int]:
    """Return where a wrapped value may go on in ``line``: under its start, or at the line start.

    Boxes and table cells wrap under where the value starts; running text (clauses) wraps to
    the start of the next line, which ``line_start`` allows when the previous piece ended its line.
    """
    tol = ALIGN_CHARS * line.char_width
    starts = [i for i, w in enumerate(line.words) if abs(w.x0 - x0) <= tol][:1]
    return [0, *starts] if line_start and starts != [0] else starts


def _wrapped(
    lines: Sequence[Line], index: int, x0: float, rest: Sequence[str], line_end: bool
) -> list[Fragment] | None:
    """Return the pieces of ``rest`` printed on lines under ``lines[index]``.

    ``None`` when the rest is not there: a candidate start below must begin it.
    """
    for j in range(index + 1, min(index + 1 + WRAP_LOOKAHEAD, len(lines))):
        line = lines[j]
        if line.page != lines[index].page:
            return None
        starts = _starts(line, x0, line_end and j == index + 1)
        if not starts:
            continue  # a line of another column only
        for start in starts:
            n, cut = _prefix(line.words[start : _segment_end(line, start)], rest)
            if n == 0:
                continue
            piece = Fragment(j, start, start + n, cut)
            if n == len(rest):
                return [piece]
            more = _wrapped(lines, j, x0, rest[n:], start + n == len(line.words))
            if more is not None:
                return [piece, *more]
        return None
    return None


def find_occurrences(lines: Sequence[Line], tokens: Sequence[str]) -> list[tuple[Fragment, ...]]:
    """Return every printed occurrence of ``tokens``, each as its pieces (one per printed line)."""
    found: list[tuple[Fragment, ...]] = []
    for index, line in enumerate(lines):
        for first, end in segment_bounds(line):
            for start in range(first, end):
                n, cut = _prefix(line.words[start:end], tokens)
                if n == 0:
                    continue
                pieces = [Fragment(index, start, start + n, cut)]
                if n < len(tokens):
                    at_end = start + n == len(line.words)
                    more = _wrapped(lines, index, line.words[start].x0, tokens[n:], at_end)
                    if more is None:
                        continue
                    pieces.extend(more)
                found.append(tuple(pieces))
    return found


def annotate(
    lines: Sequence[Line], targets: Sequence[Target]
) -> tuple[list[tuple[Fragment, str]], set[Target]]:
    """Return non-overlapping labelled fragments and the targets never found.

    Longer targets claim their words first, so a name inside a longer string stays unlabelled.
    """
    used: set[tuple[int, int]] = set()
    spans: list[tuple[Fragment, str]] = []
    missed: set[Target] = set()
    for target in sorted(targets, key=lambda t: -len(t.tokens)):
        hits = 0
        for pieces in find_occurrences(lines, target.tokens):
            words = {(f.line, i) for f in pieces for i in range(f.start, f.end)}
            if words & used:
                continue
            used |= words
            spans.extend((f, target.label) for f in pieces)
            hits += 1
        if not hits:
            missed.add(target)
    return spans, missed


# --- documents -> examples ----------------------------------------------------------------------


def windows(count: int, rng: random.Random) -> list[range]:
    """Cut ``count`` lines into consecutive windows of 1 to ``MAX_WINDOW`` lines."""
    out: list[range] = []
    start = 0
    while start < count:
        size = rng.randint(1, MAX_WINDOW)
        out.append(range(start, min(count, start + size)))
        start += size
    return out


def window_doc(
    nlp: Language, lines: Sequence[Line], window: range, spans: Sequence[tuple[Fragment, str]],
    stats: CorpusStats,
) -> Doc:
    """Return the annotated Doc of the lines in ``window``."""
    laid = lay_out([lines[i] for i in window])
    first_word: dict[int, int] = {}  # line index -> index of its first word in ``laid``
    count = 0
    for i in window:
        first_word[i] = count
        count += len(lines[i].words)
    doc = nlp.make_doc(laid.text)
    ents: list[Span] = []
    for piece, label in spans:
        if piece.line not in first_word:
            continue
        base = first_word[piece.line]
        start = laid.offsets[base + piece.start][0]
        end = laid.offsets[base + piece.end - 1][1] - piece.cut
        span = doc.char_span(start, end, label=label)
        if span is None:
            stats.misaligned += 1
            continue
        ents.append(span)
        stats.spans[label] += 1
    doc.ents = sorted(ents, key=lambda s: s.start)
    return doc


def page_groups(lines: Sequence[Line]) -> list[list[Line]]:
    """Split lines into one list per page."""
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    return [pages[p] for p in sorted(pages)]


def document_docs(
    nlp: Language, pdf: Path, fields: Mapping[str, Any], addresses: Mapping[str, str],
    rng: random.Random,
) -> tuple[list[Doc], CorpusStats]:
    """Read one digital PDF and return its annotated window Docs and the build counts."""
    pages, _ = read_pages(pdf)
    stats = CorpusStats(documents=1)
    targets = document_targets(fields, addresses)
    docs: list[Doc] = []
    never = set(targets)
    for lines in page_groups(group_lines(w for page in pages for w in page.words)):
        spans, missed = annotate(lines, targets)
        never &= missed  # a target is unaligned only if it is missing on every page
        docs.extend(window_doc(nlp, lines, w, spans, stats) for w in windows(len(lines), rng))
    stats.unaligned.update(t.label for t in never)
    stats.examples = len(docs)
    return docs, stats


# --- worlds -> DocBins --------------------------------------------------------------------------


def digital_documents(world: Path) -> Iterator[tuple[str, str, Path, dict[str, Any]]]:
    """Yield ``(submission, stem, pdf, truth fields)`` for the world's digital PDFs, sorted."""
    truth_dir = Path(world) / "truth"
    if not truth_dir.is_dir():
        raise InputError(f"not a generated world (no truth/ folder): {world}", file=str(world))
    for path in sorted(truth_dir.glob("*/*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        pdf = Path(world) / "submissions" / path.parent.name / str(record.get("file", ""))
        if record.get("scanned") or pdf.suffix.lower() != ".pdf" or not pdf.is_file():
            continue
        yield path.parent.name, path.stem, pdf, dict(record.get("fields") or {})


def world_docs(world: Path, seed: int) -> tuple[dict[str, list[Doc]], CorpusStats]:
    """Return submission id -> annotated Docs of a generated world, and the counts."""
    nlp = spacy.blank("en")
    addresses = load_addresses(world)
    by_submission: dict[str, list[Doc]] = {}
    stats = CorpusStats()
    for submission, stem, pdf, fields in digital_documents(world):
        # Seeded per document, so a document's windows do not depend on what came before it.
        rng = random.Random(f"{seed}:{submission}:{stem}")
        docs, doc_stats = document_docs(nlp, pdf, fields, addresses, rng)
        by_submission.setdefault(submission, []).extend(docs)
        stats.merge(doc_stats)
    return by_submission, stats


def split_submissions(ids: Sequence[str], seed: int, dev_fraction: float = DEV_FRACTION) -> set[str]:
    """Return the submission ids held out for dev: a seeded shuffle, at least one."""
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    return set(shuffled[: max(1, round(len(shuffled) * dev_fraction))]) if shuffled else set()


def to_docbin(docs: Sequence[Doc]) -> DocBin:
    """Return a DocBin holding ``docs`` (entity annotation only, no user data)."""
    return DocBin(attrs=["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"], docs=docs, store_user_data=False)


def build_corpus(
    world: Path, out_dir: Path, seed: int, dev_fraction: float = DEV_FRACTION
) -> CorpusStats:
    """Write ``train.spacy`` and ``dev.spacy`` for a world, split by submission; return counts.

    Raises:
        InputError: ``world`` is not a generated world or has no digital document.

    """
    by_submission, stats = world_docs(world, seed)
    if not by_submission:
        raise InputError(f"no digital document with ground truth in {world}", file=str(world))
    dev = split_submissions(list(by_submission), seed, dev_fraction)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, keep in (("train", False), ("dev", True)):
        docs = [d for sid in sorted(by_submission) if (sid in dev) == keep for d in by_submission[sid]]
        to_docbin(docs).to_disk(out_dir / f"{name}.spacy")
    return stats


def build_eval_corpus(world: Path, path: Path, seed: int) -> CorpusStats:
    """Write every digital document of ``world`` into one DocBin at ``path``; return counts."""
    by_submission, stats = world_docs(world, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    to_docbin([d for sid in sorted(by_submission) for d in by_submission[sid]]).to_disk(path)
    return stats
