"""Normalizers and validators: printed text -> canonical value, with a verdict.

Every parser returns a :class:`Norm` ``(value, ok, reason)``: ``value`` is the best normalized
reading (``None`` when nothing could be read), ``ok`` says whether it passed validation, and
``reason`` explains a failure. A value that fails a check (an IMO or container check digit) is
still returned, because a wrong check digit is itself evidence the matchers want to see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from stdnum import iso6346

from tradeverify.extract.dates import (  # noqa: F401  (the normalizers' one namespace)
    MONTH_FIRST_COUNTRIES,
    DateOrder,
    ambiguous_date,
    fold_month,
    infer_date_order,
    month_names,
    parse_date,
)
from tradeverify.extract.norm import Norm, _fail, clean_text  # noqa: F401

# --- numbers, quantities, weights --------------------------------------------------------------

# Digits with optional grouping: "," "." or an apostrophe between 3-digit groups ("1'234.56"), or
# a space when a decimal comma closes the number ("1 234,56"). A space alone groups only on a
# document whose numbers show that convention (NumberStyle.space_groups): elsewhere "100 200"
# in a table row is two numbers.
_GROUPED = r"[-+]?\d{1,3}(?:[,.'\u2019]\d{3})+(?:[.,]\d+)?(?!\d)"
_PLAIN = r"[-+]?\d+(?:[.,]\d+)?"
_NUMBER = re.compile(_GROUPED + r"|[-+]?\d{1,3}(?: \d{3})+,\d{1,2}(?!\d)|" + _PLAIN)
_SPACED_NUMBER = re.compile(_GROUPED + r"|[-+]?\d{1,3}(?: \d{3})+(?:[.,]\d+)?(?!\d)|" + _PLAIN)


@dataclass(frozen=True)
class NumberStyle:
    """A document's number convention, decided from all its numbers (:func:`infer_number_style`)."""

    decimal_comma: bool = False  # "1.234,56"
    space_groups: bool = False  # "1 234 567": a space groups thousands

    def options(self) -> dict[str, bool]:
        """Return the keyword arguments the number parsers take."""
        return {"decimal_comma": self.decimal_comma, "space_groups": self.space_groups}


PLAIN_NUMBERS = NumberStyle()  # "1,234.56": the convention parsing assumes without evidence


def _number_re(space_groups: bool) -> re.Pattern[str]:
    return _SPACED_NUMBER if space_groups else _NUMBER


def _number_value(token: str, decimal_comma: bool = False) -> float:
    """Interpret one numeric token, deciding which separator is the decimal mark.

    ``decimal_comma`` is the document's convention (see :func:`infer_number_style`): it decides
    a lone "218,400", which is 218.4 on a document that prints "1.627.080,00". After space
    groups ("713 621,044") a lone mark can only be the decimal one.
    """
    spaced = " " in token
    token = re.sub(r"['\u2019 ]", "", token)
    if decimal_comma:
        return float(token.replace(".", "").replace(",", "."))
    if "," in token and "." in token:
        decimal = "," if token.rfind(",") > token.rfind(".") else "."
    elif token.count(",") == 1 and (spaced or len(token.split(",")[1]) != 3):
        decimal = ","  # "12,5": a lone comma not followed by a thousands group
    elif token.count(".") > 1:
        decimal = ","  # "1.234.567": dots can only be grouping
    else:
        decimal = "."
    grouping = "." if decimal == "," else ","
    return float(token.replace(grouping, "").replace(decimal, "."))


def _close_number_gaps(text: str) -> str:
    """Remove spaces OCR puts around grouping marks ("18,331 ,359.33" -> "18,331,359.33")."""
    text = re.sub(r"(?<=\d)\s+(?=[,.]\d)", "", text)  # no number starts with "." or ","
    return re.sub(r"(?<=\d[,.])\s+(?=\d{3}(?!\d))", "", text)


# Numbers that show a document's decimal mark, with their weight as evidence: grouped ones
# ("1.627.080,00", "1 234,56" / "1,130,600.00", "1'234.56") are strong; a bare "12,50" or
# "9.00" (two decimals, no grouping) is weak, and not part of a date ("12.09.2025").
_EDGE_L, _EDGE_R = r"(?<![\d.,'])", r"(?![\d,]|\.\d)"
_DECIMAL_EVIDENCE: tuple[tuple[re.Pattern[str], bool, int], ...] = (
    (re.compile(_EDGE_L + r"\d{1,3}(?:\.\d{3})+,\d+" + _EDGE_R), True, 3),
    (re.compile(_EDGE_L + r"\d{1,3}(?: \d{3})+,\d{1,2}" + _EDGE_R), True, 3),
    (re.compile(_EDGE_L + r"\d+,\d{2}" + _EDGE_R), True, 1),
    (re.compile(_EDGE_L + r"\d{1,3}(?:,\d{3})+\.\d+" + _EDGE_R), False, 3),
    (re.compile(_EDGE_L + r"\d{1,3}(?:['\u2019]\d{3})+\.\d+" + _EDGE_R), False, 3),
    (re.compile(_EDGE_L + r"\d+\.\d{2}" + _EDGE_R), False, 1),
)


# Space-grouped numbers with a decimal part ("1 234,56", "52 100 234.155") show space grouping.
_SPACE_EVIDENCE = re.compile(_EDGE_L + r"\d{1,3}(?: \d{3})+[.,]\d{1,3}" + _EDGE_R)


def infer_number_style(texts: Iterable[str]) -> NumberStyle:
    """Return a document's number convention, judged from all its numbers.

    Each number that shows its decimal mark is a vote (grouped numbers count three times a bare
    "12,50"); a tie keeps the decimal point, the convention the rest of the parsing assumes.
    One space-grouped number with decimals makes spaces group thousands on the whole document.
    """
    votes = {True: 0, False: 0}
    spaced = False
    for text in texts:
        text = _close_number_gaps(clean_text(text))
        for pattern, comma, weight in _DECIMAL_EVIDENCE:
            votes[comma] += weight * len(pattern.findall(text))
        spaced = spaced or bool(_SPACE_EVIDENCE.search(text))
    return NumberStyle(votes[True] > votes[False], spaced)


def infer_decimal_comma(texts: Iterable[str]) -> bool:
    """Return True when a document writes decimals with a comma, judged from all its numbers."""
    return infer_number_style(texts).decimal_comma


# A separator glued to a symbol before the digits: OCR lost the figure's first digit ("§,612.235"
# for "5,612.235"). Reading the rest would make it ten times smaller; unknown is the honest answer.
_CUT_START = re.compile(r"[^\w\s][,.]$")


def parse_amount(text: str, *, decimal_comma: bool = False, space_groups: bool = False) -> Norm:
    """Read the first number in ``text`` ("USD 1,234,567.89", "1.234.567,89") as a float."""
    text = _close_number_gaps(clean_text(text))
    match = _number_re(space_groups).search(text)
    if not match:
        return _fail("no number found")
    if _CUT_START.search(text[: match.start()]):
        return _fail(f"the figure's first digits are unreadable: {text!r}")
    try:
        return Norm(_number_value(match.group(0), decimal_comma), True)
    except ValueError:
        return _fail(f"unreadable number {match.group(0)!r}")


def parse_figure(text: str, *, decimal_comma: bool = False, space_groups: bool = False) -> Norm:
    """Read a word that is one number and nothing else ("3'654.71", "$1,200"), else fail."""
    token = _close_number_gaps(clean_text(text)).strip("$€£¥")
    if not _number_re(space_groups).fullmatch(token):
        return _fail("not one number")
    return parse_amount(token, decimal_comma=decimal_comma, space_groups=space_groups)


def find_amounts(text: str, *, decimal_comma: bool = False, space_groups: bool = False) -> list[float]:
    """Return every number in ``text`` that has decimals ("12.50", "1.234,56"): money, not counts."""
    out = []
    for match in _number_re(space_groups).finditer(_close_number_gaps(clean_text(text))):
        token = match.group(0)
        if re.search(r"[.,]\d{1,2}$", token):
            try:
                out.append(_number_value(token, decimal_comma))
            except ValueError:
                continue
    return out


def _looks_numeric(text: str) -> bool:
    """Return True when ``text`` is mostly digits, so OCR's letter O can be read as zero."""
    digits = sum(c.isdigit() for c in text)
    return digits >= 3 and digits >= 0.6 * sum(c.isalnum() for c in text)


UNITS = {
    "MT": "MT", "MTS": "MT", "TONNE": "MT", "TONNES": "MT", "TON": "MT", "TONS": "MT",
    "KGS": "KGS", "KG": "KGS", "KILOGRAMS": "KGS", "KILOS": "KGS",
    "PCS": "PCS", "PC": "PCS", "PIECES": "PCS", "UNITS": "PCS", "NOS": "PCS", "SETS": "PCS",
    "BBL": "BBL", "BBLS": "BBL", "BARRELS": "BBL",
    "CBM": "CBM", "M3": "CBM", "CUBIC": "CBM",
    "CTNS": "CTNS", "CTN": "CTNS", "CARTONS": "CTNS", "YDS": "YDS", "YARDS": "YDS",
}  # fmt: skip
_UNIT_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def parse_unit(text: str) -> Norm:
    """Return the canonical unit (MT, KGS, PCS, BBL, CBM) named in ``text``."""
    for word in _UNIT_WORD.findall(clean_text(text)):
        unit = UNITS.get(word.upper().rstrip("."))
        if unit:
            return Norm(unit, True)
    return _fail("no known unit")


_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)


def parse_quantity(text: str, *, decimal_comma: bool = False, space_groups: bool = False) -> Norm:
    """Read "25,000.000 MT" as ``(25000.0, "MT")``; the unit is ``None`` when not printed."""
    amount = parse_amount(text, decimal_comma=decimal_comma, space_groups=space_groups)
    if amount.value is None:
        return amount
    text = _close_number_gaps(clean_text(text))
    match = _number_re(space_groups).search(text)
    rest = text[match.end() :] if match else ""
    unit = parse_unit(rest)
    if _ORDINAL.match(rest):  # "23rd", "12th": a date's day, not a quantity
        return _fail(f"an ordinal is no quantity: {text!r}")
    if rest.lstrip()[:1].isdigit():  # "2 68,505 MT": which figure is the quantity is a guess
        return _fail(f"two figures before the unit: {text!r}", (amount.value, unit.value))
    return Norm((amount.value, unit.value), amount.ok, amount.reason)


_TO_KG = {"KGS": 1.0, "MT": 1000.0, "LBS": 0.45359237}


_POUNDS = re.compile(r"\bLBS?\b", re.IGNORECASE)
_METRIC_WEIGHT = re.compile(r"\d[\d.,' ]*\s*(?:KGS?|KILOS|MTS?|TONNES)\b", re.IGNORECASE)


def parse_weight_kg(text: str, *, decimal_comma: bool = False, space_groups: bool = False) -> Norm:
    """Read a weight ("25,125.500 KGS", "25.1255 MT") and return kilograms."""
    quantity = parse_quantity(text, decimal_comma=decimal_comma, space_groups=space_groups)
    if quantity.value is None:
        return quantity
    value, unit = quantity.value
    if _POUNDS.search(text):
        metric = _METRIC_WEIGHT.search(text)
        if metric is not None:  # "4,312 LBS / 1,955.9 KGS": the kilograms as printed, not converted
            return parse_weight_kg(metric.group(0), decimal_comma=decimal_comma, space_groups=space_groups)
        unit = "LBS"
    factor = _TO_KG.get(unit or "KGS")
    if factor is None:
        return _fail(f"{unit} is not a weight unit", value)
    return Norm(round(value * factor, 6), True)


def parse_count(text: str, *, decimal_comma: bool = False, space_groups: bool = False) -> Norm:
    """Read a package count ("1,250 BUNDLES") as an int."""
    amount = parse_amount(text, decimal_comma=decimal_comma, space_groups=space_groups)
    if amount.value is None:
        return amount
    count = round(amount.value)
    if abs(amount.value - count) > 1e-9:
        return _fail("package count is not a whole number", count)
    return Norm(count, True)


# --- currency ---------------------------------------------------------------------------------

_SYMBOLS = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "RMB": "CNY",
            "HK$": "HKD", "S$": "SGD", "A$": "AUD", "C$": "CAD", "₹": "INR", "₩": "KRW"}  # fmt: skip


@lru_cache(maxsize=1)
def _currency_names() -> dict[str, str]:
    """Return lower-case currency names (and plurals) -> ISO 4217 code."""
    names: dict[str, str] = {}
    for cur in pycountry.currencies:
        name = cur.name.lower()
        names[name] = names[name + "s"] = cur.alpha_3
    names.update({"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR"})
    return names


def currency_codes(text: str) -> list[str]:
    """Return the ISO 4217 codes printed in ``text`` ("USD 1,200" -> ["USD"]; "RMB" is no code)."""
    return [code for code in re.findall(r"\b[A-Z]{3}\b", clean_text(text).upper())
            if code != "RMB" and pycountry.currencies.get(alpha_3=code) is not None]  # fmt: skip


def parse_currency(text: str) -> Norm:
    """Return the ISO 4217 code of a currency printed as code, symbol or name."""
    text = clean_text(text)
    codes = currency_codes(text)
    if codes:
        return Norm(codes[0], True)
    for symbol in sorted(_SYMBOLS, key=len, reverse=True):
        if symbol in text.upper():
            return Norm(_SYMBOLS[symbol], True)
    names = _currency_names()
    lowered = text.lower()
    for name in sorted(names, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name)}\b", lowered):
            return Norm(names[name], True)
    return _fail("no ISO 4217 currency")


# --- identifiers ------------------------------------------------------------------------------


def imo_check_ok(digits: str) -> bool:
    """Return True when a 7-digit IMO number's last digit matches its check digit."""
    if not re.fullmatch(r"\d{7}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(digits[6])


def parse_imo(text: str) -> Norm:
    """Return the 7-digit IMO number in ``text`` and whether its check digit holds."""
    repaired = _digits_from_ocr(clean_text(text).upper().replace("IMO", " "))
    # Its own token: seven digits that end a longer code ("KFL884128", a container's seal) are none.
    match = re.search(r"(?<![\dA-Z])\d{7}(?!\d)", repaired)
    if not match:
        return _fail("no 7-digit IMO number")
    digits = match.group(0)
    if not imo_check_ok(digits):
        return _fail("IMO check digit mismatch", digits)
    return Norm(digits, True)


_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1",
                           "S": "5", "B": "8", "Z": "2", "G": "6"})  # fmt: skip
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"})


def _digits_from_ocr(text: str) -> str:
    """Map letters OCR confuses with digits inside digit-heavy tokens ("93I2345" -> 9312345)."""
    return re.sub(
        r"[0-9OQDILSBZG|]{6,}",
        lambda m: m.group(0).translate(_TO_DIGIT) if _looks_numeric(m.group(0)) else m.group(0),
        text,
    )


# Owner code (3 letters + U/J/Z), 6-digit serial, check digit; OCR may put spaces anywhere,
# and carriers often print a hyphen after the owner code or before the check digit.
_DIGITISH = "[0-9OQDILSBZG]"  # a digit, or a letter OCR prints for one
_CONTAINER = re.compile(
    rf"(?<![A-Z0-9])([A-Z0-9]{{3}}[UJZ])[\s-]?((?:{_DIGITISH}\s?){{6}})(?:-\s?)?({_DIGITISH})"
    r"(?![A-Z0-9])"
)


def find_containers(text: str) -> list[Norm]:
    """Return every ISO 6346 container number in ``text``, compact, each with its check verdict."""
    found: list[Norm] = []
    for match in _CONTAINER.finditer(clean_text(text).upper()):
        owner = match.group(1)[:3].translate(_TO_LETTER) + match.group(1)[3]
        serial = (match.group(2) + match.group(3)).replace(" ", "").translate(_TO_DIGIT)
        code = owner + serial
        # Real serials are digits; demanding most of them keeps words like "ASIA SIDES" out.
        if not owner[:3].isalpha() or sum(c.isdigit() for c in match.group(0)) < 5:
            continue
        if iso6346.is_valid(code):
            found.append(Norm(code, True))
        else:
            found.append(_fail(f"ISO 6346 check digit mismatch in {code}", code))
    return found


def parse_containers(text: str) -> Norm:
    """Return the list of container numbers in ``text``; ``ok`` only when all check digits hold."""
    found = find_containers(text)
    if not found:
        return _fail("no ISO 6346 container number", [])
    reasons = [n.reason for n in found if not n.ok]
    return Norm([n.value for n in found], not reasons, "; ".join(r for r in reasons if r) or None)


def parse_hs_code(text: str) -> Norm:
    """Return the HS code's digits ("7403.11" -> "740311"); valid lengths are 4, 6, 8 and 10."""
    match = re.search(r"\d[\d.\s]*\d", clean_text(text))
    if not match:
        return _fail("no HS code digits")
    digits = re.sub(r"\D", "", match.group(0))
    if len(digits) not in (4, 6, 8, 10):
        return _fail(f"HS code has {len(digits)} digits", digits)
    return Norm(digits, True)


INCOTERMS_2020 = ("EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF")
# Older spellings still printed on real documents; read as their 2020 equivalent.
_INCOTERM_ALIASES = {"C&F": "CFR", "CNF": "CFR", "C+F": "CFR", "CANDF": "CFR"}
_RETIRED = {"DAT": "DPU", "DDU": "DAP", "DES": "DAP", "DEQ": "DAP", "DAF": "DAP"}


def parse_incoterm(text: str) -> Norm:
    """Return the Incoterms 2020 rule ("CIF Hamburg" -> "CIF"); retired rules fail validation."""
    for word in re.findall(r"[A-Za-z&+]+", clean_text(text).upper()):
        if word in INCOTERMS_2020:
            return Norm(word, True)
        if word in _INCOTERM_ALIASES:
            return Norm(_INCOTERM_ALIASES[word], True)
        if word in _RETIRED:
            return _fail(f"{word} is not an Incoterms 2020 rule", word)
    return _fail("no Incoterms rule")


def parse_text(text: str) -> Norm:
    """Return free text with whitespace collapsed; empty text fails."""
    value = clean_text(text)
    return Norm(value, True) if value else _fail("empty value")


# The instruments of payment terms (UCP 600 credits, URC 522 collections, transfers, open
# account) in the languages trade paperwork uses: a text naming one states payment terms.
_PAYMENT_INSTRUMENT = re.compile(
    r"\b(?:L/?C|T/?T|D/P|D/A|CAD|O/A|SBLC|letters? of credit|(?:documentary|stand-?by) credit"
    r"|telegraphic transfer|(?:wire|bank) transfer|cash against documents|documents against"
    r"|open account|(?:advance|down) payment|prepayment|in advance|at sight|days? after|net \d+"
    r"|akkreditiv|vorkasse|überweisung|ueberweisung|kasse gegen dokumente|dokumente gegen"
    r"|crédit documentaire|credit documentaire|lettre de crédit|virement|remise documentaire"
    r"|paiement anticipé|carta de crédito|carta de credito|crédito documentario|transferencia"
    r"|pago anticipado|cobranza documentaria|kredietbrief|documentair krediet|overboeking"
    r"|vooruitbetaling|rembours)\b|信用证|电汇|付款交单|承兑交单|预付|见票即付",
    re.IGNORECASE,
)


def parse_payment_terms(text: str) -> Norm:
    """Return text that names a payment instrument ("D/P at sight", "Akkreditiv"), else fail."""
    value = clean_text(text)
    if not _PAYMENT_INSTRUMENT.search(value):
        return _fail("no payment instrument named")
    return Norm(value, True)


# Legal forms that end a company name; an address may run on after them on the same line.
LEGAL_FORMS = frozenset(
    "ltd limited llc inc corp corporation co plc pty pte gmbh ag sa sas sarl srl sl spa bv nv "
    "jsc ojsc pjsc fze fzco fzc llp lp kg oy ab bhd berhad ltda sro kft eirl cv doo "
    "sb".split()  # "S/B": Malaysia's Sendirian Berhad, abbreviated
)
# Ship-type prefixes printed before a vessel's name ("MT CORAL SEA SPIRIT", "M/V ...").
# An IMO number printed after the name ("AEGEAN MERCHANT (IMO 9317420)") is not part of it.
_VESSEL_IMO = re.compile(r"\(?\bIMO\s*(?:No\.?)?\s*:?\s*\d{7}\)?", re.IGNORECASE)
_VESSEL_PREFIX = re.compile(r"^(?:M\.?/?[VTS]\.?|S\.?S\.?|MV|MT|MS)\s+(?=\S)", re.IGNORECASE)


# Chinese company names are written without spaces and end with their form ("...有限公司").
_CJK_FORM = re.compile(r"(?:有限公司|股份公司|有限责任公司|公司|集团)$")


def is_cjk_company(word: str) -> bool:
    """Return True for a Chinese company name written as one word ("宁波海晟五金制品有限公司")."""
    return len(word) >= 4 and bool(_CJK_FORM.search(word.strip(" ,")))


def is_legal_form(word: str) -> bool:
    """Return True for a legal-form word, however dotted ("S.A.", "Ltd.,", "S.R.L.").

    A Chinese company name counts too: it carries its form ("宁波海晟五金制品有限公司").
    """
    return re.sub(r"[^a-z]", "", word.lower()) in LEGAL_FORMS or is_cjk_company(word)


# A registration number in brackets after the legal form ("SB(306295-X)", "Sdn Bhd (Co. No. 12345-A)").
_REGISTRATION = re.compile(r"\s*\((?:co\.?\s*(?:reg\.?\s*)?no\.?\s*:?\s*)?\d{3,}(?:-?\s?[A-Z])?\)",
                           re.IGNORECASE)


def _before_registration(text: str) -> str | None:
    """Return the name before a bracketed registration number that follows its legal form."""
    match = _REGISTRATION.search(text)
    if match is None:
        return None
    name = text[:match.start()].rstrip(" ,")
    return name if name.split() and is_legal_form(name.split()[-1]) else None


def parse_party(text: str) -> Norm:
    """Return a company name, cut after its legal form when the address runs on after a comma.

    "Karnaphuli Edible Oils Ltd., Plot 7, Chattogram" -> "Karnaphuli Edible Oils Ltd."; a name
    whose legal form has two words ("Co., Ltd.") is kept whole. A registration number in
    brackets after the form ends the name too: "MYNEWS RETAIL SB(306295-X) FKA BISON STORES SB"
    -> "MYNEWS RETAIL SB".
    """
    words = _without_monogram(_without_counter(clean_text(text).split()))
    text = " ".join(words)
    registered = _before_registration(text)
    if registered is not None:
        return Norm(registered, True)
    for i, word in enumerate(words[:-1]):
        if word.endswith(",") and is_legal_form(word) and not is_legal_form(words[i + 1]):
            return Norm(" ".join([*words[:i], word[:-1]]), True)
    return parse_text(text)


def _without_counter(words: list[str]) -> list[str]:
    """Drop a receipt's counter printed before a name ("#000002 BAIFU (M) Sdn Bhd")."""
    while len(words) > 1 and re.fullmatch(r"#\d+", words[0]):
        words = words[1:]
    return words


# Short words that open a consignee's wording, not a logo's initials.
_NAME_WORDS = frozenset({"to", "of", "the", "for", "and", "at", "by", "on", "in"})


def _without_monogram(words: list[str]) -> list[str]:
    """Drop a logo's initials before the name they abbreviate ("GC Gulf Crescent Trading LLC").

    A word of the name's own wording is no logo: "TO THE ORDER OF ..." keeps its "TO".
    """
    if len(words) < 3 or not re.fullmatch(r"[A-Z]{2,4}", words[0]) or is_legal_form(words[0]) \
            or words[0].lower() in _NAME_WORDS:
        return words
    initials = "".join(w[0] for w in words[1 : 1 + len(words[0])]).upper()
    return words[1:] if initials == words[0] else words


def parse_vessel(text: str) -> Norm:
    """Return a vessel's name without its ship-type prefix ("MT CORAL SEA SPIRIT" -> "CORAL SEA SPIRIT")."""
    text = _VESSEL_IMO.sub("", _VESSEL_PREFIX.sub("", clean_text(text)))
    return parse_text(text.strip(" ,/"))


# A date printed after a reference ("CND/ALY/0045 DATED 08 SEP 2025", "HS-E2509-028 Sep 12, 2025").
_TRAILING_DATE = re.compile(
    r"\s+(?:(?:dated|date|of|vom|du|del|d\.d\.)\s+)?(?:\d{1,2}[\s./-]+[^\W\d_]{3,9}\.?[\s./-]+\d{2,4}|"
    r"[^\W\d_]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})$",
    re.IGNORECASE,
)


def parse_code(text: str) -> Norm:
    """Return a reference number (contract, invoice, B/L, voyage) as printed, trimmed.

    A reference has a digit: words without one beside a caption are the next caption of a row
    ("B/L No.   Export References"), and nothing is read from them.
    """
    value = _TRAILING_DATE.sub("", clean_text(text)).strip(" :,")
    if not value:
        return _fail("empty reference")
    return Norm(value, True) if any(c.isdigit() for c in value) else _fail("no digit: not a reference")


# A voyage printed after the vessel's name ("GLOBAL VOYAGER V-202", "MSC ANNA 245W").
_VOYAGE_TAIL = re.compile(r"^(?P<vessel>.*[A-Za-z].*?)\s+(?:VOY\.?\s*)?"
                          r"(?P<voyage>V\.?-?\s?\d{2,4}[A-Z]?|\d{2,4}[A-Z]{1,2}|[A-Z]\d{3,4}[A-Z]?)$")


def split_voyage(vessel: str) -> tuple[str, str | None]:
    """Split a voyage number off the end of a vessel's name; ``(name, None)`` when none is there."""
    match = _VOYAGE_TAIL.match(clean_text(vessel))
    if match is None:
        return vessel, None
    return match.group("vessel").rstrip(" /,"), match.group("voyage")
