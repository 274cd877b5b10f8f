"""Field labels on a line: the vocabulary (data, not code) matched word by word, OCR-tolerant."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from tradeverify.domain import Word
from tradeverify.extract.lines import BIG_GAP, Line, fold_token
from tradeverify.extract.normalize import currency_codes
from tradeverify.extract.vocab import (
    abbreviations,
    field_labels,
    generic_date_labels,
    ignored_labels,
    read_only_labels,
)

# The pseudo-field of captions that contain a field's caption but name none ("Sub Total").
IGNORED = "_ignored"
# The pseudo-field of a bare "Date" caption: the main date of the document's type.
GENERIC_DATE = "_date"
# A caption of two words or more may start after this smaller gap (see ``_late_caption``).
LATE_CAPTION_GAP = 1.5
# OCR words may be slightly misread; a token this similar (0-100) to a label token still counts.
FUZZY_TOKEN = 80.0
# An ISO-4217-like code printed after a money caption ("Total amount EUR", "Amount USD").
_CURRENCY_CODE = re.compile(r"\(?[A-Z]{3}\)?")
MONEY_FIELDS = frozenset({"total_amount", "unit_price"})
# A box number printed before a caption on carrier forms ("1  Shipper", "(12) IMO No.").
_BOX_NUMBER = re.compile(r"\(?\d{1,2}\)?")
# A dotted leader between a caption and its value ("Commodity ........ soybeans").
_LEADER = re.compile(r"[.\u2026_]{3,}:?")
# Separators of a compound caption naming two fields ("Vessel / Voy. No.": "SEA LANTERN / 214E").
COMPOUND = frozenset({"/", "&"})
# Fields whose caption keeps its meaning whatever qualifies it: a "Product Description" is a
# description of the goods, an "Operating Carrier" the carrier (see ``_head_caption``). Not so a
# price ("Total Price") or a date ("Due Date"), whose qualifier names another field.
HEADED_FIELDS = frozenset({"goods_description", "carrier_name"})
# A head word read after its qualifier must be this long: "Dangerous Goods" is no description.
MIN_LAST_HEAD = 7
MIN_SUFFIX_HEAD = 6  # the head ending a compound ("Artikelbeschreibung": "beschreibung")
HEAD_CAPTION_WORDS = 4
# Words that join a head to its qualifier after it ("Description des marchandises").
_JOINING = frozenset({"of", "de", "des", "du", "del", "van", "der", "di", "do", "da"})


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
    variants[IGNORED] = ignored_labels()
    variants[GENERIC_DATE] = generic_date_labels()
    labels = [
        Label(name, text, i, tuple(fold_token(t) for t in text.split()))
        for name, texts in variants.items()
        for i, text in enumerate(texts)
    ]
    return tuple(sorted(labels, key=lambda lb: (-len(lb.tokens), -len(lb.text))))


def reset_vocabulary() -> None:
    """Forget the vocabulary and every index built from it (after the label files change)."""
    for cached in (vocabulary, _abbreviations, _by_first_token, _vocabulary_order, _ocr_candidates,
                   _by_joined_tokens, _heads):  # fmt: skip
        cached.cache_clear()


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
    part_x0s: tuple[float, ...] = ()  # where each part's own caption starts (compound only)
    boxed: bool = False  # its value is under it: a numbered form box ("5  B/L No."), a header

    @property
    def field(self) -> str:
        """The field the label names."""
        return self.label.field


# Characters OCR confuses with each other ("B/L" read "BIL", "No" read "N0") fold to one class.
_OCR_CLASSES = str.maketrans({"/": "l", "|": "l", "1": "l", "i": "l", "!": "l", "0": "o"})


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    return abbreviations()


def token_eq(word: Word, token: str) -> bool:
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
        if token_eq(word, tokens[k]):
            k += 1
        elif word.conf < 1.0 and k + 1 < len(tokens) and _joined_eq(word, tokens[k], tokens[k + 1]):
            k += 2
        elif slashed := _slashed(word, tokens, k):
            k += slashed
        else:
            return None
        j += 1
    return j


def _slashed(word: Word, tokens: tuple[str, ...], k: int) -> int:
    """Return how many tokens from ``k`` a word spells with its slashes ("SHIPPER/EXPORTER"), or 0."""
    parts = fold_token(word.text).split("/")
    if len(parts) < 2 or not all(parts):
        return 0
    spelled = tuple(t for part in parts for t in (part, "/"))[:-1]
    return len(spelled) if tokens[k:k + len(spelled)] == spelled else 0


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
        hit = (match_at(line, index, i) or _head_caption(line, index, i)) if starts else (
            _late_caption(line, index, i) or _translated_caption(line, index, i))
        if hit is not None:
            if starts and line.gap(i) <= BIG_GAP and _chinese_caption(line.words[i - 1]):
                hit = replace(hit, start=i - 1, x0=line.words[i - 1].x0)  # both halves, one caption
            elif starts and line.gap(i) <= BIG_GAP:  # the box number is part of the caption, not a value
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
    the value ("Port Said"), so it does only with its colon.
    """
    if line.gap(i) <= LATE_CAPTION_GAP:
        return None
    hit = match_at(line, index, i)
    if hit is None or not hit.strong:
        return None
    # One word may be the value's own ("Port Said") unless its colon makes it a caption
    # ("Vessel: GLOBAL VOYAGER   Voyage: V-202").
    if len(hit.label.tokens) < 2 and not line.words[hit.end - 1].text.endswith(":"):
        return None
    return hit


def _translated_caption(line: Line, index: int, i: int) -> LabelHit | None:
    """Return a caption printed after its translation and a slash ("Total de bultos / Total packages:").

    Bilingual paperwork prints a caption in the local language, "/", then in English, and the
    vocabulary may know only one half. The hit spans both; it needs its colon, and the words
    before the slash must be words, not figures (a value such as "GALIL / HAIFA 54" is none).
    """
    if i < 2 or line.words[i - 1].text != "/":
        return None
    start = i - 1
    while start > 0 and line.gap(start) <= BIG_GAP:
        start -= 1
    before = line.words[start:i - 1]
    if not before or any(ch.isdigit() for w in before for ch in w.text):
        return None
    hit = match_at(line, index, i)
    if hit is None or not hit.strong or not line.words[hit.end - 1].text.endswith(":"):
        return None
    return replace(hit, start=start, x0=line.words[start].x0)


@lru_cache(maxsize=1)
def _heads() -> dict[str, Label]:
    """Return the one-word labels of the headed fields by their folded word ("description")."""
    return {label.tokens[0]: label for label in reversed(vocabulary())
            if label.field in HEADED_FIELDS and len(label.tokens) == 1 and label.tokens[0].isalpha()}


def _head_caption(line: Line, index: int, i: int) -> LabelHit | None:
    """Return a caption none of whose wordings is known but whose head word is a headed field's.

    A caption of up to four words ending at its colon or a big gap names what its head word
    names: the last word after its qualifiers ("Product Description", "Operating Carrier"),
    the first before a joining word ("Description des marchandises", "Descripción de la
    mercancía"), or the end of a compound ("Artikelbeschreibung", "Goederenomschrijving").
    """
    words = line.words
    end = i + 1
    while end < len(words) and end - i < HEAD_CAPTION_WORDS and line.gap(end) <= BIG_GAP \
            and not words[end - 1].text.endswith(":"):
        end += 1
    colon = words[end - 1].text.endswith(":")
    if not (colon or end == len(words) or line.gap(end) > BIG_GAP):
        return None
    folded = [fold_token(w.text) for w in words[i:end]]
    if not all(t.replace("-", "").replace("'", "").isalpha() for t in folded):
        return None
    label = _head_label(folded)
    if label is None:
        return None
    # Without its colon an unknown caption may head a row of them ("DESCRIPCIÓN DE LA MERCANCÍA
    # VALOR UNITARIO"): what stands beside it may be the next caption, so its value is under it.
    return LabelHit(label, index, i, end, words[i].x0, words[end - 1].x1, True, boxed=not colon)


def _head_label(folded: Sequence[str]) -> Label | None:
    """Return the headed field's label that the caption words' head word is, if any."""
    heads = _heads()
    if len(folded) == 1:
        word = folded[0]
        return next((label for head, label in heads.items()
                     if len(head) >= MIN_SUFFIX_HEAD and word.endswith(head) and word != head), None)
    last, first = folded[-1], folded[0]
    if len(last) >= MIN_LAST_HEAD and last in heads and not _JOINING & set(folded):
        return heads[last]
    # Ending at a joining word, the caption wraps on ("Description des" / "marchandises:"), and
    # its value lies under the rest of it, which a hit of one line cannot reach: no caption then.
    return heads.get(first) if folded[1] in _JOINING and last not in _JOINING else None


def _may_start_label(line: Line, i: int) -> bool:
    """Return True when word ``i`` starts a segment, or follows a box number that does."""
    if line.gap(i) > BIG_GAP:
        return True
    box = i - 1
    return box >= 0 and line.gap(box) > BIG_GAP and (
        _box_number(line.words[box]) or _chinese_caption(line.words[box]))


def _chinese_caption(word: Word) -> bool:
    """Return True for a word of Chinese only: a bilingual caption's first half ("船名航次 Vessel")."""
    return all("\u4e00" <= ch <= "\u9fff" for ch in word.text)


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
    is then split at its own separator (see :func:`tradeverify.extract.layout.read_values`).
    """
    parts = [hit]
    words = line.words
    while parts[-1].end < len(words):
        end = parts[-1].end
        separated = words[end].text in COMPOUND and end + 1 < len(words)
        nxt = match_at(line, index, end + 1 if separated else end)
        # Without a separator only the vessel's caption runs on into the voyage's ("Ocean
        # Vessel Voy. No."): the value is split by its shape (normalize.split_voyage).
        joint = nxt is not None and (parts[-1].field, nxt.field) == ("vessel_name", "voyage_number")
        if nxt is None or not (separated or joint):
            break
        if nxt.field == parts[-1].field:  # one caption in two languages ("Embarcador / Shipper")
            parts[-1] = replace(parts[-1], end=nxt.end, x1=nxt.x1, strong=nxt.strong, note=nxt.note)
            continue
        if nxt.field in {p.field for p in parts}:
            break
        parts.append(nxt)
    if len(parts) == 1:
        return parts  # a bilingual caption is one hit, widened over both languages
    last = parts[-1]
    # Captions set apart by big gaps head columns, so their value splits where each starts;
    # run together ("Ocean Vessel Voy. No."), they say nothing about where the value splits.
    apart = all(line.gap(p.start) > BIG_GAP for p in parts[1:])
    columns = tuple(p.x0 for p in parts) if apart else ()
    return [
        replace(
            p,
            start=hit.start,
            end=last.end,
            x0=hit.x0,
            x1=last.x1,
            strong=last.strong,
            note=last.note,
            part=k,
            parts=len(parts),
            part_x0s=columns,
        )
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
    if not found and "/" in folded:  # "SHIPPER/EXPORTER" may spell "Shipper / Exporter"
        found = index.get(folded.split("/")[0], ())
    expanded = _abbreviations().get(folded)
    if expanded is not None and expanded != folded:
        found = tuple(sorted({*found, *index.get(expanded, ())}, key=_vocabulary_order().__getitem__))
    return found


@lru_cache(maxsize=8192)
def _ocr_candidates(text: str) -> tuple[Label, ...]:
    """Return the labels an OCR word reading ``text`` may start, longest first.

    The OCR matches of :func:`token_eq` depend on the word's text alone, so they are worked
    out once per distinct text and first token (about 200 first tokens, far fewer than labels).
    """
    word = Word(text, 0.0, 0.0, 0.0, 0.0, 0, 0.0)
    firsts = {token for token in _by_first_token() if token_eq(word, token)}
    joined = set(_by_joined_tokens().get(_joined_key(fold_token(text)), ()))
    found = [label for label in vocabulary() if label.tokens[0] in firsts or label in joined]
    # Of labels as long, one the word spells exactly wins, then one it spells up to OCR's
    # look-alike characters, then a fuzzy one ("Date:" is "Date", not "Dated"; "BIL" is "B/L",
    # not "Bill"); sorted() is stable, so vocabulary order breaks the remaining ties.
    folded = fold_token(text)

    def closeness(label: Label) -> int:
        token = label.tokens[0]
        if token == folded:
            return 0
        return 1 if token.translate(_OCR_CLASSES) == folded.translate(_OCR_CLASSES) else 2

    return tuple(sorted(found, key=lambda lb: (-len(lb.tokens), closeness(lb))))


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


def match_at(line: Line, index: int, i: int) -> LabelHit | None:
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
        # unless it opens a compound caption ("Vessel / Voy.:") or a sum ("Totaal USD 1.234,00").
        if colon or alone or n >= 2 or _opens_compound(line, index, end, label.field) \
                or _sum_follows(words, end, label.field):
            strong = colon or alone
            return LabelHit(label, index, i, end, words[i].x0, words[end - 1].x1, strong, note)
    return None


def _sum_follows(words: Sequence[Word], end: int, field: str) -> bool:
    """Return True when a total's caption runs into a currency code and a figure ("EUR 1.234,00")."""
    if field != "total_amount" or end + 1 >= len(words):
        return False
    code, figure = words[end].text, words[end + 1].text
    return bool(currency_codes(code)) and code.isupper() and figure[:1].isdigit()


def _is_leader(word: Word) -> bool:
    """Return True for a dotted leader ("........"), which ends a caption like a colon."""
    return bool(_LEADER.fullmatch(word.text))


def _opens_compound(line: Line, index: int, end: int, field: str) -> bool:
    """Return True when a separator and another field's label follow word ``end - 1``.

    The vessel's caption needs no separator before the voyage's ("Vessel Voy. No.").
    """
    words = line.words
    if end < len(words) and field == "vessel_name":
        nxt = match_at(line, index, end)
        if nxt is not None and nxt.field == "voyage_number":
            return True
    if end + 1 >= len(words) or words[end].text not in COMPOUND:
        return False
    return match_at(line, index, end + 1) is not None


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
