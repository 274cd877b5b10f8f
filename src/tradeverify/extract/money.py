"""The money fields: the total (from total lines, from quantity x price) and the currency."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from tradeverify.domain import Word
from tradeverify.extract import candidates as cand
from tradeverify.extract import normalize as nz
from tradeverify.extract import rowshape
from tradeverify.extract.layout import Layout
from tradeverify.extract.normalize import Norm
from tradeverify.extract.reading import PATTERN_FACTOR, Reading, text_of
from tradeverify.extract.tables import Table
from tradeverify.extract.vocab import field_labels

CURRENCY_ONLY = re.compile(r"[A-Z]{3}")  # a bare ISO code ("USD") as a word or header part


def total_from_candidates(
    layout: Layout, readings: dict[str, Reading], used: set[int], numbers: nz.NumberStyle
) -> None:
    """Read the total from the scored "total" lines when no caption, or only a generic one, gave it.

    A total read beside a caption the generator never prints ("Total", "Summe"), or beside one
    of several total captions, may be one of several sums of a receipt or a tax invoice ("Total
    (Excluding GST)", the total before rounding); it is one candidate among the page's total
    lines, with a bonus for its caption.
    """
    reading = readings.get("total_amount")
    # Two total captions ("Total Amount" before the rounding and after it): weigh them all.
    several = sum(h.field == "total_amount" for h in layout.hits) > 1
    if reading is not None and not _read_only(reading, "total_amount") and not several:
        return
    captioned = frozenset(id(w) for w in reading.words) if reading is not None else frozenset()
    free = used - captioned
    top = cand.best(cand.total_candidates(layout, free, numbers, captioned=captioned))
    if top is None or (reading is not None and top.features["caption"]):
        return
    note = Norm(top.norm.value, True, "no caption: the amount on the line that says total")
    readings["total_amount"] = Reading(note, top.raw, top.words, False, 0, cand.CANDIDATE_FACTOR)


def total_from_product(
    layout: Layout, names: Sequence[str], readings: dict[str, Reading], numbers: nz.NumberStyle
) -> None:
    """Take as the total the printed amount that is the quantity times the unit price.

    A contract or a one-good invoice whose total caption is unknown still prints that product
    ("Sum Total: 357,272.47" for 692.308 MT at 516.06): the arithmetic names it in any language.
    """
    quantity, price = readings.get("quantity"), readings.get("unit_price")
    if "total_amount" not in names or "total_amount" in readings or quantity is None or price is None:
        return
    found = _printed_product(layout, float(quantity.norm.value[0]), float(price.norm.value), numbers)
    if found is not None:
        amount, segment = found
        norm = Norm(amount, True, "no known caption: the amount that is quantity times unit price")
        readings["total_amount"] = Reading(norm, text_of(segment), segment, False, 0, PATTERN_FACTOR)


def _printed_product(
    layout: Layout, quantity: float, price: float, numbers: nz.NumberStyle
) -> tuple[float, tuple[Word, ...]] | None:
    """Return the first amount outside the items table that is ``quantity * price``, with its words."""
    skip = set(layout.table.lines) if layout.table else set()
    for index, line in enumerate(layout.lines):
        if index in skip:
            continue
        for segment in line.segments():
            for amount in nz.find_amounts(text_of(segment), **numbers.options()):
                if amount > 0 and abs(quantity * price - amount) <= rowshape.product_tolerance(
                        quantity, price, amount):
                    return amount, tuple(segment)
    return None


def _read_only(reading: Reading, name: str) -> bool:
    """Return True when a reading's caption is one the generator never prints (vocabulary's read-only)."""
    return reading.variant >= len(field_labels().get(name, ()))


def fill_currency(layout: Layout, readings: dict[str, Reading]) -> None:
    """Find an unlabelled currency beside an amount, else in a money column's header."""
    if "currency" not in readings:
        _currency_from_amounts(readings)
    if "currency" not in readings and layout.table is not None:
        _currency_from_table(layout, layout.table, readings)
    if "currency" not in readings and layout.table is not None:
        _currency_in_cells(layout.table, readings)
    _currency_by_issuer(layout, readings)


# A bare "$" or "¥" is the currency of the issuer's country: "$" on a Sydney invoice is AUD.
# A country shows in its name, or in what only its addresses print (an ABN, a state).
_SYMBOL_BY_COUNTRY = {
    "$": {"australia|abn|nsw|vic|qld": "AUD", "canada|ontario|quebec|b\\.c\\.": "CAD",
          "singapore": "SGD", "hong kong": "HKD", "new zealand": "NZD", "taiwan": "TWD"},
    "¥": {"japan|日本|tokyo|osaka": "JPY"},
}  # fmt: skip
ISSUER_LINES = 8  # the issuer's address is in the letterhead, the first lines of page one


def _currency_by_issuer(layout: Layout, readings: dict[str, Reading]) -> None:
    """Re-read a currency printed only as "$" or "¥" in the issuer's country (letterhead)."""
    reading = readings.get("currency")
    if reading is None or nz.currency_codes(reading.raw):
        return
    symbol = next((sym for sym in _SYMBOL_BY_COUNTRY if sym in reading.raw), None)
    if symbol is None or "US$" in reading.raw:
        return
    head = " ".join(text_of(line.words) for line in layout.lines[:ISSUER_LINES]).lower()
    for hints, code in _SYMBOL_BY_COUNTRY[symbol].items():
        if re.search(rf"(?<![a-z])(?:{hints})(?![a-z])", head):
            norm = Norm(code, True, f"'{symbol}' read in the issuer's country ({code[:2]})")
            readings["currency"] = replace(reading, norm=norm, factor=min(reading.factor, 0.85))
            return


def _currency_from_amounts(readings: dict[str, Reading]) -> None:
    """Take the currency printed beside an amount ("USD 1,130,600.00") when it has no row."""
    for name in ("total_amount", "unit_price"):
        reading = readings.get(name)
        if reading is None:
            continue
        for text in (reading.raw, reading.note):  # "USD 1,130,600.00", or "Total amount EUR"
            norm = nz.parse_currency(text)
            if norm.ok:
                readings["currency"] = Reading(norm, text, reading.words, strong=False)
                return


def _currency_in_cells(table: Table, readings: dict[str, Reading]) -> None:
    """Take the currency the items' prices or amounts print in their cells ("$38.40")."""
    for row in table.rows:
        for key in ("unit_price", "amount"):
            words = row.get(key, ())
            norm = nz.parse_currency(text_of(words)) if words else None
            if norm is not None and norm.ok:
                readings["currency"] = Reading(norm, text_of(words), words, strong=False)
                return


def _currency_from_table(layout: Layout, table: Table, readings: dict[str, Reading]) -> None:
    """Take the currency a money column's header names ("Amount (USD)", "Total EUR")."""
    header = layout.lines[table.header_line].words
    for column in table.columns:
        if column.key not in ("amount", "unit_price"):
            continue
        words = tuple(w for w in header if column.x0 <= w.x0 and w.x1 <= column.x1)
        codes = [w for w in words if CURRENCY_ONLY.fullmatch(w.text.strip("():"))]
        norms = [n for w in codes if (n := nz.parse_currency(w.text.strip("():"))).ok]
        if norms:
            readings["currency"] = Reading(norms[0], text_of(words), words, strong=False)
            return
