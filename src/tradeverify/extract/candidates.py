"""Template-free readings: typed candidates scored from their neighbourhood, for fields no caption gave.

Caption reading (:mod:`~tradeverify.extract.layout`) is the first source of every field. A
document from an issuer whose captions the vocabulary does not know, or a till receipt that
prints none, still shows its values: a date, a total beside the word "total", the issuer's
name heading the page. This module lists every value of the right type on the page and scores
each from what surrounds it (the words on its line, its position, its shape); the best one
above a floor is taken, at a confidence that sends it to review.

The scores are sums of named features times weights (``*_WEIGHTS``), so each choice can be
explained and the weights can be fitted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tradeverify.domain import Word
from tradeverify.extract import normalize as nz
from tradeverify.extract.layout import Layout
from tradeverify.extract.lines import Line, fold_token
from tradeverify.extract.normalize import Norm

# Confidence multiplier of a candidate reading: below the review threshold on its own.
CANDIDATE_FACTOR = 0.55


@dataclass(frozen=True)
class Candidate:
    """One typed value found on the page, its words, features and score."""

    norm: Norm
    words: tuple[Word, ...]
    features: dict[str, float]
    score: float

    @property
    def raw(self) -> str:
        """The printed words of the value."""
        return " ".join(w.text for w in self.words)


def _score(features: dict[str, float], weights: dict[str, float]) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in features.items())


def best(candidates: Iterable[Candidate], floor: float = 0.0) -> Candidate | None:
    """Return the highest-scoring candidate above ``floor`` (the first of equals), else None."""
    top = None
    for cand in candidates:
        if cand.score > floor and (top is None or cand.score > top.score):
            top = cand
    return top


def _line_text(line: Line) -> str:
    return " ".join(w.text for w in line.words)


def _skip_lines(layout: Layout) -> set[int]:
    return (set(layout.table.lines) if layout.table else set()) | set(layout.prose)


# --- dates ------------------------------------------------------------------------------------

DATE_WORDS = frozenset("date dated datum data fecha tarikh 日期 issued invoice".split())
# Words of a line whose date is some other date (due, delivery, shipment, validity).
OTHER_DATE_WORDS = frozenset(
    "due delivery ship shipment shipped expiry valid validity until order ordered period from to "
    "contract vertrag contrat contrato b/l "
    "fällig fälligkeitsdatum lieferdatum échéance livraison vencimiento entrega vervaldatum".split()
)
DATE_WEIGHTS = {"date_word": 2.0, "other_date_word": -3.0, "top": 1.0, "first": 0.5, "base": 1.0}


def date_candidates(layout: Layout, used: set[int]) -> list[Candidate]:
    """Return every date printed outside the items table and running text, scored.

    A date on a line that says "date" scores higher; one on a line that names another date
    ("Due Date") lower; the top of the first page (where documents print their own date) a
    little higher.
    """
    out: list[Candidate] = []
    skip = _skip_lines(layout)
    for index, line in enumerate(layout.lines):
        if index in skip or line.page != layout.lines[0].page:
            continue
        for segment in line.segments():
            if any(id(w) in used for w in segment):
                continue
            norm = nz.parse_date(" ".join(w.text for w in segment))
            if not norm.ok:
                continue
            words = {fold_token(w.text) for w in line.words}
            features = {"base": 1.0, "date_word": float(bool(words & DATE_WORDS)),
                        "other_date_word": float(bool(words & OTHER_DATE_WORDS)),
                        "top": 1.0 - line.y0, "first": float(not out)}  # fmt: skip
            out.append(Candidate(norm, segment, features, _score(features, DATE_WEIGHTS)))
    return out


# --- totals -----------------------------------------------------------------------------------

_TOTAL = re.compile(r"(?<![a-z])(?:total|totaal|totale|summe|gesamt\w*|montant|importe|jumlah|合计|总计)",
                    re.IGNORECASE)
_DUE = re.compile(r"amount\s+(?:due|payable|paid)|to\s+be\s+paid|balance\s+due|net\s+[àa]\s+payer|"
                  r"te\s+betalen|a\s+pagar|grand|nett|net\s+am(?:oun)?t|rounded|incl|ttc|payable",
                  re.IGNORECASE)
_NOT_TOTAL = re.compile(r"sub|tax|gst|vat|mwst|tva|iva|btw|discount|excl|qty|quantity|items?\b|"
                        r"saving|before|ht\b|netto|weight|change|tendered|cash|points|deposit",
                        re.IGNORECASE)
# A receipt rounds its sum to the coin ("Rounding Adj -0.03"): the total after it is the one paid.
_ROUNDING = re.compile(r"\bround(?:ing|ed)?\b|\badj(?:ustment)?\b", re.IGNORECASE)
_ADJUSTED = re.compile(r"\bafter\s+(?:adj|round)", re.IGNORECASE)
ROUNDED_LINES = 2
# "several": a line of two sums or more is a summary table's row (GST summary: net, tax).
TOTAL_WEIGHTS = {"total_word": 2.0, "due_word": 1.5, "not_total_word": -2.5, "largest": 1.0,
                 "low": 0.5, "caption": 1.0, "after_rounding": 1.5, "several": -2.0}  # fmt: skip


def total_candidates(
    layout: Layout, used: set[int], numbers: nz.NumberStyle = nz.PLAIN_NUMBERS, *,
    captioned: frozenset[int] = frozenset(),
) -> list[Candidate]:
    """Return the amounts printed on lines that say "total" (or "amount due"), scored.

    The amount is the line's rightmost figure with decimals. "Grand", "amount due" and "incl."
    raise a line; "sub", "tax", "discount", "cash", "change" lower it (those are other sums).
    The largest of the total lines scores a little more: a grand total is not below its parts,
    and the figure a caption gave (ids in ``captioned``) a little more too.
    """
    found: list[tuple[float, tuple[Word, ...], dict[str, float]]] = []
    rounded = -ROUNDED_LINES - 1  # the last line that adjusts for rounding
    for index, line in enumerate(layout.lines):
        if index in layout.prose:
            continue  # a clause quoting a sum ("a penalty of 5 % of the total value, USD ...")
        text = _line_text(line)
        if _ROUNDING.search(text) and not _TOTAL.search(text):
            rounded = index
        if not _TOTAL.search(text) and not _DUE.search(text):
            continue
        figure = _rightmost_amount(line.words, numbers)
        if figure is None or any(id(w) in used for w in figure[1]):
            continue
        features = {"total_word": float(bool(_TOTAL.search(text))),
                    "due_word": float(bool(_DUE.search(text))),
                    "not_total_word": float(bool(_NOT_TOTAL.search(text))), "low": line.y0,
                    "after_rounding": float(index - rounded <= ROUNDED_LINES or bool(_ADJUSTED.search(text))),
                    "several": float(len(nz.find_amounts(text, **numbers.options())) > 1)}
        found.append((figure[0], figure[1], features))
    top = max((value for value, _, _ in found), default=None)
    out = []
    for value, words, features in found:
        features["largest"] = float(value == top)
        features["caption"] = float(any(id(w) in captioned for w in words))
        out.append(Candidate(Norm(value, True), words, features, _score(features, TOTAL_WEIGHTS)))
    return out


def _rightmost_amount(
    words: Sequence[Word], numbers: nz.NumberStyle
) -> tuple[float, tuple[Word, ...]] | None:
    """Return the rightmost money figure of a line and its words ("RM", "1 234,56" may be two).

    On a document that groups thousands with spaces the figure may span several words
    ("217 298 746,21"): the longest piece that reads as one amount is the figure.
    """
    widths = range(SPACED_WORDS, 0, -1) if numbers.space_groups else (1, 2)
    for end in range(len(words), 0, -1):
        for width in widths:
            if end - width < 0:
                continue
            piece = words[end - width:end]
            amounts = nz.find_amounts(_join(piece), **numbers.options())
            if len(amounts) == 1 and (width == 1 or " " in _join(piece)):
                return amounts[0], tuple(piece)
    return None


SPACED_WORDS = 5  # "1 234 567 890,12": a spaced figure of up to a billion


def _join(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in words)


# --- the issuer -------------------------------------------------------------------------------

_CONTACT = re.compile(r"\b(?:tel|fax|phone|e-?mail|www|http|gst|vat|reg|co\.?\s*no|company\s+no|"
                      r"tax\s+id|ust|siret|cif|nif|kvk|abn|uen)\b|@|\d{3,}", re.IGNORECASE)
_ADDRESS = re.compile(r"\b(?:jalan|jln|street|st\.|road|rd\.?|avenue|ave|lane|floor|suite|unit|"
                      r"straße|strasse|rue|calle|via|weg|straat|no\.|lot|block|taman|p\.?o\.?\s*box)\b",
                      re.IGNORECASE)
ISSUER_WEIGHTS = {"legal_form": 3.0, "upper": 1.0, "first": 1.5, "words": 0.5, "contact": -4.0,
                  "address": -3.0, "title": -5.0, "big": 1.5, "junk": -4.0, "two_lines": -0.5,
                  "starts_legal": -2.5, "registered": 2.0}  # fmt: skip
ISSUER_FLOOR = 2.0
ISSUER_LINES = 6  # the issuer heads the page: only the first lines are tried
_WORDLIKE = re.compile(r"[^\W\d_]{2,}[.,&)]*")


def issuer_candidates(layout: Layout, titles: frozenset[str] = frozenset()) -> list[Candidate]:
    """Return the first lines of page one (and pairs of them) as candidates for the issuer, scored.

    A name ends in a legal form ("SDN BHD", "GmbH"), is set in capitals or large type and heads
    the page; contact lines (phone, e-mail, tax number), addresses, the document's title and
    specks OCR read as letters do not. A name may wrap ("POPULAR BOOK" / "CO. (M) SDN BHD"):
    two lines whose second ends in a legal form are a candidate too.
    """
    first = [line for line in layout.lines if line.page == layout.lines[0].page][:ISSUER_LINES]
    caption_lines = {h.line for h in layout.hits}
    top_height = max((line.height for line in first), default=0.0)
    out: list[Candidate] = []
    for rank, line in enumerate(first):
        if layout.lines.index(line) in caption_lines:
            break  # below the first caption is the document's body, not its letterhead
        below = first[rank + 1] if rank + 1 < len(first) else None
        blocks = [(line.words, False)]
        if below is not None and layout.lines.index(below) not in caption_lines \
                and not _whole_name(_without_registration(below.words)):
            blocks.append(((*line.words, *below.words), True))
        # "First" is the first line that reads as words: a speck or a till number may head it.
        lead = not any(c.features["junk"] == 0.0 for c in out)
        number_below = below is not None and not _without_registration(below.words)
        big = line.height >= top_height * 0.95
        for block, two in blocks:
            words = _without_registration(block)
            features = _issuer_features(words, titles, lead, big) if words else None
            if features is None or (two and not features["legal_form"]):
                continue
            features["two_lines"] = float(two)
            features["registered"] = float(len(words) < len(block) or number_below)
            score = _score(features, ISSUER_WEIGHTS)
            out.append(Candidate(nz.parse_party(_join(words)), words, features, score))
    return out


def _without_registration(words: Sequence[Word]) -> tuple[Word, ...]:
    """Drop a company number printed in brackets after the name ("Golden Scoop Sdn Bhd (169669-A)").

    A bracket without digits is part of the name ("AEON CO. (M) BHD"). A line that is only a
    company number comes back empty; the name is then on the line above it.
    """
    for start in range(len(words) - 1, max(len(words) - REGISTRATION_WORDS, 0) - 1, -1):
        if words[start].text.startswith("("):
            tail = "".join(w.text for w in words[start:]).rstrip(",.;")
            if tail.endswith(")") and any(c.isdigit() for c in tail):
                return tuple(words[:start])
            break
    return tuple(words)


def _whole_name(words: Sequence[Word]) -> bool:
    """Return True for a line that is a name by itself ("Golden Scoop Sdn Bhd"), no wrapped half.

    A wrapped name's second line starts with its legal form ("CO. (M) SDN BHD") or names one
    word before it ("RESTAURANT SDN BHD" under "LIAN CHI PU TIAN VEGETARIAN").
    """
    if not words or not nz.is_legal_form(words[-1].text) or nz.is_legal_form(words[0].text):
        return False
    core = list(words)
    while core and (nz.is_legal_form(core[-1].text) or fold_token(core[-1].text) in _FORM_PARTS):
        core.pop()
    return len(core) >= WHOLE_NAME_WORDS


WHOLE_NAME_WORDS = 2  # words of a name before its legal form
_FORM_PARTS = frozenset({"sdn", "(m)", "pvt", "private", "public"})  # "Sdn Bhd", "(M) Bhd", "Pvt. Ltd."
REGISTRATION_WORDS = 3  # "(139386 X)", "(169669-A)": a company number takes a word or three


def _issuer_features(
    words: Sequence[Word], titles: frozenset[str], first: bool, big: bool
) -> dict[str, float] | None:
    """Return the issuer features of one line (or two), or None when it has hardly any letters."""
    text = _join(words)
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return None
    wordlike = sum(bool(_WORDLIKE.fullmatch(w.text)) for w in words) / len(words)
    return {
        "legal_form": float(nz.is_legal_form(words[-1].text)),
        "starts_legal": float(nz.is_legal_form(words[0].text)),  # "CO. (M) SDN BHD" continues a name
        "upper": float(sum(c.isupper() for c in letters) / len(letters) > 0.8),
        "first": float(first), "words": min(len(words), 6) / 6, "big": float(big),
        "contact": float(bool(_CONTACT.search(text))), "address": float(bool(_ADDRESS.search(text))),
        "title": float(names_a_title(text, titles)), "junk": float(wordlike < 0.6 or len(letters) < 5),
    }  # fmt: skip


def names_a_title(text: str, titles: frozenset[str]) -> bool:
    """Return True when ``text`` is a known title or holds one as whole words.

    Carriers qualify their form's title in ways no list holds ("THROUGH BILL OF LADING",
    "CONNAISSEMENT MARITIME"); it is still the title, not the issuer's name. A name ending in
    its legal form is a name whatever words it holds ("Invoice Masters Ltd").
    """
    words = text.upper().split()
    if text.upper() in titles:
        return True
    if not words or nz.is_legal_form(words[-1]):
        return False
    padded = f" {' '.join(words)} "
    return any(f" {title} " in padded for title in titles)


# --- the carrier's signature ------------------------------------------------------------------

_SIGNED_FOR = re.compile(r"\b(?:signed|issued|executed)\s+(?:for|by|on\s+behalf\s+of)\s+"
                         r"(?:and\s+on\s+behalf\s+of\s+)?(?:the\s+)?carrier\b[\s,:]*(?P<name>\S.*)$",
                         re.IGNORECASE)
_AS_CARRIER = re.compile(r"^(?:for\s+)?(?P<name>\S.*?),?\s+as\s+(?:the\s+)?carrier\b", re.IGNORECASE)
_ISSUED_BY = re.compile(r"^(?:issued|signed)\s+by\s+(?P<name>\S.*)$", re.IGNORECASE)
# Words between "signed for the carrier" and the name ("and on behalf of", "by").
_LEAD = re.compile(r"^(?:(?:and\s+)?on\s+behalf\s+of|for|by|issued\s+by|signed\s+by)\s+(?:the\s+carrier\s+)?",
                   re.IGNORECASE)


def carrier_signature(layout: Layout) -> Candidate | None:
    """Return the carrier a B/L is signed for ("Signed for the Carrier NORDSEE LINIE GmbH"), if printed."""
    for line in layout.lines:
        text = _line_text(line)
        match = _SIGNED_FOR.search(text) or _AS_CARRIER.search(text) or _ISSUED_BY.search(text)
        if match is None:
            continue
        name = _LEAD.sub("", match.group("name")).strip(" :,")
        norm = nz.parse_party(name)
        if norm.ok and any(nz.is_legal_form(w) for w in name.split()):
            words = tuple(w for w in line.words if w.text in name.split())
            return Candidate(norm, words, {"signature": 1.0}, 1.0)
    return None


# --- Incoterms without a caption --------------------------------------------------------------

# A rule followed by its named place or by "Incoterms" ("CIF Mombasa, Incoterms 2020"); a rule
# code before an identifier ("CIF B23847116", a Spanish tax number) is not one.
_RULE = re.compile(r"\b(EXW|FCA|CPT|CIP|DAP|DPU|DDP|FAS|FOB|CFR|CIF|C&F|CNF)\s+(?=[^\W\d_]{2,}(?![\w]*\d))")


def incoterm_candidates(layout: Layout) -> list[Candidate]:
    """Return every Incoterms rule printed before a place, scored: "Incoterms" beside it first."""
    out = []
    for index, line in enumerate(layout.lines):
        if (layout.table is not None and index in layout.table.lines) or index in layout.prose:
            continue  # running text is read as clauses (extract/clauses.py), not here
        text = _line_text(line)
        for match in _RULE.finditer(text):
            norm = nz.parse_incoterm(match.group(1))
            if norm.ok:
                features = {"incoterms_word": float("incoterms" in text.lower()),
                            "total_line": float(bool(_TOTAL.search(text)))}
                score = 1.0 + features["incoterms_word"] - 0.5 * features["total_line"]
                out.append(Candidate(norm, line.words, features, score))
    return out


# --- weights and counts under a column caption ------------------------------------------------

BELOW_LINES = 4  # a particulars table's first row, under its caption row


def figure_below(
    layout: Layout, field: str, parse: Callable[[str], Norm], *, past_captions: bool = True
) -> Candidate | None:
    """Return the first value under ``field``'s caption that overlaps it and parses.

    Carriers' particulars tables print "88,352.000 KGS" right-aligned under "GROSS WEIGHT", so it
    starts left of the caption: any word overlapping the caption's span belongs to its column.
    Without ``past_captions``, a line holding a caption is skipped (text parses as any field).
    """
    for hit in (h for h in layout.hits if h.field == field):
        top = layout.lines[hit.line]
        for index in range(hit.line + 1, min(len(layout.lines), hit.line + 1 + BELOW_LINES)):
            line = layout.lines[index]
            if line.page != top.page:
                break
            if not past_captions and layout.starts(index):
                continue
            for segment in line.segments():
                if segment[0].x0 <= hit.x1 and segment[-1].x1 >= hit.x0:
                    norm = parse(_join(segment))
                    if norm.ok:
                        return Candidate(norm, segment, {"below_caption": 1.0}, 1.0)
    return None


# --- a reference printed after the title ------------------------------------------------------

_NUMBER_WORDS = frozenset({"no", "nr", "n°", "nº", "number", "#", "num", ":", "n"})


def title_reference(layout: Layout, title_index: dict[tuple[str, ...], tuple[str, str]]) -> Candidate | None:
    """Return the reference printed after the title ("COMMERCIAL INVOICE NO. LGM-INV-25-0611").

    ``title_index`` maps folded title tokens to ``(doc_type, title)`` (the classifier's index).
    """
    longest = max(map(len, title_index), default=0)
    caption_starts = {(h.line, h.start) for h in layout.hits}
    for number, line in enumerate(layout.lines):
        if line.page != layout.lines[0].page or line.y0 > TITLE_ZONE:
            break
        start = 0
        for segment in line.segments():
            keys = tuple(fold_token(w.text) for w in segment)
            captioned, start = (number, start) in caption_starts, start + len(segment)
            if captioned:
                continue  # "Invoice No.: 123" is a caption, read as one
            if keys in title_index and number + 1 < len(layout.lines):
                below = _numbered(layout.lines[number + 1].segments()[0])  # "KAUFVERTRAG" / "Nr. 77"
                if below is not None:
                    return below
            n = next((n for n in range(min(longest, len(keys) - 1), 0, -1) if keys[:n] in title_index), 0)
            rest = list(segment[n:]) if n else []
            while rest and fold_token(rest[0].text) in _NUMBER_WORDS:
                rest.pop(0)
            norm = nz.parse_code(_join(rest)) if rest else None
            if norm is not None and norm.ok:
                return Candidate(norm, tuple(rest), {"after_title": 1.0}, 1.0)
    return None


TITLE_ZONE = 0.4  # as the classifier's: the top of the first page


def _numbered(segment: tuple[Word, ...]) -> Candidate | None:
    """Return the code of a line under a title that starts with a number word ("No. GLS-PC-25-041")."""
    words = list(segment)
    if not words or fold_token(words[0].text) not in _NUMBER_WORDS:
        return None
    while words and fold_token(words[0].text) in _NUMBER_WORDS:
        words.pop(0)
    norm = nz.parse_code(words[0].text) if words else None
    if norm is None or not norm.ok:
        return None
    return Candidate(norm, (words[0],), {"after_title": 1.0}, 1.0)
