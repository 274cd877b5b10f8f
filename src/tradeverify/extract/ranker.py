"""Template-free field reading: typed candidates, scored from their neighbourhood by a learned model.

A caption the vocabulary does not know ("Port of Origin", "Schiffsname", "Trip No.") leaves its
field unread by the caption rules. Here every value-like segment of a page is a candidate; each
field's parser says which fields it could be (a date, an amount, a known port, a vessel name),
and a multinomial linear model scores it from what surrounds it: the words to its left and the
segment above it (as words and character n-grams, so "Schiffsname" shares "schiff" with the
trained "Schiff"), its shape and its place on the page. The vocabulary's captions are one feature
among these, not the gate. Weights are learned by ``tradeverify_train.nlp.field_train`` and read from
JSON; this module is the one copy of the feature code, used by training and serving.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tradeverify.domain import Word
from tradeverify.extract.layout import Layout
from tradeverify.extract.linear import LinearModel, load_linear
from tradeverify.extract.norm import Norm
from tradeverify.extract.textgrams import grams, tokens
from tradeverify.extract.vocab import field_labels, read_only_labels

FEATURE_VERSION = 2
NONE = "none"  # the class of a segment that is no field's value
# Single-line scalar fields the scorer reads (lists, tables and wrapped text have their own readers).
RANKED_FIELDS = (
    "contract_number", "invoice_number", "bl_number", "voyage_number", "vessel_name", "imo_number",
    "contract_date", "invoice_date", "latest_shipment_date", "shipped_on_board_date", "issue_date",
    "seller_name", "buyer_name", "shipper_name", "consignee_name", "notify_party", "carrier_name",
    "port_of_loading", "port_of_discharge", "unit_price", "total_amount", "quantity", "currency",
    "incoterms", "hs_code", "gross_weight_kg", "net_weight_kg", "number_of_packages", "payment_terms",
)  # fmt: skip
# A line above a value is its caption's line when it lies at most this many line heights higher.
ABOVE_LINES = 2.5
Parser = Callable[[str], Norm]


@dataclass(frozen=True)
class Candidate:
    """A value-like segment of one line and its neighbourhood."""

    line: int
    words: tuple[Word, ...]
    left: str  # the words before it on its line: its caption when printed beside it
    above: str  # the segment over its start: its caption when printed above it

    @property
    def text(self) -> str:
        """Return the segment's words as printed."""
        return " ".join(w.text for w in self.words)


def candidates(layout: Layout) -> Iterator[Candidate]:
    """Yield every segment of the page outside running text and the items table."""
    skip = set(layout.prose) | (set(layout.table.lines) if layout.table else set())
    for index, line in enumerate(layout.lines):
        if index in skip:
            continue
        segments = line.segments()
        for k, segment in enumerate(segments):
            left: tuple[Word, ...] = segments[k - 1] if k else ()
            if k > 1 and _join(left) == ":":  # "LAYCAN  :  20-25 OCT": the caption is before the colon
                left = segments[k - 2] + left
            # "Caption: value" set without a column gap: the caption is the value's left part.
            cut = next((i + 1 for i, w in enumerate(segment[:-1]) if w.text.endswith(":")), 0)
            if cut:
                left, segment = segment[:cut], segment[cut:]
            if not all(_on_page(w) for w in segment):
                continue  # a degenerate page box: the word has no place to be scored by
            yield Candidate(index, segment, _join(left), _join(_above(layout, index, segment)))


def _on_page(word: Word) -> bool:
    """Return True when a word's box lies on its page (coordinates are page fractions)."""
    return -0.01 <= word.x0 <= 1.01 and -0.01 <= word.y0 <= 1.01


def _join(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in words)


def _above(layout: Layout, index: int, segment: Sequence[Word]) -> tuple[Word, ...]:
    """Return the segment of the nearest line above that spans the start of ``segment``."""
    line = layout.lines[index]
    x0 = segment[0].x0
    tol = 2 * line.char_width
    for j in range(index - 1, max(index - 3, -1), -1):
        above = layout.lines[j]
        if above.page != line.page or line.y0 - above.y1 > ABOVE_LINES * line.height:
            return ()
        for piece in above.segments():
            if piece[0].x0 - tol <= x0 <= piece[-1].x1 + tol:
                return piece
    return ()


_SHAPE_RUNS = re.compile(r"([a9])\1+")


def _shape(text: str) -> str:
    """Return a text's coarse shape: letters a, digits 9, runs collapsed ("SC-25-0052" -> "a-9-9")."""
    mapped = "".join("a" if c.isalpha() else "9" if c.isdigit() else c for c in text[:24])
    return _SHAPE_RUNS.sub(r"\1", mapped)


def candidate_features(cand: Candidate, fits: Sequence[str], doc_type: str) -> dict[str, float]:
    """Return one candidate's features: context words and n-grams, the fields it parses as, shape."""
    x0, y0 = cand.words[0].x0, cand.words[0].y0
    features: dict[str, float] = {f"d:{doc_type}": 1.0, f"shape:{_shape(cand.text)}": 1.0,
                                  f"x:{min(int(x0 * 3), 2)}": 1.0, f"y:{min(int(y0 * 4), 3)}": 1.0,
                                  f"n:{min(len(cand.words), 6)}": 1.0}  # fmt: skip
    for prefix, context in (("l", cand.left), ("a", cand.above)):
        for token in tokens(context):
            features[f"{prefix}w:{token}"] = 1.0
            flipped = reversed_fields(token)
            for name in flipped:
                features[f"{prefix}rev:{name}"] = 1.0
            for gram in () if flipped else grams(token):
                features[f"{prefix}g:{gram}"] = 1.0
        if not context:
            features[f"{prefix}:none"] = 1.0
    if cand.left.endswith(":"):
        features["colon"] = 1.0
    for name in fits:
        features[f"ok:{name}"] = 1.0
        features[f"ok:{name}:{doc_type}"] = 1.0
    for token in tokens(cand.text)[:4]:
        features[f"vw:{token}"] = 1.0
    return features


# A reversing prefix on a caption word of one field makes a word of its opposite: "Unloading" is
# not "Loading", "descarga" not "carga", "déchargement" not "chargement". Such a word gives a
# reversal feature instead of its n-grams, which are mostly the other field's.
REVERSING = ("un", "de", "des", "dis", "ent", "ont")
MIN_STEM = 4  # shorter remainders ("de" + "pot") are chance, not a caption word


@cache
def caption_words() -> dict[str, frozenset[str]]:
    """Return field -> the words (four letters or more) of the captions the extractor knows."""
    printed, read_only = field_labels(), read_only_labels()
    return {name: frozenset(t for label in [*printed.get(name, []), *read_only.get(name, [])]
                            for t in tokens(label) if len(t) >= MIN_STEM)
            for name in sorted(set(printed) | set(read_only))}  # fmt: skip


@cache
def reversed_fields(token: str) -> tuple[str, ...]:
    """Return the fields whose caption word ``token`` reverses ("unloading" -> port_of_loading)."""
    return tuple(name for name, words in caption_words().items() if token not in words and any(
        token.startswith(p) and token[len(p):] in words for p in REVERSING))


# Figures whose parsers read the first number of any text: a segment with more words after its
# number than a unit or a currency ("349 Commerce Street, Port Said") is no such figure.
FIGURES = frozenset({"unit_price", "total_amount", "quantity", "gross_weight_kg", "net_weight_kg",
                     "number_of_packages"})
FIGURE_WORDS = 2


def _words_after_number(words: Sequence[Word]) -> int:
    """Return how many words without a digit follow the segment's first word with one.

    A remark in brackets after the figure ("(PROVISIONAL, BASIS 300,000 BBL)") is not counted.
    """
    first = next((i for i, w in enumerate(words) if any(c.isdigit() for c in w.text)), len(words))
    after = list(itertools.takewhile(lambda w: not w.text.startswith("("), words[first + 1:]))
    return sum(not any(c.isdigit() for c in w.text) for w in after)


def typed(cand: Candidate, parsers: Mapping[str, Parser], names: Sequence[str]) -> dict[str, Norm]:
    """Return, per field of ``names``, the candidate's valid reading as that field's type."""
    out = {}
    figure = _words_after_number(cand.words) <= FIGURE_WORDS
    for name in names:
        if name in FIGURES and not figure:
            continue
        norm = parsers[name](cand.text)
        if norm.ok and norm.value not in (None, [], ""):
            out[name] = norm
    return out


@dataclass(frozen=True)
class Ranked:
    """A field value chosen by the scorer, with its probability."""

    norm: Norm
    words: tuple[Word, ...]
    probability: float


def rank_fields(
    layout: Layout, doc_type: str, wanted: Sequence[str], parsers: Mapping[str, Parser],
    model: LinearModel, floor: float, taken: set[int] | frozenset[int] = frozenset(),
    accept: Mapping[str, Callable[[Norm], bool]] | None = None, given: Mapping[str, object] | None = None,
    exclusive: bool = True, required: frozenset[str] = frozenset(),
) -> dict[str, Ranked]:
    """Return the best candidate of each wanted field that scores at least ``floor``.

    A candidate is scored only for the fields it parses as, never when another field already
    holds one of its words (ids in ``taken``), and it becomes at most one field's value (the
    most probable first). ``accept`` may refuse a field's value after scoring: a check on the
    value alone, which leaves the features, and so the model's inputs, as in training.
    ``given`` holds the values of fields read otherwise (by their captions): no candidate that
    reads otherwise is those fields either. With ``exclusive`` off, each candidate keeps its
    own probabilities whatever other candidates were given. A field of ``required`` (one every
    document of the type prints) that no candidate reached ``floor`` for goes to the candidate
    holding most of that field's mass on the page (see :func:`_one_per_document`).
    """
    names = [n for n in RANKED_FIELDS if n in parsers]
    scored: list[_Scored] = []
    for number, cand in enumerate(candidates(layout)):
        if any(id(w) in taken for w in cand.words):
            continue
        fits = typed(cand, parsers, names)
        if not fits or not set(fits) & set(wanted):
            continue
        probabilities = model.probabilities(candidate_features(cand, sorted(fits), doc_type))
        scored.append(_Scored(number, cand, fits, probabilities))
    checks = accept or {}
    options = [(item, name) for item in scored for name, norm in item.readings.items()
               if name in wanted and (name not in checks or checks[name](norm))]
    held = dict(given or {})
    chosen = _assign(options, floor, held, exclusive)
    return _one_per_document(options, floor, held, chosen, required) if required else chosen


@dataclass(frozen=True)
class _Scored:
    """A candidate with its readings as the fields it parses as and its probability of being each."""

    number: int
    cand: Candidate
    readings: dict[str, Norm]
    probabilities: dict[str, float]


# A candidate whose own probability of a field is below this is never given it by exclusion: a
# transit port with all its mass on discharge (0.99) is no loading port once discharge is held.
# Held-out captions leave real readings weak ('Origin Port: Genova' 0.17 loading), so it is low.
MIN_OWN = 0.05


def _assign(options: Sequence[tuple[_Scored, str]], floor: float, held: dict[str, object],
            exclusive: bool) -> dict[str, Ranked]:
    """Give each field its most probable candidate, the surest choice first.

    Once a field is given to one candidate, no other candidate can be it, so each other
    candidate's probabilities are conditioned on not being the chosen fields: "Origin Port:
    Lagos" (discharge 0.69, loading 0.30) is the loading port once "Destination Port: Jeddah"
    (discharge 0.99) is the discharge port. A candidate that reads as the value a chosen field
    already holds is a repeat of it and gains nothing. Fields read by their captions (``held``
    on entry) are chosen elsewhere in the same way. Not ``exclusive``: no conditioning at all.
    """
    chosen: dict[str, Ranked] = {}
    used: set[int] = set()
    while True:
        best: tuple[float, str, int, _Scored] | None = None
        for item, name in options:
            if item.number in used or name in held:
                continue
            probability = _conditional(item, name, held) if exclusive else item.probabilities.get(name, 0.0)
            if probability >= floor and (best is None or (-probability, name, item.number)
                                         < (-best[0], best[1], best[2])):
                best = (probability, name, item.number, item)
        if best is None:
            return chosen
        probability, name, number, item = best
        chosen[name] = Ranked(item.readings[name], item.cand.words, probability)
        held[name] = item.readings[name].value
        used.add(number)


# A required field goes to a candidate whose own (conditioned) probability is at least this, and
# which holds at least ``floor`` of the field's mass over every candidate that reads as it.
MIN_REQUIRED = 0.25


def _one_per_document(options: Sequence[tuple[_Scored, str]], floor: float, held: dict[str, object],
                      chosen: dict[str, Ranked], required: frozenset[str]) -> dict[str, Ranked]:
    """Give each required field still open to its likeliest candidate, if it stands out.

    A B/L names its carrier: when "Reederei: / Pacific Crest Shipping" is carrier 0.43 and no
    other line of the page is above 0.01, the page's one carrier is most likely that line.
    """
    used = {id(r.words) for r in chosen.values()}
    for name in sorted(required - set(held)):
        pool = [(_conditional(item, name, held), item) for item, n in options
                if n == name and id(item.cand.words) not in used]
        if not pool:
            continue
        best, item = max(pool, key=lambda pair: (pair[0], -pair[1].number))
        if best >= MIN_REQUIRED and best >= floor * sum(p for p, _ in pool):
            chosen[name] = Ranked(item.readings[name], item.cand.words, best)
            held[name] = item.readings[name].value
            used.add(id(item.cand.words))
    return chosen


def _conditional(item: _Scored, name: str, held: Mapping[str, object]) -> float:
    """Return P(candidate is ``name`` | it is none of the fields held by other candidates)."""
    own = item.probabilities.get(name, 0.0)
    if own < MIN_OWN:
        return own
    readings, probabilities = item.readings, item.probabilities
    excluded = sum(probabilities.get(other, 0.0) for other, value in held.items()
                   if other in readings and readings[other].value != value)
    return own / max(1.0 - excluded, own)


def load_ranker(path: Path) -> LinearModel | None:
    """Load the field scorer written by ``make fields``; None when the file is absent."""
    return load_linear(path, FEATURE_VERSION)
