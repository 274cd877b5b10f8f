"""Issuer layouts "C" to "F": structurally unlike A and B, and unlike each other.

- **C** (development): title left over a rule; the parties side by side in two columns, then a
  three-column grid without rules; every label is printed in small capitals *above* its value;
  long values wrap inside their column; an unruled items table.
- **D** (development): centred letterhead (issuer name and address) and a title between rules;
  one column of *right-aligned* ``Label:`` captions with values wrapping in a narrow column;
  an unruled items table headed ``Goods | H.S. Code | Qty | Unit | Price | Total``.
- **E** (held out): issuer name top-left, title top-right, no rules at all; a key/value table
  with two ``LABEL  value`` pairs per row, parties and long values on full-width rows.
- **F** (held out): title-case title over a centred letterhead and a double rule; two zones side
  by side, parties stacked (label above value) on the left and ``Label: value`` rows on the
  right, long values full width underneath.

E and F are held out: the extractor must never be tuned on them (see synth/docspec.LAYOUT_SETS).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tradeverify_train.synth.docspec import DocSpec
from tradeverify_train.synth.formats import format_amount, format_price, format_quantity
from tradeverify_train.synth.render import (
    BOLD,
    FONT,
    MARGIN,
    PAGE_W,
    PARTY_FIELDS,
    Entry,
    Sheet,
    build_entries,
    document_title,
    draw_title,
    issuer_lines,
    pack,
    printed_label,
    wrap,
)

WIDTH = PAGE_W - 2 * MARGIN
# Values that run long; E and F give them a full-width row.
LONG_FIELDS = frozenset({"goods_description", "payment_terms", "container_numbers"})

# (item key, header, width, right-aligned); widths sum to WIDTH (495 pt).
Columns = tuple[tuple[str, str, float, bool], ...]
COLUMNS: dict[str, Columns] = {
    "C": (("description", "Description", 165.0, False), ("hs_code", "HS Code", 55.0, False),
          ("quantity", "Qty", 75.0, True), ("unit", "Unit", 35.0, False),
          ("unit_price", "Unit Price", 75.0, True), ("amount", "Amount (USD)", 90.0, True)),
    "D": (("description", "Goods", 170.0, False), ("hs_code", "H.S. Code", 60.0, False),
          ("quantity", "Qty", 70.0, True), ("unit", "Unit", 35.0, False),
          ("unit_price", "Price", 70.0, True), ("amount", "Total", 90.0, True)),
    "E": (("description", "Description", 170.0, False), ("quantity", "Quantity", 70.0, True),
          ("unit", "Unit", 35.0, False), ("unit_price", "Unit Price", 75.0, True),
          ("amount", "Amount", 85.0, True), ("hs_code", "HS Code", 60.0, False)),
    "F": (("description", "Description of Goods", 175.0, False),
          ("hs_code", "HS Code", 55.0, False), ("quantity", "Quantity", 70.0, True),
          ("unit", "Unit", 35.0, False), ("unit_price", "Unit Price", 70.0, True),
          ("amount", "Amount", 90.0, True)),
}  # fmt: skip


def draw(sheet: Sheet, spec: DocSpec) -> None:
    """Draw the body of ``spec`` in its layout (C, D, E or F); the caller adds the signature."""
    {"C": _draw_c, "D": _draw_d, "E": _draw_e, "F": _draw_f}[spec.layout](sheet, spec)


def cell_lines(entry: Entry, width: float, size: float) -> list[str]:
    """Return an entry's value lines wrapped to ``width``; containers never break mid-number."""
    if entry.field == "container_numbers":
        return pack(entry.lines, width, FONT, size)
    return wrap(entry.lines, FONT, size, width)


def _total_entry(spec: DocSpec, position: int) -> Entry | None:
    """Return the invoice total printed under the items table (None when absent)."""
    total = spec.fields.get("total_amount")
    if spec.doc_type != "commercial_invoice" or total is None:
        return None
    return Entry("total_amount", printed_label(spec, "total_amount", position),
                 (format_amount(total),))


def _split(entries: Sequence[Entry], fields: frozenset[str]) -> tuple[list[Entry], list[Entry]]:
    """Split entries into those naming one of ``fields`` and the rest, keeping their order."""
    return [e for e in entries if e.field in fields], [e for e in entries if e.field not in fields]


# --- C: label above value, small capitals, parties side by side, 3-column grid ------------------

C_LABEL, C_VALUE, C_LEADING = 7.0, 9.5, 11.5


def _draw_c(sheet: Sheet, spec: DocSpec) -> None:
    """Draw layout C: title over a rule, parties in two columns, a three-column grid."""
    canvas = sheet.canvas
    canvas.setFont(BOLD, 15)
    draw_title(canvas, spec, MARGIN, sheet.y, document_title(spec).upper(), "left")
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, sheet.y - 8, PAGE_W - MARGIN, sheet.y - 8)
    sheet.y -= 28
    entries = build_entries(spec)
    parties, others = _split(entries, PARTY_FIELDS - {"carrier_name"})
    stacked_grid(sheet, parties, 2)
    stacked_grid(sheet, others, 3)
    if spec.doc_type == "commercial_invoice":
        items_table(sheet, spec, header_rule=False)
        total = _total_entry(spec, len(entries))
        if total is not None:  # under the Amount column, label above it as in the grid
            stacked_grid(sheet, [total], 1, x0=MARGIN + WIDTH * 2 / 3, width=WIDTH / 3)


def stacked_grid(
    sheet: Sheet, entries: Sequence[Entry], columns: int, *,
    x0: float = MARGIN, width: float = WIDTH,
) -> None:
    """Draw entries in a grid without rules, each label in small capitals above its value."""
    col_w = width / columns
    for start in range(0, len(entries), columns):
        row = entries[start : start + columns]
        bodies = [cell_lines(e, col_w - 14, C_VALUE) for e in row]
        height = 11 + C_LEADING * max(len(b) for b in bodies) + 8
        sheet.reserve(height)
        for col, (entry, body) in enumerate(zip(row, bodies, strict=True)):
            x = x0 + col * col_w
            sheet.canvas.setFont(FONT, C_LABEL)
            sheet.canvas.drawString(x, sheet.y, entry.label.upper())
            sheet.canvas.setFont(FONT, C_VALUE)
            for i, text in enumerate(body):
                sheet.canvas.drawString(x, sheet.y - 11 - i * C_LEADING, text)
        sheet.y -= height


# --- D: centred letterhead, right-aligned labels, narrow wrapped values --------------------------

D_LABEL_RIGHT = MARGIN + 140
D_VALUE_X, D_VALUE_W = D_LABEL_RIGHT + 12, 240.0
D_SIZE, D_LEADING = 9.5, 12.0


def _draw_d(sheet: Sheet, spec: DocSpec) -> None:
    """Draw layout D: centred letterhead, ruled title, right-aligned label column."""
    _centred_letterhead(sheet, spec, name_size=13)
    canvas = sheet.canvas
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, sheet.y + 4, PAGE_W - MARGIN, sheet.y + 4)
    sheet.y -= 16
    canvas.setFont(BOLD, 13)
    draw_title(canvas, spec, PAGE_W / 2, sheet.y, document_title(spec), "centre")
    canvas.line(MARGIN, sheet.y - 8, PAGE_W - MARGIN, sheet.y - 8)
    sheet.y -= 30
    entries = build_entries(spec)
    for entry in entries:
        _right_label_row(sheet, entry)
    if spec.doc_type == "commercial_invoice":
        items_table(sheet, spec, header_rule=False)
        total = _total_entry(spec, len(entries))
        if total is not None:
            sheet.canvas.setFont(BOLD, D_SIZE)
            sheet.canvas.drawRightString(PAGE_W - MARGIN - 110, sheet.y, f"{total.label}:")
            sheet.canvas.setFont(FONT, D_SIZE)
            sheet.canvas.drawRightString(PAGE_W - MARGIN, sheet.y, total.lines[0])
            sheet.y -= D_LEADING


def _right_label_row(sheet: Sheet, entry: Entry) -> None:
    """Draw ``Label:`` right-aligned at the label column's edge, the value wrapped beside it."""
    body = cell_lines(entry, D_VALUE_W, D_SIZE)
    sheet.take(len(body), D_LEADING)
    sheet.canvas.setFont(BOLD, D_SIZE - 0.5)
    sheet.canvas.drawRightString(D_LABEL_RIGHT, sheet.y, f"{entry.label}:")
    sheet.canvas.setFont(FONT, D_SIZE)
    for i, text in enumerate(body):
        sheet.canvas.drawString(D_VALUE_X, sheet.y - i * D_LEADING, text)
    sheet.y -= D_LEADING * len(body) + 4


def _centred_letterhead(sheet: Sheet, spec: DocSpec, *, name_size: float) -> None:
    """Draw the issuer's name and address centred at the top of the page."""
    lines = issuer_lines(spec)
    for i, text in enumerate(lines):
        sheet.canvas.setFont(BOLD if i == 0 else FONT, name_size if i == 0 else 8.5)
        sheet.canvas.drawCentredString(PAGE_W / 2, sheet.y, text)
        sheet.y -= name_size + 4 if i == 0 else 11
    sheet.y -= 4


# --- E: key/value table, two pairs per row, no rules (held out) ----------------------------------

E_LABEL, E_SIZE, E_LEADING = 7.5, 9.0, 11.5
E_PAIR_W, E_VALUE_DX = WIDTH / 2, 112.0


def _draw_e(sheet: Sheet, spec: DocSpec) -> None:
    """Draw layout E: name top-left and title top-right, then a key/value table without rules."""
    canvas = sheet.canvas
    canvas.setFont(BOLD, 15)
    draw_title(canvas, spec, PAGE_W - MARGIN, sheet.y, document_title(spec), "right")
    issuer = issuer_lines(spec)
    if issuer:
        canvas.setFont(BOLD, 11)
        canvas.drawString(MARGIN, sheet.y, issuer[0])
    sheet.y -= 36
    entries = build_entries(spec)
    wide, pairs = _split(entries, PARTY_FIELDS | LONG_FIELDS)
    for entry in wide:
        _pair_row(sheet, [entry], WIDTH)
    for start in range(0, len(pairs), 2):
        _pair_row(sheet, pairs[start : start + 2], E_PAIR_W)
    if spec.doc_type == "commercial_invoice":
        items_table(sheet, spec, header_rule=False)
        total = _total_entry(spec, len(entries))
        if total is not None:
            _pair_row(sheet, [total], E_PAIR_W, x0=MARGIN + E_PAIR_W)


def _pair_row(sheet: Sheet, entries: Sequence[Entry], pair_w: float, x0: float = MARGIN) -> None:
    """Draw up to two ``LABEL  value`` pairs side by side; values wrap within their cell."""
    bodies = [cell_lines(e, pair_w - E_VALUE_DX - 8, E_SIZE) for e in entries]
    count = sheet.take(max(len(b) for b in bodies), E_LEADING)
    for col, (entry, body) in enumerate(zip(entries, bodies, strict=True)):
        x = x0 + col * pair_w
        sheet.canvas.setFont(BOLD, E_LABEL)
        sheet.canvas.drawString(x, sheet.y, entry.label.upper())
        sheet.canvas.setFont(FONT, E_SIZE)
        for i, text in enumerate(body[:count]):
            sheet.canvas.drawString(x + E_VALUE_DX, sheet.y - i * E_LEADING, text)
    sheet.y -= E_LEADING * count + 5


# --- F: two zones, parties stacked left, Label: value rows right (held out) ----------------------

F_LABEL, F_SIZE, F_LEADING = 8.0, 9.0, 11.5
F_RIGHT_X = MARGIN + 255
F_RIGHT_VALUE_X = F_RIGHT_X + 105


def _draw_f(sheet: Sheet, spec: DocSpec) -> None:
    """Draw layout F: title and letterhead centred, double rule, two zones, long values below."""
    canvas = sheet.canvas
    canvas.setFont(BOLD, 16)
    draw_title(canvas, spec, PAGE_W / 2, sheet.y, document_title(spec).title(), "centre")
    sheet.y -= 22
    _centred_letterhead(sheet, spec, name_size=10)
    for dy in (0.0, 3.0):
        canvas.setLineWidth(0.7)
        canvas.line(MARGIN, sheet.y - dy, PAGE_W - MARGIN, sheet.y - dy)
    sheet.y -= 20
    entries = build_entries(spec)
    long, rest = _split(entries, LONG_FIELDS)
    parties, refs = _split(rest, PARTY_FIELDS)
    top = sheet.y
    left_end = _f_parties(sheet, parties)
    sheet.y = top
    for entry in refs:
        _f_ref_row(sheet, entry)
    sheet.y = min(sheet.y, left_end)
    for entry in long:
        _f_long(sheet, entry)
    if spec.doc_type == "commercial_invoice":
        items_table(sheet, spec, header_rule=True)
        total = _total_entry(spec, len(entries))
        if total is not None:
            _f_ref_row(sheet, total)


def _f_parties(sheet: Sheet, parties: Sequence[Entry]) -> float:
    """Draw the parties stacked in the left zone (``Label:`` above name and address)."""
    for entry in parties:
        body = cell_lines(entry, 230, F_SIZE)
        sheet.reserve(10 + F_LEADING * len(body))
        sheet.canvas.setFont(BOLD, F_LABEL)
        sheet.canvas.drawString(MARGIN, sheet.y, f"{entry.label}:")
        sheet.canvas.setFont(FONT, F_SIZE)
        for i, text in enumerate(body):
            sheet.canvas.drawString(MARGIN + 8, sheet.y - 11 - i * F_LEADING, text)
        sheet.y -= 11 + F_LEADING * len(body) + 8
    return sheet.y


def _f_ref_row(sheet: Sheet, entry: Entry) -> None:
    """Draw one ``Label: value`` row of the right zone; the value wraps in its column."""
    body = cell_lines(entry, PAGE_W - MARGIN - F_RIGHT_VALUE_X, F_SIZE)
    sheet.take(len(body), F_LEADING)
    sheet.canvas.setFont(BOLD, F_LABEL)
    sheet.canvas.drawString(F_RIGHT_X, sheet.y, f"{entry.label}:")
    sheet.canvas.setFont(FONT, F_SIZE)
    for i, text in enumerate(body):
        sheet.canvas.drawString(F_RIGHT_VALUE_X, sheet.y - i * F_LEADING, text)
    sheet.y -= F_LEADING * len(body) + 4


def _f_long(sheet: Sheet, entry: Entry) -> None:
    """Draw a long value full width, its ``Label:`` on the line above."""
    body = cell_lines(entry, WIDTH - 8, F_SIZE)
    sheet.y -= 6
    sheet.reserve(11 + F_LEADING * len(body))
    sheet.canvas.setFont(BOLD, F_LABEL)
    sheet.canvas.drawString(MARGIN, sheet.y, f"{entry.label}:")
    sheet.canvas.setFont(FONT, F_SIZE)
    for i, text in enumerate(body):
        sheet.canvas.drawString(MARGIN + 8, sheet.y - 11 - i * F_LEADING, text)
    sheet.y -= 11 + F_LEADING * len(body)


# --- unruled items table ---------------------------------------------------------------------------

T_SIZE, T_LEADING = 8.5, 10.5


def item_cells(item: dict[str, Any]) -> dict[str, str]:
    """Return the printed cells of one line item by item key."""
    unit, quantity = item.get("unit"), item.get("quantity")
    price, amount = item.get("unit_price"), item.get("amount")
    return {
        "description": str(item.get("description") or ""),
        "hs_code": str(item.get("hs_code") or ""),
        "quantity": "" if quantity is None else format_quantity(quantity, unit, with_unit=False),
        "unit": str(unit or ""),
        "unit_price": "" if price is None else format_price(price),
        "amount": "" if amount is None else format_amount(amount),
    }


def items_table(sheet: Sheet, spec: DocSpec, *, header_rule: bool) -> None:
    """Draw the line items without cell rules: bold headers, one row per item."""
    items = spec.fields.get("line_items") or []
    if not items:
        return
    columns = COLUMNS[spec.layout]
    sheet.y -= 10
    _table_row(sheet, columns, {key: [header] for key, header, _, _ in columns}, BOLD)
    if header_rule:
        sheet.canvas.setLineWidth(0.5)
        sheet.canvas.line(MARGIN, sheet.y + 2, PAGE_W - MARGIN, sheet.y + 2)
    for item in items:
        cells = item_cells(item)
        desc_w = columns[[c[0] for c in columns].index("description")][2] - 8
        lines = {k: wrap([v], FONT, T_SIZE, desc_w) if k == "description" else [v] for k, v in cells.items()}
        _table_row(sheet, columns, lines, FONT)
    sheet.y -= 16


def _table_row(sheet: Sheet, columns: Columns, cells: dict[str, list[str]], font: str) -> None:
    """Draw one table row of wrapped cells (no rules) and move the cursor under it."""
    height = 4 + T_LEADING * max(len(v) for v in cells.values())
    sheet.reserve(height)
    sheet.canvas.setFont(font, T_SIZE)
    x = MARGIN
    for key, _header, width, right in columns:
        for i, text in enumerate(cells.get(key, [])):
            baseline = sheet.y - 9 - i * T_LEADING
            if right:
                sheet.canvas.drawRightString(x + width - 4, baseline, text)
            else:
                sheet.canvas.drawString(x + 4, baseline, text)
        x += width
    sheet.y -= height
