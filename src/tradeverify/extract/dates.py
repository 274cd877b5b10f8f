"""Printed dates -> ISO dates: month names of many languages, numeric orders, Chinese dates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from tradeverify.extract.norm import Norm, _fail, clean_text

# --- dates -----------------------------------------------------------------------------------

# Languages whose month names trade paperwork prints; the names come from CLDR (babel).
MONTH_LOCALES = ("en", "de", "fr", "es", "nl", "it", "pt")


def fold_month(word: str) -> str:
    """Fold a month word for lookup: lower case, accents and trailing dots dropped ("Févr." -> "fevr")."""
    decomposed = unicodedata.normalize("NFKD", word.lower().rstrip("."))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Return folded month name or abbreviation, in every MONTH_LOCALES language -> month number."""
    from babel.dates import get_month_names

    names: dict[str, int] = {"sept": 9}  # English "12 Sept 2025", which CLDR does not list
    for locale in MONTH_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    if len(fold_month(name)) >= 3:
                        names.setdefault(fold_month(name), number)
    return names


_MON = r"(?P<mon>[^\W\d_]{3,10})\.?"
_ORD = r"(?:st|nd|rd|th|er|e|º|°)?"
_YEAR = r"(?P<y>\d{4}|\d{2})(?!\d)"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    # "12 Sept 2025", "30. SEP. 2022", "1er septembre 2025", "12 de septiembre de 2025", "05-JAN-17"
    re.compile(r"(?<!\d)(?P<d>\d{1,2})" + _ORD + r"\.?[\s\-/]*(?:de\s+)?" + _MON
               + r"[\s\-/.,]+(?:de\s+)?" + _YEAR),
    re.compile(_MON + r"\s+(?P<d>\d{1,2})" + _ORD + r",?\s+(?P<y>\d{4})"),
    # A till slip's "30-04-201819:50:14": OCR lost the space before the time.
    re.compile(r"(?<!\d)(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4})(?:(?!\d)|(?=\d{1,2}:\d{2}))"),
    # Chinese documents: "2025年3月12日" (OCR may space the characters out).
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})(?!\d)"),
    # Two-digit years ("06/01/18"): last, so a four-digit reading of the same date wins.
    re.compile(r"(?<![\d/.\-])(?P<a>\d{1,2})([/.\-])(?P<b>\d{1,2})\2(?P<y>\d{2})(?![\d/.\-])"),
)
# Indexes of the numeric a/b/year patterns, whose day/month order is a document's convention.
_NUMERIC_PATTERNS = (3, 5)


def parse_date(text: str, *, day_first: bool = True) -> Norm:
    """Find the first date in ``text`` and return it as ``YYYY-MM-DD``.

    Numeric ``a/b/yyyy`` is read in the given order (day first by default, the trade-document
    convention) unless only the other reading is a valid date. Which order a document uses is
    decided across all its dates by :func:`infer_date_order`.
    """
    found = _dates_in(text, day_first)
    valid = [n for _, _, n in found if n.ok]
    if valid:
        return valid[0]
    return found[0][2] if found else _fail("no date found")


def _dates_in(text: str, day_first: bool) -> list[tuple[int, int, Norm]]:
    """Return ``(position, pattern index, reading)`` of the first match of each date pattern."""
    text = clean_text(text)
    found = []
    for index, pattern in enumerate(_DATE_PATTERNS):
        readings = ((m.start(), _date_from_match(m.groupdict(), day_first)) for m in pattern.finditer(text))
        first = None
        for start, norm in readings:  # a word that is no month ("12 units 2025") does not hide one
            first = first or (start, norm)
            if norm.ok:
                first = (start, norm)
                break
        if first is not None:
            found.append((first[0], index, first[1]))
    return sorted(found, key=lambda t: t[0])


def _year(text: str | None) -> int:
    """Return a printed year; two digits are this century's ("18" -> 2018)."""
    year = int(text or 0)
    return year + 2000 if year < 100 else year


def _date_from_match(groups: dict[str, str | None], day_first: bool = True) -> Norm:
    year = _year(groups["y"])
    if groups.get("mon") is not None:
        month = month_names().get(fold_month(str(groups["mon"])), 0)
        if not month:
            return _fail(f"{groups['mon']!r} is not a month")
        candidates = [(int(groups["d"] or 0), month)]
    elif groups.get("a") is not None:
        a, b = int(groups["a"] or 0), int(groups["b"] or 0)
        candidates = [(a, b), (b, a)] if day_first else [(b, a), (a, b)]
    else:
        candidates = [(int(groups["d"] or 0), int(groups["m"] or 0))]
    for day, month in candidates:
        try:
            return Norm(date(year, month, day).isoformat(), True)
        except ValueError:
            continue
    return _fail("not a calendar date")


# Countries whose documents print numeric dates month first (03/12/2025 = March 12).
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "PW", "MH", "BZ"})


class DateOrder(NamedTuple):
    """How a document orders numeric dates, and what decided it.

    ``basis`` is ``"dates"`` (a date with a part over 12 fixes the order), ``"country"`` (the
    issuer's country, a weak prior), ``"conflict"`` (its dates disagree) or ``"default"``.
    """

    day_first: bool
    basis: str


def infer_date_order(texts: Iterable[str], country: str | None = None) -> DateOrder:
    """Return the numeric date order of a document from all its text, else from its country.

    ``03/12/2025`` alone cannot be read; a ``25/12/2025`` elsewhere on the same document can
    only be day first, and fixes the order for every date of the document.
    """
    day_first = month_first = 0
    for text in texts:
        for a, b in _numeric_parts(clean_text(text)):
            day_first += a > 12 >= b
            month_first += b > 12 >= a
    if day_first and month_first:
        return DateOrder(True, "conflict")
    if day_first or month_first:
        return DateOrder(bool(day_first), "dates")
    if country:
        return DateOrder(country.upper()[:2] not in MONTH_FIRST_COUNTRIES, "country")
    return DateOrder(True, "default")


def ambiguous_date(text: str) -> bool:
    """Return True when the date read from ``text`` is numeric and valid in both orders."""
    found = [(index, norm) for _, index, norm in _dates_in(text, True) if norm.ok]
    if not found or found[0][0] not in _NUMERIC_PATTERNS:
        return False
    match = _DATE_PATTERNS[found[0][0]].search(clean_text(text))
    a, b = (int(match.group("a")), int(match.group("b"))) if match else (0, 0)
    return a != b and a <= 12 and b <= 12


def _numeric_parts(text: str) -> Iterator[tuple[int, int]]:
    """Yield the first two parts ``(a, b)`` of every numeric a/b/year date in ``text``."""
    for index in _NUMERIC_PATTERNS:
        for match in _DATE_PATTERNS[index].finditer(text):
            yield int(match.group("a")), int(match.group("b"))
