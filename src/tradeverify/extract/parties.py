"""Parties a contract names in its running text by the role it gives them.

"This Contract is made by and between SELANGOR PALM REFINERS SDN BHD, Lot 7, ... (hereinafter
called "the Seller") and AL NOOR FOOD INDUSTRIES LLC, ... (hereinafter called "the Buyer")";
"zwischen Hanseatische Metallhandel GmbH, ... – nachstehend „Verkäufer“ – und ..."; "De una parte,
VIÑA LOS AROMOS S.A., con domicilio en ..., en adelante «el Vendedor»". No caption names these
parties: the designation after the name does, in the languages the caption lexicon covers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tradeverify.domain import Word
from tradeverify.extract import normalize as nz
from tradeverify.extract.layout import Layout
from tradeverify.extract.lines import Line
from tradeverify.extract.norm import Norm

ROLES = {
    "seller_name": "seller|vendor|verkäufer|verkaeufer|vendeur|vendeuse|vendedor|verkoper|venditore",
    "buyer_name": "buyer|purchaser|käufer|kaeufer|acheteur|acheteuse|comprador|koper|acquirente",
}
# "hereinafter (called|referred to as) "the Seller"", "nachstehend „Verkäufer“", "ci-après
# dénommée « le Vendeur »", "en adelante «el Vendedor»", "hierna te noemen "Verkoper"": a
# designation opens with one of these and names the role within a few words.
_DESIGNATION = re.compile(
    r"(?:here\s*in\s*after|nachstehend|im\s+folgenden|ci-apr[èe]s|en\s+adelante|en\s+lo\s+sucesivo|"
    r"hierna|di\s+seguito)\W+(?:\w+\W+){0,4}?(?P<role>" + "|".join(ROLES.values()) + r")\b",
    re.IGNORECASE)
# Words that introduce a party. A strong opener ("between", "zwischen", "De una parte,") names
# the party after it; a weak one ("and", "und", "en") only when no strong one precedes the
# designation, and then the first that is followed by a name.
_STRONG = re.compile(
    r"(?:^|(?<=\W))(?:between|zwischen|entre|tussen|tra|y\s+de\s+otra(?:\s+parte)?,|de\s+otra\s+parte,|"
    r"de\s+una\s+parte,|d'une\s+part,|d'autre\s+part,)\s+", re.IGNORECASE)
_WEAK = re.compile(r"(?:^|(?<=\W))(?:and|und|et|en|e|y)\s+", re.IGNORECASE)
# A designated name longer than this is a sentence, not a company.
MAX_NAME_WORDS = 12
# A legal form joined to the next one ("GmbH & Co. KG", "S.A. de C.V.") by one of these.
_JOINERS = frozenset({"&", "de", "und", "and"})


def designated_parties(layout: Layout) -> dict[str, tuple[Norm, tuple[Word, ...]]]:
    """Return seller_name / buyer_name named by a designation in the running text, with words."""
    words = [w for line in layout.lines for w in line.words]
    text, starts = _joined(words)
    found: dict[str, tuple[Norm, tuple[Word, ...]]] = {}
    previous_end = 0
    for match in _DESIGNATION.finditer(text):
        field = _field_of(match.group("role"))
        span = _name_span(text, previous_end, match.start())
        previous_end = match.end()
        if field is None or field in found or span is None:
            continue
        name = _name_in(text[span[0] : span[1]])
        if name is not None:
            chosen = tuple(w for w, at in zip(words, starts, strict=True)
                           if span[0] <= at < span[0] + len(name))
            found[field] = (Norm(name, True, "named in the text as " + match.group("role")), chosen)
    return found


def _joined(words: Sequence[Word]) -> tuple[str, list[int]]:
    """Return the words joined by spaces and where each starts in that text."""
    starts, at = [], 0
    for word in words:
        starts.append(at)
        at += len(word.text) + 1
    return " ".join(w.text for w in words), starts


def _field_of(role: str) -> str | None:
    return next((f for f, pattern in ROLES.items() if re.fullmatch(pattern, role, re.IGNORECASE)), None)


def _name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Return where the name before a designation starts and where its stretch ends."""
    strong = [m for m in _STRONG.finditer(text, start, end) if _heads_name(text[m.end() : end])]
    if strong:
        return strong[-1].end(), end
    weak = next((m for m in _WEAK.finditer(text, start, end) if _heads_name(text[m.end() : end])), None)
    return None if weak is None else (weak.end(), end)


def _heads_name(after: str) -> bool:
    return after[:1].isupper() or after[:1].isdigit()


def _name_in(stretch: str) -> str | None:
    """Return the company name a stretch starts with: up to its legal form, or its first comma."""
    words = nz.clean_text(stretch).split()
    end = _legal_form_end(words)
    if end is None:
        head = nz.clean_text(stretch).split(",")[0].split(" (")[0]
        words = head.split()
    else:
        words = words[:end]
        words[-1] = words[-1].rstrip(",")
    name = " ".join(words).strip(" ,;:–-")
    if not name or len(words) > MAX_NAME_WORDS or not (name[0].isupper() or name[0].isdigit()):
        return None
    return name


def _legal_form_end(words: Sequence[str]) -> int | None:
    """Return the index after a name's legal form ("GmbH & Co. KG" whole), or None without one."""
    for i, word in enumerate(words[:MAX_NAME_WORDS]):
        if nz.is_legal_form(word):
            return _extend(words, i) + 1
    return None


def _extend(words: Sequence[str], i: int) -> int:
    """Return the last word of the legal form starting at ``i`` ("Co., Ltd.", "S.A. de C.V.")."""
    while not words[i].endswith(",") or _next_is_form(words, i):
        if i + 1 < len(words) and nz.is_legal_form(words[i + 1]):
            i += 1
        elif i + 2 < len(words) and words[i + 1].lower() in _JOINERS and nz.is_legal_form(words[i + 2]):
            i += 2
        else:
            break
    return i


def _next_is_form(words: Sequence[str], i: int) -> bool:
    return i + 1 < len(words) and nz.is_legal_form(words[i + 1])



# --- the addressee of an invoice ----------------------------------------------------------------

# A postal line: "28197 Bremen", "3871 KB Hoevelaken", "Indianapolis IN 46241", "London EC1A 1BB".
_POSTAL = re.compile(
    r"(?<![\d.,])\d{4,5}\s+[^\W\d_]|(?<!\d)\d{4}\s?[A-Z]{2}\s+[^\W\d_]|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|"
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")
# The address block is in the upper part of the first page; its postal line at most this many
# lines below the name, every line between them short (an address line, not a sentence).
ADDRESSEE_ZONE = 0.5
ADDRESS_LINES = 3
ADDRESS_WORDS = 6
ALIGN = 0.02
NAME_WORDS = 8


def addressee(layout: Layout, issuer: str | None) -> tuple[Norm, tuple[Word, ...]] | None:
    """Return the name heading the address block an invoice is sent to, or None.

    A block is a name line followed, within a few short lines aligned with it, by a postal line.
    The issuer's own block (its name equal to ``issuer``, or the page's first line) is not it.
    """
    first_page = layout.lines[0].page if layout.lines else 1
    lines = [ln for ln in layout.lines if ln.page == first_page and ln.y0 < ADDRESSEE_ZONE]
    for i, line in enumerate(lines[1:], start=1):
        name = line.segments()[0]
        text = " ".join(w.text for w in name)
        if not _name_like(text) or (issuer is not None and _same_party(text, issuer)):
            continue
        if _under_caption(layout, lines[i - 1], name[0].x0):
            continue  # a captioned party ("1. SHIPPER / EXPORTER" above it) is that caption's
        if _postal_below(lines, i, name[0].x0):
            return Norm(nz.parse_party(text).value, True, "no caption: the address block it is sent to"), name
    return None


def _under_caption(layout: Layout, above: Line, x: float) -> bool:
    """Return True when a field caption starts on the line above at ``x``."""
    return any(layout.lines[h.line] is above and abs(above.words[h.start].x0 - x) <= ALIGN
               for h in layout.hits)


def _segment_at(line: Line, x: float) -> tuple[Word, ...]:
    """Return the line's segment that starts at ``x``, or () when none does."""
    return next((seg for seg in line.segments() if abs(seg[0].x0 - x) <= ALIGN), ())


def _name_like(text: str) -> bool:
    """Return True for a line that can be a company's name: a few words, no digits, no colon.

    A comma outside a legal form ("Dataran Glomac, Kelana Jaya") makes it an address line.
    """
    words = text.split()
    legal = any(nz.is_legal_form(w) for w in words)
    return (0 < len(words) <= NAME_WORDS and not any(c.isdigit() for c in text) and text[0].isupper()
            and (len(words) >= 2 or legal) and ":" not in text and ("," not in text or legal))


def _same_party(a: str, b: str) -> bool:
    """Return True when one name is the other, or starts it (letterhead "FELDBERG")."""
    def fold(s: str) -> str:
        return re.sub(r"[^a-z]", "", s.lower())
    return fold(a).startswith(fold(b)) or fold(b).startswith(fold(a))


def _postal_below(lines: Sequence[Line], index: int, x: float) -> bool:
    """Return True when a postal line follows within a few short address lines aligned at ``x``."""
    for below in lines[index + 1 : index + 1 + ADDRESS_LINES]:
        segment = _segment_at(below, x)
        if not segment or len(segment) > ADDRESS_WORDS:
            return False
        if _POSTAL.search(" ".join(w.text for w in segment)):
            return True
    return False
