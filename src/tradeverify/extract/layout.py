"""Layout reading: words -> lines -> label occurrences -> values, and the line-items table.

Coordinates are page fractions, so x and y have different scales; horizontal distances are
therefore measured in "character widths" of the line (its ink width per character) and vertical
ones in line heights, which keeps every threshold independent of DPI, page size and font size.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz

from tradeverify.domain import PageText, Word
from tradeverify.extract.vocab import abbreviations, field_labels, read_only_labels

# A gap wider than this many character widths separates segments (columns, label | value);
# a word space is ~0.5 character widths, a column gap several.
BIG_GAP = 2.5
# A caption of two words or more may start after this smaller gap (see ``_late_caption``).
LATE_CAPTION_GAP = 1.5
# A same-line value farther right than this page fraction belongs to another column (layout B).
FAR_VALUE = 0.25
# Lines below a label: at most this many line heights under it (boxed label above value).
BELOW_LINES = 1.6
# Continuation lines: at most this many line heights under the previous value line.
CONTINUATION_LINES = 1.0
# x tolerance, in character widths, for "starts where the label / the value starts".
ALIGN_CHARS = 1.5
# Rows of a table: at most this many line heights apart (a blank line ends the table).
TABLE_GAP_LINES = 2.5
# A TOTAL row may stand further apart, below a rule (OCR heights are glyph heights, smaller).
TOTAL_GAP_LINES = 4.0
# Table cells: a gap of more than this many character widths ends a cell.
CELL_GAP = 1.2
# Header cells: a word space is ~0.5 character widths, so a wider gap separates two headers
# even where right- and left-aligned columns meet ("Qty  Unit").
HEADER_GAP = 0.9
# OCR words may be slightly misread; a token this similar (0-100) to a label token still counts.
FUZZY_TOKEN = 80.0
# Running text (contract clauses): a line with this many words in one segment reads as prose.
PROSE_WORDS = 12
# Paragraphs of one block: at most this many line heights apart (a paragraph gap is about one).
PARAGRAPH_LINES = 2.0
_STRIP = ":.#;"
# An ISO-4217-like code printed after a money caption ("Total amount EUR", "Amount USD").
_CURRENCY_CODE = re.compile(r"\(?[A-Z]{3}\)?")
MONEY_FIELDS = frozenset({"total_amount", "unit_price"})
# Paragraph numbers as printed or OCR'd: "1." "12)" "(a)" "b)" "(iv)" and "1," "2:". A letter
# with a full stop is not one: names start with initials ("A. P. Moller").
_ENUMERATOR = re.compile(r"\(?\d{1,2}[.,:;)]|\(?(?:[a-z]|[ivx]{1,4})\)")
# A box number printed before a caption on carrier forms ("1  Shipper", "(12) IMO No.").
_BOX_NUMBER = re.compile(r"\(?\d{1,2}\)?")
# A dotted leader between a caption and its value ("Commodity ........ soybeans").
_LEADER = re.compile(r"[.\u2026_]{3,}:?")
# Separators of a compound caption naming two fields ("Vessel / Voy. No.": "SEA LANTERN / 214E").
_COMPOUND = frozenset({"/", "&"})
# First words of a summary row ("TOTAL", "Grand Total"), which is no item and no list entry.
TOTAL_WORDS = frozenset({"total", "totals", "sum", "subtotal", "sub-total"})


def fold_token(text: str) -> str:
    """Lower-case a word and drop trailing ':' '.' '#' ';' (a bare "#" or ":" stays itself)."""
    lowered = text.lower()
    stripped = lowered.rstrip(_STRIP)
    return stripped if stripped else lowered[:1]


# --- lines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """Words of one printed line on one page, left to right."""

    page: int
    words: tuple[Word, ...]

    @property
    def x0(self) -> float:
        """Left edge."""
        return self.words[0].x0

    @property
    def y0(self) -> float:
        """Top edge."""
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        """Bottom edge."""
        return max(w.y1 for w in self.words)

    @property
    def height(self) -> float:
        """Median word height: robust to one tall word (a title beside a letterhead)."""
        return statistics.median(w.y1 - w.y0 for w in self.words)

    @property
    def char_width(self) -> float:
        """Average character width in x units, the line's horizontal yardstick."""
        chars = sum(len(w.text) for w in self.words)
        return sum(w.x1 - w.x0 for w in self.words) / max(chars, 1)

    @property
    def text(self) -> str:
        """The line's words joined by single spaces."""
        return " ".join(w.text for w in self.words)

    def gap(self, i: int) -> float:
        """Horizontal gap before word ``i`` in character widths (infinite for the first word)."""
        if i == 0:
            return float("inf")
        return (self.words[i].x0 - self.words[i - 1].x1) / max(self.char_width, 1e-9)

    def segments(self) -> list[tuple[Word, ...]]:
        """Split the line at big gaps (columns, label | value)."""
        out: list[list[Word]] = []
        for i, word in enumerate(self.words):
            if i == 0 or self.gap(i) > BIG_GAP:
                out.append([])
            out[-1].append(word)
        return [tuple(s) for s in out]


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Group words into lines by vertical overlap, per page, in reading order."""
    by_page: dict[int, list[Word]] = {}
    for word in words:
        by_page.setdefault(word.page, []).append(word)
    lines: list[Line] = []
    for page in sorted(by_page):
        lines.extend(_page_lines(page, by_page[page]))
    return lines


def _page_lines(page: int, words: list[Word]) -> list[Line]:
    """Return one page's lines, top to bottom."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        row = rows[-1] if rows else None
        if row is not None and _overlaps(row, word):
            row.append(word)
        else:
            rows.append([word])
    return [Line(page, tuple(sorted(r, key=lambda w: w.x0))) for r in rows]


def _overlaps(row: list[Word], word: Word) -> bool:
    """Return True when ``word`` overlaps the row's mean band by half the smaller height."""
    top = sum(w.y0 for w in row) / len(row)
    bottom = sum(w.y1 for w in row) / len(row)
    overlap = min(bottom, word.y1) - max(top, word.y0)
    return overlap >= 0.5 * min(bottom - top, word.y1 - word.y0)


# --- running text ---------------------------------------------------------------------------


def prose_lines(lines: Sequence[Line]) -> frozenset[int]:
    """Return the indexes of lines of running text: numbered clauses and long paragraphs.

    Free text quotes field names ("the Port of Loading", "Payment Terms: ...") and values; no
    field is read from it. A paragraph starts at a numbered line or at a long line of text, and
    goes on over the lines that follow it closely, aligned with it, until a line that opens with
    a label or a number of its own. A long line that opens with a label is a field with a long
    value, unless it sits inside running text (OCR may drop a clause's number).
    """
    prose: set[int] = set()
    index = 0
    while index < len(lines):
        if _starts_paragraph(lines[index], index):
            prose.add(index)
            index = _paragraph_end(lines, index, prose)
        else:
            index += 1
    for index, line in enumerate(lines):
        long = _text_words(line, index) >= PROSE_WORDS
        if index not in prose and long and _beside_prose(lines, index, prose):
            prose.add(index)
            _paragraph_end(lines, index, prose)
    return frozenset(prose)


def _numbered(line: Line) -> bool:
    """Return True when the line opens with a paragraph number ("1." "2)" "(a)", OCR "3:").

    A bare number ("3", its dot lost to OCR) counts only when it hangs apart from the text, as
    an address ("3 Harbour Road") starts with a bare number too.
    """
    if len(line.words) < 2:
        return False
    first = line.words[0].text.lower()
    if first.isdigit():
        return len(first) <= 2 and line.gap(1) > BIG_GAP
    return bool(_ENUMERATOR.fullmatch(first))


def _marker_words(line: Line, index: int) -> int:
    """Return how many leading words mark a paragraph: 1 for a number, 1-2 for a stub, else 0.

    OCR turns a small paragraph number into a stub ("aR", "oS DIO"): one or two short words
    standing apart before a long run of text count as an unreadable number (not a label).
    """
    if _numbered(line):
        return 1
    segments = line.segments()
    stub = segments[0]
    if len(segments) != 2 or len(segments[1]) < PROSE_WORDS or len(stub) > 2:
        return 0
    short = all(len(w.text) <= 4 for w in stub)
    return len(stub) if short and _match_at(line, index, 0) is None else 0


def _text_words(line: Line, index: int) -> int:
    """Return the words of a line that is one run of text (after its number), else 0."""
    segments = line.segments()
    marker = _marker_words(line, index)
    if marker and len(segments[0]) == marker:
        segments = segments[1:]
    return len(segments[0]) if len(segments) == 1 else 0


def _starts_paragraph(line: Line, index: int) -> bool:
    """Return True for a numbered line of text, or a long line of text not opening with a label."""
    if _marker_words(line, index):
        return _text_words(line, index) >= 4
    return _text_words(line, index) >= PROSE_WORDS and not _label_start(line, index)


def _close(upper: Line, lower: Line, lines: float = CONTINUATION_LINES) -> bool:
    """Return True when ``lower`` follows ``upper`` on the same page within ``lines`` heights."""
    return upper.page == lower.page and lower.y0 - upper.y1 <= lines * lower.height


def _paragraph_end(lines: Sequence[Line], start: int, prose: set[int]) -> int:
    """Add the continuation lines of the paragraph at ``start``; return the next line to scan."""
    first = lines[start]
    # Wrapped lines align with the text (hanging number) or with the number (flush).
    edges = {first.x0, first.words[_marker_words(first, start)].x0}
    previous = first
    for index in range(start + 1, len(lines)):
        line = lines[index]
        aligned = any(abs(line.x0 - x) <= ALIGN_CHARS * line.char_width for x in edges)
        if not _close(previous, line) or not aligned:
            return index
        if _starts_paragraph(line, index) or (_label_start(line, index) and not _sentence_end(line, index)):
            return index
        prose.add(index)
        previous = line
    return len(lines)


def _beside_prose(lines: Sequence[Line], index: int, prose: set[int]) -> bool:
    """Return True when the line above or below is running text (a paragraph gap away at most)."""
    above = index - 1 in prose and _close(lines[index - 1], lines[index], PARAGRAPH_LINES)
    below = index + 1 in prose and _close(lines[index], lines[index + 1], PARAGRAPH_LINES)
    return above or below


def _sentence_end(line: Line, index: int) -> bool:
    """Return True when the line ends a sentence with a full stop that no label has ("vessel.").

    A label with a colon ("Seller: Zenith Pte. Ltd.") is a field whatever its value ends with.
    """
    hit = _match_at(line, index, 0)
    stop = line.words[-1].text.endswith(".") and not any(w.text.endswith(":") for w in line.words)
    return stop and not (hit is not None and hit.label.text.endswith("."))


def _label_start(line: Line, index: int) -> bool:
    """Return True when the line opens with a strong label (the next field, not more text)."""
    hit = _match_at(line, index, 0)
    return hit is not None and hit.strong


# --- labels -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """One printed label variant of a field."""

    field: str
    text: str
    variant: int
    tokens: tuple[str, ...]


@lru_cache(maxsize=1)
def vocabulary() -> tuple[Label, ...]:
    """Return every field label, longest first (so "Unit Price" wins over "Price")."""
    printed = field_labels()
    variants = {name: [*texts, *read_only_labels().get(name, [])] for name, texts in printed.items()}
    labels = [
        Label(name, text, i, tuple(fold_token(t) for t in text.split()))
        for name, texts in variants.items()
        for i, text in enumerate(texts)
    ]
    return tuple(sorted(labels, key=lambda lb: (-len(lb.tokens), -len(lb.text))))


@dataclass(frozen=True)
class LabelHit:
    """A label found on a line: words ``start:end`` of ``lines[line]``."""

    label: Label
    line: int
    start: int
    end: int
    x0: float
    x1: float
    strong: bool  # ends with ':' or stands alone in its segment
    note: str = ""  # a remark printed in the caption: "(kg)", "(Metric Tons)", "EUR"
    part: int = 0  # this field's position in a compound caption ("Vessel / Voy. No.")
    parts: int = 1
    boxed: bool = False  # a numbered form box ("5  B/L No."): its value is under it

    @property
    def field(self) -> str:
        """The field the label names."""
        return self.label.field


# Characters OCR confuses with each other ("B/L" read "BIL", "No" read "N0") fold to one class.
_OCR_CLASSES = str.maketrans({"/": "l", "|": "l", "1": "l", "i": "l", "!": "l", "0": "o"})


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    return abbreviations()


def _token_eq(word: Word, token: str) -> bool:
    """Compare a page word with a label token; OCR words get a small fuzzy allowance."""
    folded = fold_token(word.text)
    if folded == token or _abbreviations().get(folded) == token:
        return True
    if word.conf >= 1.0:
        return False
    if folded.translate(_OCR_CLASSES) == token.translate(_OCR_CLASSES):
        return True
    if "." in token and folded.replace(".", "") == token.replace(".", ""):
        return True  # OCR drops the dots of abbreviations ("G.W." read "GW.")
    return len(token) >= 4 and fuzz.ratio(folded, token) >= FUZZY_TOKEN


def _match_words(words: Sequence[Word], i: int, tokens: tuple[str, ...]) -> int | None:
    """Return how many words from ``i`` spell ``tokens``, or None.

    OCR sometimes drops the space between two label words ("B/LNo."); such a word may stand
    for two consecutive tokens.
    """
    j = k = 0
    while k < len(tokens):
        if i + j >= len(words):
            return None
        word = words[i + j]
        if _token_eq(word, tokens[k]):
            k += 1
        elif word.conf < 1.0 and k + 1 < len(tokens) and _joined_eq(word, tokens[k], tokens[k + 1]):
            k += 2
        else:
            return None
        j += 1
    return j


def _joined_eq(word: Word, first: str, second: str) -> bool:
    """Return True when an OCR word is two label tokens run together ("B/LNo.", "Inv.Date")."""
    return _joined_key(fold_token(word.text)) == _joined_key(first + second)


def line_labels(line: Line, index: int) -> list[LabelHit]:
    """Return the labels on one line: each must start the line or follow a big gap.

    A box number before a caption ("7  Carrier") does not hide it, and a compound caption
    ("Ocean Vessel / Voy. No.") yields one hit per field it names.
    """
    hits: list[LabelHit] = []
    i = 0
    while i < len(line.words):
        starts = _may_start_label(line, i)
        hit = _match_at(line, index, i) if starts else _late_caption(line, index, i)
        if hit is not None:
            if starts and line.gap(i) <= BIG_GAP:  # the box number is part of the caption, not a value
                hit = _boxed(line, hit, i - 1)
            compound = _compound(line, index, hit)
            hits.extend(compound)
            i = compound[-1].end
        else:
            i += 1
    return hits


def _late_caption(line: Line, index: int, i: int) -> LabelHit | None:
    """Return a caption that follows the previous column's value closer than a big gap.

    A long value can run up to the next column's caption ("Jebel Ali, United Arab Emirates
    DISCHARGE PORT   Mersin"): a caption of two words or more, set off by a few spaces and
    standing alone before its own value, still starts there. A single word could be part of
    the value ("Port Said"), so it never does.
    """
    if line.gap(i) <= LATE_CAPTION_GAP:
        return None
    hit = _match_at(line, index, i)
    if hit is None or not hit.strong or len(hit.label.tokens) < 2:
        return None
    return hit


def _may_start_label(line: Line, i: int) -> bool:
    """Return True when word ``i`` starts a segment, or follows a box number that does."""
    if line.gap(i) > BIG_GAP:
        return True
    box = i - 1
    return box >= 0 and line.gap(box) > BIG_GAP and _box_number(line.words[box])


def _boxed(line: Line, hit: LabelHit, box: int) -> LabelHit:
    """Return ``hit`` widened over the box number before it.

    A printed box number marks a form box, whose value is under its caption. A speck OCR read
    before a caption does so only when the caption has no colon ("Seller:" keeps its value beside).
    """
    number = bool(_BOX_NUMBER.fullmatch(line.words[box].text))
    colon = line.words[hit.end - 1].text.endswith(":")
    return replace(hit, start=box, x0=line.words[box].x0, boxed=number or not colon)


def _box_number(word: Word) -> bool:
    """Return True for a box number; OCR may read a small one as any 1-2 characters ("11" "ir")."""
    return bool(_BOX_NUMBER.fullmatch(word.text)) or (word.conf < 1.0 and len(word.text) <= 2)


def _compound(line: Line, index: int, hit: LabelHit) -> list[LabelHit]:
    """Return the hits of a caption naming several fields ("A / B"), or just ``hit``.

    Every part spans the whole caption, so the value is looked for under all of it; the value
    is then split at its own separator (see :func:`read_values`).
    """
    parts = [hit]
    words = line.words
    while parts[-1].end + 1 < len(words) and words[parts[-1].end].text in _COMPOUND:
        nxt = _match_at(line, index, parts[-1].end + 1)
        if nxt is None or nxt.field in {p.field for p in parts}:
            break
        parts.append(nxt)
    if len(parts) == 1:
        return parts
    last = parts[-1]
    return [
        replace(p, start=hit.start, end=last.end, x0=hit.x0, x1=last.x1, strong=last.strong,
                note=last.note, part=k, parts=len(parts))
        for k, p in enumerate(parts)
    ]


@lru_cache(maxsize=1)
def _by_first_token() -> dict[str, tuple[Label, ...]]:
    """Return the labels by their first token, each list in vocabulary order (longest first)."""
    index: dict[str, list[Label]] = {}
    for label in vocabulary():
        index.setdefault(label.tokens[0], []).append(label)
    return {token: tuple(labels) for token, labels in index.items()}


@lru_cache(maxsize=1)
def _vocabulary_order() -> dict[Label, int]:
    return {label: k for k, label in enumerate(vocabulary())}


def _candidates(word: Word) -> tuple[Label, ...]:
    """Return the labels that may start at ``word``, longest first.

    Only labels whose first token the word can spell are tried, instead of all 490 (most of
    extraction's layout time went there): exactly or as an abbreviation for a text-layer word;
    for an OCR word also fuzzily, or as two tokens run together (see :func:`_ocr_candidates`).
    """
    if word.conf < 1.0:
        return _ocr_candidates(word.text)
    folded = fold_token(word.text)
    index = _by_first_token()
    found = index.get(folded, ())
    expanded = _abbreviations().get(folded)
    if expanded is not None and expanded != folded:
        found = tuple(sorted({*found, *index.get(expanded, ())}, key=_vocabulary_order().__getitem__))
    return found


@lru_cache(maxsize=8192)
def _ocr_candidates(text: str) -> tuple[Label, ...]:
    """Return the labels an OCR word reading ``text`` may start, longest first.

    The OCR matches of :func:`_token_eq` depend on the word's text alone, so they are worked
    out once per distinct text and first token (about 200 first tokens, far fewer than labels).
    """
    word = Word(text, 0.0, 0.0, 0.0, 0.0, 0, 0.0)
    firsts = {token for token in _by_first_token() if _token_eq(word, token)}
    joined = set(_by_joined_tokens().get(_joined_key(fold_token(text)), ()))
    return tuple(label for label in vocabulary() if label.tokens[0] in firsts or label in joined)


def _joined_key(text: str) -> str:
    """Return the form in which :func:`_joined_eq` compares a word with two tokens run together."""
    return text.replace(".", "").translate(_OCR_CLASSES)


@lru_cache(maxsize=1)
def _by_joined_tokens() -> dict[str, tuple[Label, ...]]:
    """Return the labels of two tokens or more by their first two tokens run together."""
    index: dict[str, list[Label]] = {}
    for label in vocabulary():
        if len(label.tokens) > 1:
            index.setdefault(_joined_key(label.tokens[0] + label.tokens[1]), []).append(label)
    return {key: tuple(labels) for key, labels in index.items()}


def _match_at(line: Line, index: int, i: int) -> LabelHit | None:
    """Return the longest acceptable label starting at word ``i``."""
    words = line.words
    for label in _candidates(words[i]):
        n = len(label.tokens)
        used = _match_words(words, i, label.tokens)
        if used is None:
            continue
        end, note = _caption_end(line, i + used, label.field)
        colon = words[end - 1].text.endswith(":") or _is_leader(words[end - 1])
        alone = end == len(words) or line.gap(end) > BIG_GAP
        # A single common word ("To", "Price") followed by more text is prose, not a label,
        # unless it opens a compound caption ("Vessel / Voy.:").
        if colon or alone or n >= 2 or _opens_compound(line, index, end):
            strong = colon or alone
            return LabelHit(label, index, i, end, words[i].x0, words[end - 1].x1, strong, note)
    return None


def _is_leader(word: Word) -> bool:
    """Return True for a dotted leader ("........"), which ends a caption like a colon."""
    return bool(_LEADER.fullmatch(word.text))


def _opens_compound(line: Line, index: int, end: int) -> bool:
    """Return True when a separator and another field's label follow word ``end - 1``."""
    words = line.words
    if end + 1 >= len(words) or words[end].text not in _COMPOUND:
        return False
    return _match_at(line, index, end + 1) is not None


def _caption_end(line: Line, end: int, name: str) -> tuple[int, str]:
    """Return where the caption of field ``name`` ends after its label words, and its remark.

    A detached colon ("Seller :") or a dotted leader belongs to the caption; so does a remark in
    brackets ("Gross Weight (kg)", "Consignee (if 'To Order' so indicate)") or, for money, a
    currency code ("Total amount EUR") ending its segment: the value follows the whole caption.
    """
    words = line.words
    while end < len(words) and (fold_token(words[end].text) in (":", "#") or _is_leader(words[end])):
        end += 1
    if end == len(words) or words[end - 1].text.endswith(":") or line.gap(end) > BIG_GAP:
        return end, ""
    if words[end].text.startswith("("):
        close = next((j for j in range(end, len(words)) if words[j].text.rstrip(":").endswith(")")), None)
        if close is not None and all(line.gap(j) <= BIG_GAP for j in range(end + 1, close + 1)):
            return _with_remark(line, end, close + 1)
    money = name in MONEY_FIELDS and _CURRENCY_CODE.fullmatch(words[end].text.rstrip(":"))
    if money and _segment_ends(line, end + 1):
        return _with_remark(line, end, end + 1)
    return end, ""


def _with_remark(line: Line, start: int, end: int) -> tuple[int, str]:
    """Return the caption end after a remark at ``start:end`` (a detached colon included)."""
    note = " ".join(w.text for w in line.words[start:end]).strip("():")
    if end < len(line.words) and fold_token(line.words[end].text) == ":":
        end += 1
    return end, note


def _segment_ends(line: Line, end: int) -> bool:
    """Return True when word ``end`` starts a new segment (or the line has ended)."""
    return end >= len(line.words) or line.gap(end) > BIG_GAP or fold_token(line.words[end].text) == ":"


# --- values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """The words read as a label's value, one tuple per printed line."""

    hit: LabelHit
    rows: tuple[tuple[Word, ...], ...]

    @property
    def words(self) -> tuple[Word, ...]:
        """All value words in reading order."""
        return tuple(w for row in self.rows for w in row)

    @property
    def text(self) -> str:
        """The value as one string (lines joined by a space)."""
        return " ".join(" ".join(w.text for w in row) for row in self.rows)


@dataclass
class Layout:
    """Lines, label occurrences and the items table of one document."""

    lines: list[Line]
    hits: list[LabelHit]
    table: Table | None = None
    _starts: dict[int, dict[int, LabelHit]] = field(default_factory=dict)

    prose: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        for hit in self.hits:
            self._starts.setdefault(hit.line, {})[hit.start] = hit

    def starts(self, line: int) -> dict[int, LabelHit]:
        """Return word index -> label hit for one line."""
        return self._starts.get(line, {})

    def free_segments(self) -> list[tuple[Word, ...]]:
        """Return the segments that hold no label and lie outside the items table.

        Pattern fallbacks search these when a field's label was not read (OCR drops small
        labels such as "Curr." more often than the values under them).
        """
        label_words = {
            id(w) for h in self.hits for w in self.lines[h.line].words[h.start : h.end]
        }
        skip = (set(self.table.lines) if self.table else set()) | self.prose
        return [
            segment
            for i, line in enumerate(self.lines)
            if i not in skip
            for segment in line.segments()
            if not any(id(w) in label_words for w in segment)
        ]

    def values(self, field_name: str, *, multiline: bool = False) -> list[Value]:
        """Return a value for every occurrence of ``field_name``'s labels, in reading order."""
        out = []
        for hit in self.hits:
            if hit.field == field_name:
                value = read_value(self, hit, multiline=multiline)
                if value is not None:
                    out.append(value)
        return out

    def candidates(
        self, field_name: str, *, multiline: bool = False, totals: bool = False
    ) -> list[list[Value]]:
        """Return, per occurrence of ``field_name``'s labels, its candidate values, best first."""
        found = (
            read_values(self, h, multiline=multiline, totals=totals)
            for h in self.hits
            if h.field == field_name
        )
        return [values for values in found if values]


def build_layout(pages: Sequence[PageText]) -> Layout:
    """Group the pages' words into lines, find the items table and every label."""
    lines = group_lines(w for page in pages for w in page.words)
    prose = prose_lines(lines)
    table = find_table(lines, prose)
    skip = (set(table.lines) if table else set()) | prose
    hits = [h for i, line in enumerate(lines) if i not in skip for h in line_labels(line, i)]
    return Layout(lines, hits, table, prose=prose)


def read_value(layout: Layout, hit: LabelHit, *, multiline: bool = False) -> Value | None:
    """Return the value of a label: right of it on its line, else on the line below it.

    With ``multiline``, aligned lines directly under the first value line are appended
    (wrapped descriptions, stacked container numbers); party addresses are never wanted.
    """
    values = read_values(layout, hit, multiline=multiline)
    return values[0] if values else None


def read_values(
    layout: Layout, hit: LabelHit, *, multiline: bool = False, totals: bool = False
) -> list[Value]:
    """Return the candidate values of a label: right of it on its line, then below it.

    The one below is the fallback when the words beside a label are not its value (OCR misread
    the next caption of a row of captions, "G.W." as "Gu."). With ``totals``, a column header's
    figure on a TOTAL row further down comes first (per-container rows, then their total).
    """
    bound = _column_bound(layout, hit)
    values = []
    beside, below = _same_line(layout, hit), _below(layout, hit, bound)
    # Beside a numbered box's caption is the next box's caption ("5 B/L No.  6 Booking No.").
    found = (below, beside) if hit.boxed else (beside, below)
    for first in (_total_below(layout, hit) if totals else None, *found):
        if first is None:
            continue
        line_index, row = first
        if hit.parts > 1:
            part = _part(row, hit)
            if part:
                values.append(Value(hit, (part,)))
            continue
        rows = [row]
        if multiline:
            rows.extend(_continuation(layout, line_index, row[0].x0, bound))
        values.append(Value(hit, tuple(rows)))
    return values


def _part(row: tuple[Word, ...], hit: LabelHit) -> tuple[Word, ...]:
    """Return the words of a compound caption's value that belong to ``hit``'s field.

    "SEA LANTERN / 214E" under "Ocean Vessel / Voy. No." splits at its "/"; a value printed
    without the separator is taken whole by the first field only.
    """
    pieces: list[list[Word]] = [[]]
    for word in row:
        if word.text in _COMPOUND:
            pieces.append([])
        else:
            pieces[-1].append(word)
    if len(pieces) == hit.parts and all(pieces):
        return tuple(pieces[hit.part])
    return row if hit.part == 0 else ()


def is_total(words: Sequence[Word]) -> bool:
    """Return True for the words of a summary row, left to right ("TOTAL", "Grand Total").

    "Grand" alone is no summary: goods are called that too ("Grand pianos").
    """
    first = fold_token(words[0].text) if words else ""
    if first == "grand":
        return len(words) > 1 and fold_token(words[1].text) in TOTAL_WORDS
    return first in TOTAL_WORDS


def _total_below(layout: Layout, hit: LabelHit) -> tuple[int, tuple[Word, ...]] | None:
    """Return the words under a column header on the TOTAL row that closes its column.

    The rows between header and total lie close together (a table); the total's figure is the
    word overlapping the header horizontally, so right-aligned columns are read right.
    """
    top = layout.lines[hit.line]
    tol = ALIGN_CHARS * top.char_width
    previous = top
    for index in range(hit.line + 1, len(layout.lines)):
        line = layout.lines[index]
        if line.page != top.page or line.y0 - previous.y1 > TOTAL_GAP_LINES * line.height:
            return None
        if is_total(line.words) and line.words[0].x1 < hit.x0:  # "TOTAL" heads an earlier column
            cell = tuple(w for w in line.words[1:] if w.x1 >= hit.x0 - tol and w.x0 <= hit.x1 + tol)
            return (index, cell) if cell else None
        previous = line
    return None


def _column_bound(layout: Layout, hit: LabelHit) -> float:
    """Return the x where the next label to the right on the label's line starts (or 1.0)."""
    right = [h.x0 for h in layout.starts(hit.line).values() if h.x0 > hit.x1]
    return min(right, default=1.0)


def _run(layout: Layout, index: int, start: int, bound: float) -> tuple[Word, ...]:
    """Return words from ``start`` rightwards until a big gap, a label or ``bound``."""
    line, starts = layout.lines[index], layout.starts(index)
    run: list[Word] = []
    for i in range(start, len(line.words)):
        word = line.words[i]
        if word.x0 >= bound or (run and (i in starts or line.gap(i) > BIG_GAP)):
            break
        run.append(word)
    return tuple(run)


def _same_line(layout: Layout, hit: LabelHit) -> tuple[int, tuple[Word, ...]] | None:
    """Return the value right of the label on its own line, if there is one nearby."""
    line = layout.lines[hit.line]
    if hit.end >= len(line.words) or hit.end in layout.starts(hit.line):
        return None
    if line.words[hit.end].x0 - hit.x1 > FAR_VALUE:
        return None
    run = _run(layout, hit.line, hit.end, 1.0)
    return (hit.line, run) if run else None


def _below(layout: Layout, hit: LabelHit, bound: float) -> tuple[int, tuple[Word, ...]] | None:
    """Return the value under the label: the first line below with a word in its x-range."""
    top = layout.lines[hit.line]
    tol = ALIGN_CHARS * top.char_width
    for index in range(hit.line + 1, len(layout.lines)):
        line = layout.lines[index]
        if line.page != top.page or line.y0 - top.y1 > BELOW_LINES * line.height:
            return None
        for i, word in enumerate(line.words):
            if hit.x0 - tol <= word.x0 <= hit.x1 and word.x0 < bound:
                if i in layout.starts(index):
                    return None  # the next field's label: this one has no value
                run = _run(layout, index, i, bound)
                return (index, run) if run else None
    return None


def _continuation(
    layout: Layout, index: int, x_start: float, bound: float
) -> list[tuple[Word, ...]]:
    """Return the wrapped lines under a value line that start where the value starts."""
    rows: list[tuple[Word, ...]] = []
    previous = layout.lines[index]
    for j in range(index + 1, len(layout.lines)):
        line = layout.lines[j]
        if line.page != previous.page or line.y0 - previous.y1 > CONTINUATION_LINES * line.height:
            break
        tol = ALIGN_CHARS * line.char_width
        if any(h.x0 <= x_start + tol for h in layout.starts(j).values()):
            break  # the next row of labels (a caption of another column does not end this one)
        aligned = [i for i, w in enumerate(line.words) if abs(w.x0 - x_start) <= tol]
        if not aligned:
            continue  # a line of another column; keep measuring from the last value line
        run = _run(layout, j, aligned[0], bound)
        if run and is_total(run):
            break  # a summary row closes a column of values
        if run:
            rows.append(run)
            previous = line
    return rows


# --- the line-items table -----------------------------------------------------------------------

TABLE_HEADERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "description": (("description",), ("goods",)),
    "hs_code": (("hs", "code"), ("h.s", "code"), ("hs",), ("customs", "tariff"), ("tariff",)),
    "quantity": (("quantity",), ("qty",)),
    "unit": (("unit",),),
    "unit_price": (("unit", "price"), ("price",), ("price/unit",)),
    "amount": (("amount",), ("total",), ("value",)),
    "item_no": (("no",), ("pos",), ("item",), ("sr",)),  # a row number: only as a cell of its own
}
_HEADER_TOKENS = sorted(
    ((key, tokens) for key, variants in TABLE_HEADERS.items() for tokens in variants),
    key=lambda kv: -len(kv[1]),
)


@dataclass(frozen=True)
class Column:
    """A table column: its key and the x-span of its header."""

    key: str
    x0: float
    x1: float


@dataclass(frozen=True)
class Table:
    """The items table: columns, the lines it spans and its rows (column key -> words)."""

    header_line: int
    columns: tuple[Column, ...]
    lines: tuple[int, ...]
    rows: tuple[dict[str, tuple[Word, ...]], ...]


def find_table(lines: Sequence[Line], prose: frozenset[int] = frozenset()) -> Table | None:
    """Find the items table: a header row (Description ... Amount) and the rows under it.

    Lines of running text (``prose``) are never a header, whatever column names they quote.
    """
    for index, line in enumerate(lines):
        if index in prose:
            continue
        columns = _header_columns(line)
        keys = {c.key for c in columns}
        if {"description", "amount"} <= keys and len(keys) >= 4:
            body = _table_body(lines, index, columns)
            rows = _table_rows([lines[i] for i in body], columns)
            return Table(index, columns, (index, *body), tuple(rows))
    return None


def _header_columns(line: Line) -> tuple[Column, ...]:
    """Match header names on a line into columns, one column per header cell.

    A cell is a run of words without a column gap, so "Unit  Price" in two cells are two
    columns while "Unit Price" is one. Cells that OCR ran together ("Qty Unit") split into one
    column per name, but a field caption naming two keys ("TOTAL QUANTITY", printed above its
    value) is no column header at all.
    """
    columns: list[Column] = []
    for cell in _cells(line, HEADER_GAP):
        tokens = tuple(fold_token(w.text) for w in cell)
        names = _cell_names(tokens)
        if len({key for key, _, _ in names}) > 1 and tokens in _caption_tokens():
            continue
        columns.extend(Column(key, cell[i].x0, cell[j - 1].x1) for key, i, j in names)
    return tuple(columns)


def _cell_names(tokens: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """Return ``(key, start, end)`` for the header names in one cell, longest names first."""
    found: list[tuple[str, int, int]] = []
    i = 0
    while i < len(tokens):
        for key, names in _HEADER_TOKENS:
            if key == "item_no" and len(tokens) > 1:
                continue  # "Item Description", "HS No.": the word qualifies another header
            if tokens[i : i + len(names)] == names:
                found.append((key, i, i + len(names)))
                i += len(names)
                break
        else:
            i += 1
    if len({key for key, _, _ in found}) == 1 and len(tokens) > 1:  # "Amount (USD)": one column
        return [(found[0][0], 0, len(tokens))]
    return found


@lru_cache(maxsize=1)
def _caption_tokens() -> frozenset[tuple[str, ...]]:
    """Return the folded tokens of every field label (captions, not column headers)."""
    return frozenset(label.tokens for label in vocabulary())


def _table_body(lines: Sequence[Line], header: int, columns: Sequence[Column]) -> list[int]:
    """Return the line indexes of the rows: until a blank gap or a label line.

    A table broken by a page break goes on at the top of the next page when that line is a
    row (cells in two or more item columns), since the header is not always repeated.
    """
    body: list[int] = []
    previous = lines[header]
    for index in range(header + 1, len(lines)):
        line = lines[index]
        if line.page != previous.page:
            if not _is_item_row(line, columns):
                break
        elif line.y0 - previous.y1 > TABLE_GAP_LINES * line.height:
            break
        if any(h.strong for h in line_labels(line, index)):
            break
        body.append(index)
        previous = line
    return body


def _is_item_row(line: Line, columns: Sequence[Column]) -> bool:
    """Return True when a line fills at least two columns other than the description."""
    keys = {key for cell in _cells(line) for key, _ in _assign(cell, columns)}
    return len(keys - {"description"}) >= 2


def _cells(line: Line, gap: float = CELL_GAP) -> list[tuple[Word, ...]]:
    """Split a row line into cells at gaps wider than ``gap`` character widths."""
    cells: list[list[Word]] = []
    for i, word in enumerate(line.words):
        if i == 0 or line.gap(i) > gap:
            cells.append([])
        cells[-1].append(word)
    return [tuple(c) for c in cells]


def _column_of(x0: float, x1: float, columns: Sequence[Column]) -> list[tuple[float, Column]]:
    """Return (overlap, column) pairs for a span, best first.

    Without any overlap the "overlap" is minus the distance, so the nearest column comes first.
    """
    return sorted(((min(x1, c.x1) - max(x0, c.x0), c) for c in columns), key=lambda t: -t[0])


def _assign(cell: tuple[Word, ...], columns: Sequence[Column]) -> list[tuple[str, Word]]:
    """Assign a cell to the column it overlaps; a cell spanning two columns goes word by word."""
    scored = _column_of(cell[0].x0, cell[-1].x1, columns)
    if len(cell) > 1 and len(scored) > 1 and scored[1][0] > 0:
        return [(_column_of(w.x0, w.x1, columns)[0][1].key, w) for w in cell]
    return [(scored[0][1].key, w) for w in cell]


def _table_rows(
    lines: Sequence[Line], columns: Sequence[Column]
) -> list[dict[str, tuple[Word, ...]]]:
    """Group row lines into rows; a line with only description text continues the row above."""
    rows: list[dict[str, list[Word]]] = []
    for line in lines:
        cells: dict[str, list[Word]] = {}
        for cell in _cells(line):
            for key, word in _assign(cell, columns):
                cells.setdefault(key, []).append(word)
        if rows and set(cells) <= {"description"}:
            rows[-1].setdefault("description", []).extend(cells.get("description", []))
        else:
            rows.append(cells)
    return [{k: tuple(v) for k, v in row.items()} for row in rows]
