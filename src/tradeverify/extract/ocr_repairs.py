"""OCR repairs: the usual misreadings of a field's characters, applied only to values read by OCR."""

from __future__ import annotations

import re

from tradeverify.extract.norm import clean_text

_PAYMENT_TOKENS = {
    "L/C": re.compile(r"\b(?:[LUI1|]\s?/?\s?C|LIC|L1C)\b"),
    "T/T": re.compile(r"\b(?:T\s?[/I1|l]\s?T|TT)\b"),
    "D/P": re.compile(r"\bD\s?[/I1|l]\s?P\b"),
    "D/A": re.compile(r"\bD\s?[/I1|l]\s?A\b"),
    "B/L": re.compile(r"\bB\s?[/I1|l]\s?L\b"),
}


def repair_payment_terms(text: str) -> str:
    """Restore the trade abbreviations OCR mangles ("UC at sight" -> "L/C at sight")."""
    for canonical, pattern in _PAYMENT_TOKENS.items():
        text = pattern.sub(canonical, text)
    return text


def repair_code(text: str) -> str:
    """Repair a reference number: O as 0 and I/l as 1 beside digits, no space between digits.

    Specks OCR reads before or after the number ("—INV2500", "©OSLB12") are dropped: references
    start and end with a letter or digit.
    """
    text = re.sub(r"^[^\w]+|[^\w)]+$", "", clean_text(text))
    text = re.sub(r"(?<=\d) (?=\d)", "", text)
    text = re.sub(r"(?<=\d)[OoQ]|\b[OoQ]+(?=\d)", lambda m: "0" * len(m.group(0)), text)
    return re.sub(r"(?<=\d)[Il|](?=\d)", "1", text)


def repair_bl_number(text: str) -> str:
    """Repair a B/L number, which is one token by convention (carrier prefix + serial)."""
    return repair_code(text).replace(" ", "")


def repair_voyage(text: str) -> str:
    """Repair a voyage number, which carriers print upper case ("048w" -> "048W")."""
    return repair_code(text).upper()


def repair_name(text: str) -> str:
    """Read a capitalized word's leading "l" as "I" ("lonic Resources" -> "Ionic Resources").

    Company names are title case, and OCR's commonest slip there is I -> l; short particles
    ("la", "los") are left alone. A doubled full stop ("Co.., Ltd.") is a speck OCR read as one:
    names abbreviate with single stops.
    """
    return re.sub(r"\bl(?=[a-z]{3,}\b)", "I", re.sub(r"\.{2,}", ".", text))


def repair_description(text: str) -> str:
    """Read a leading lower-case "l" as "I" ("lron ore fines" -> "Iron ore fines")."""
    return re.sub(r"^l(?=[a-z]{2,}\b)", "I", clean_text(text))
