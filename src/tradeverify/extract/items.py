"""An invoice's items table: rows as typed items, and the header fields they stand in for."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tradeverify.domain import Word
from tradeverify.extract import normalize as nz
from tradeverify.extract import ocr_repairs as ocr
from tradeverify.extract.clauses import hs_code_in
from tradeverify.extract.layout import is_total, soft_wrapped
from tradeverify.extract.normalize import Norm
from tradeverify.extract.reading import Reading
from tradeverify.extract.rowshape import product_tolerance
from tradeverify.extract.tables import Table


def _cell(row: dict[str, tuple[Word, ...]], key: str) -> str:
    return " ".join(w.text for w in row.get(key, ()))


def parse_item(
    row: dict[str, tuple[Word, ...]], numbers: nz.NumberStyle = nz.PLAIN_NUMBERS
) -> tuple[dict[str, Any], bool]:
    """Normalize one table row; return the item and whether every printed cell parsed."""
    description = _description(row.get("description", ()))
    comma = numbers.options()
    parsed = {
        "description": nz.parse_text(description),
        "hs_code": _hs_code(_cell(row, "hs_code"), description),
        "quantity": nz.parse_amount(_cell(row, "quantity"), **comma),
        "unit": nz.parse_unit(_cell(row, "unit") or _cell(row, "quantity")),
        "unit_price": nz.parse_amount(_cell(row, "unit_price"), **comma),
    }
    quantity, price = parsed["quantity"].value, parsed["unit_price"].value
    parsed["amount"] = _amount(_cell(row, "amount"), quantity, price, numbers)
    item = {key: norm.value for key, norm in parsed.items()}
    ok = all(norm.ok for key, norm in parsed.items() if _cell(row, key) or key == "unit")
    return item, ok


def _description(words: Sequence[Word]) -> str:
    """Return a description cell's text, with OCR's usual slips in it repaired."""
    text = " ".join(w.text for w in words)
    return ocr.repair_description(text) if any(w.conf < 1.0 for w in words) else text


def goods_name(table: Table, items: Reading) -> str:
    """Return the goods the first row names: its description's first line and that line's wraps.

    A description cell often stacks the goods over their specification ("HYDRAULIC POWER
    CHUCK, 10 INCH" over "MODEL HP-10A, THROUGH-HOLE 81 MM"): the item is the whole cell, the
    goods are what the first line says, with the lines it was only wrapped onto
    (:func:`soft_wrapped`; the next column's first word bounds how far a line could run).
    """
    first = items.words[0]  # the first item row's first word: its row is the first item
    row = next(r for r in table.rows if any(w is first for cell in r.values() for w in cell))
    words = row.get("description", ())
    lines = _cell_lines(words)
    if len(lines) < 2:
        return _description(words)
    char_width = sum(w.x1 - w.x0 for w in words) / max(1, sum(len(w.text) for w in words))
    kept = soft_wrapped(lines[0], lines[1:], char_width, _next_column_start(table, lines[0]))
    return _description([w for line in (lines[0], *kept) for w in line])


def _cell_lines(words: Sequence[Word]) -> list[tuple[Word, ...]]:
    """Split a cell's words into its printed lines (a new line where a word starts lower down)."""
    lines: list[list[Word]] = []
    for word in words:
        if lines and word.page == lines[-1][0].page and word.y0 < lines[-1][0].y1 - 0.3 * (word.y1 - word.y0):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [tuple(sorted(line, key=lambda w: w.x0)) for line in lines]


def _next_column_start(table: Table, first: tuple[Word, ...]) -> float:
    """Return where the column right of a description line starts: its header's or its cells' first x."""
    right = first[-1].x1
    starts = [c.x0 for c in table.columns if c.key != "description" and c.x0 > right]
    starts += [w.x0 for row in table.rows for key, cell in row.items() if key != "description"
               for w in cell if w.x0 > right]
    return min(starts, default=1.0)


def _hs_code(cell: str, description: str) -> Norm:
    """Read the HS code cell, else a code the description quotes ("... HS CODE 8466.20")."""
    if cell:
        return nz.parse_hs_code(cell)
    quoted = hs_code_in(description)
    return quoted if quoted is not None else nz.parse_hs_code("")


def _amount(text: str, quantity: float | None, price: float | None, numbers: nz.NumberStyle) -> Norm:
    """Read the amount cell; when an unknown column ran into it ("7.5%  $ 373.20"), pick its figure.

    The figure that is quantity times price is the amount; without both, the rightmost one (an
    amount column closes the row).
    """
    figures = nz.find_amounts(text, **numbers.options())
    if len(figures) < 2:
        return nz.parse_amount(text, **numbers.options())
    if quantity and price:
        product = [f for f in figures if abs(quantity * price - f) <= product_tolerance(quantity, price, f)]
        if product:
            return Norm(product[0], True)
    return Norm(figures[-1], True)


def _summary_row(row: dict[str, tuple[Word, ...]]) -> bool:
    """Return True for a TOTAL row: its leftmost word is "Total" (or "Grand", "Subtotal")."""
    words = [w for cell in row.values() for w in cell]
    return is_total(sorted(words, key=lambda w: w.x0))


def line_items(table: Table, numbers: nz.NumberStyle = nz.PLAIN_NUMBERS) -> Reading | None:
    """Return the items table as one reading whose value is the list of item dicts."""
    items: list[dict[str, Any]] = []
    words: list[Word] = []
    all_ok = True
    for row in table.rows:
        item, ok = parse_item(row, numbers)
        if item["quantity"] is None and (item["amount"] is None or item["description"] is None) \
                or _summary_row(row):
            continue  # a stray line (subtotal caption, page note, a charge's sum) or the total is not an item
        items.append(item)
        all_ok = all_ok and ok
        words.extend(w for cell in row.values() for w in cell)
    if not items:
        return None
    raw = "\n".join(
        " | ".join(_cell(row, c.key) for c in table.columns) for row in table.rows
    )
    reason = None if all_ok else "some item cells did not parse"
    return Reading(Norm(items, all_ok, reason), raw, tuple(words))


# Fields that describe the one good an invoice sells; with several, the line items carry them.
SINGLE_GOOD = ("goods_description", "quantity", "unit_price", "hs_code")
# Units whose amounts add up across different goods (218.4 MT of one oil and 42.6 MT of another
# are 261 MT on board); pieces or cartons of different goods do not.
MEASURES = frozenset({"MT", "KGS", "BBL", "CBM"})


def several_goods(readings: dict[str, Reading], items: Reading) -> None:
    """Drop single-good fields read from an items table that lists several different goods.

    Rows are different goods when their HS codes differ (all printed) or, without codes, their
    descriptions do. The first row's description or price would describe a deal that is not
    the one on the page; a quantity summed over them is kept only in a unit of measure. A value
    printed outside the table (a header's "Total quantity") is kept.
    """
    rows: list[dict[str, Any]] = items.norm.value
    codes = {r["hs_code"] for r in rows}
    if None not in codes:  # every row classified: lots of one good share their HS code
        several = len(codes) > 1
    else:
        several = len({" ".join(str(r["description"] or "").lower().split()) for r in rows}) > 1
    if not several:
        return
    in_table = {id(w) for w in items.words}
    for name in SINGLE_GOOD:
        reading = readings.get(name)
        if reading is None or not any(id(w) in in_table for w in reading.words):
            continue
        value = reading.norm.value
        if name == "quantity" and isinstance(value, tuple) and value[1] in MEASURES:
            continue
        del readings[name]


def fill_from_items(readings: dict[str, Reading], items: Reading, table: Table) -> None:
    """Fill invoice fields the header does not print from the items table."""
    rows: list[dict[str, Any]] = items.norm.value
    units = {r["unit"] for r in rows}
    derived: dict[str, Norm] = {
        "goods_description": nz.parse_text(goods_name(table, items)),
        "hs_code": Norm(rows[0]["hs_code"], rows[0]["hs_code"] is not None),
    }
    if len(units) == 1 and all(r["quantity"] is not None for r in rows):
        total = round(sum(r["quantity"] for r in rows), 6)
        derived["quantity"] = Norm((total, units.pop()), True)
    if len(rows) == 1:
        derived["unit_price"] = Norm(rows[0]["unit_price"], rows[0]["unit_price"] is not None)
    for name, norm in derived.items():
        if name not in readings and norm.value is not None:
            readings[name] = Reading(norm, items.raw, items.words, strong=False)


def total_from_items(readings: dict[str, Reading], items: Reading) -> None:
    """Fill a total no line of the page gave with the sum of the items' amounts.

    It comes after the page's own total lines are read: a receipt's or a tax invoice's total
    adds tax and rounding to its items.
    """
    rows: list[dict[str, Any]] = items.norm.value
    if "total_amount" in readings or any(r["amount"] is None for r in rows):
        return
    norm = Norm(round(sum(r["amount"] for r in rows), 2), True, "no total printed: the sum of the items")
    readings["total_amount"] = Reading(norm, items.raw, items.words, strong=False)
