"""Render a DocSpec to a digital PDF in one of six issuer layouts.

Layout "A" prints one ``Label: value`` row per field under a centred title; layout "B" prints an
issuer letterhead and a two-column grid of ruled boxes (small label on top, value below). Layouts
"C" to "F" live in :mod:`tradeverify_train.synth.render_more` ("E" and "F" are held out from extractor
development). Labels come from the shared vocabulary (:func:`layout_label`) so the extractor reads
what the generator prints. Contracts print their free-text clauses after the fields. Output is
byte-reproducible: same spec, same bytes.

Bilingual documents (``DocSpec.lang == "en+zh"``) print the Chinese title beside the English one
(:func:`draw_title`) and each label as "中文 English", or Chinese alone where the spec asks or
the pair does not fit the layout's label column (:func:`printed_label`); the Chinese comes from
the vocabulary's labels.zh.yaml and is drawn in an embedded CJK font (:mod:`.cjk`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from tradeverify.domain import CANONICAL_FIELDS
from tradeverify.extract.normalize import MONTH_FIRST_COUNTRIES
from tradeverify.extract.vocab import field_labels, label_for, title_labels
from tradeverify_train.synth.cjk import BilingualCanvas, font_for, zh_date
from tradeverify_train.synth.docspec import LAYOUTS, DocSpec
from tradeverify_train.synth.formats import (
    format_amount,
    format_container,
    format_count,
    format_date,
    format_price,
    format_quantity,
    format_weight,
)

PAGE_W, PAGE_H = A4
MARGIN = 50.0
TOP_Y = PAGE_H - 60.0
BOTTOM_Y = 60.0
FONT, BOLD = "Helvetica", "Helvetica-Bold"
A_LABEL_X, A_VALUE_X = MARGIN, MARGIN + 150.0
A_VALUE_WIDTH = PAGE_W - MARGIN - A_VALUE_X

# Printed order of header fields. "unit" is printed with the quantity, line items as a table and
# the invoice total below that table, so none of them has a row of its own here.
_NOT_IN_HEADER = {"sales_contract": {"unit"},
                  "commercial_invoice": {"unit", "line_items", "total_amount"}}
FIELD_ORDER: dict[str, tuple[str, ...]] = {
    doc_type: tuple(f for f in names if f not in _NOT_IN_HEADER.get(doc_type, set()))
    for doc_type, names in CANONICAL_FIELDS.items()
}
PARTY_FIELDS = frozenset(
    {"seller_name", "buyer_name", "shipper_name", "consignee_name", "notify_party", "carrier_name"}
)
DATE_FIELDS = frozenset(
    {"contract_date", "invoice_date", "latest_shipment_date", "shipped_on_board_date", "issue_date"}
)
PORT_FIELDS = frozenset({"port_of_loading", "port_of_discharge"})
AMOUNT_FIELDS = frozenset({"total_amount", "unit_price"})
WEIGHT_FIELDS = frozenset({"gross_weight_kg", "net_weight_kg"})
TABLE_COLUMNS: tuple[tuple[str, float, bool], ...] = (
    # (header, width in pt, right-aligned); widths sum to the printable width (495 pt).
    ("Description", 165.0, False),
    ("HS Code", 55.0, False),
    ("Quantity", 75.0, True),
    ("Unit", 35.0, False),
    ("Unit Price", 75.0, True),
    ("Amount", 90.0, True),
)


@dataclass(frozen=True)
class Entry:
    """One labelled field as printed: its label and logical value lines (wrapped at draw time)."""

    field: str
    label: str
    lines: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# From DocSpec to printed entries
# ---------------------------------------------------------------------------------------------


# Which title variant of labels.yaml each layout prints (purchase contracts always print theirs).
_TITLE_VARIANT: dict[str, dict[str, int]] = {
    "C": {"sales_contract": 2, "bill_of_lading": 1, "packing_list": 1},
    "D": {"sales_contract": 3, "commercial_invoice": 1},
    "E": {"bill_of_lading": 2, "packing_list": 2},
}


def document_title(spec: DocSpec) -> str:
    """Return the title printed on the document (purchase contracts get their own title)."""
    titles = title_labels("en")[spec.doc_type]
    if spec.doc_type == "sales_contract" and spec.contract_role == "purchase":
        return titles[1]
    return titles[_TITLE_VARIANT.get(spec.layout, {}).get(spec.doc_type, 0)]


def layout_label(layout: str, name: str, position: int = 0) -> str:
    """Return the label ``layout`` prints for field ``name`` (the ``position``-th entry).

    A-D print one vocabulary variant each (0-3, the last one where a field has fewer); E mixes
    variants from field to field, F prints every field's last variant.
    """
    variants = field_labels("en")[name]
    if layout == "E":
        return variants[(position + 1) % len(variants)]
    if layout == "F":
        return variants[-1]
    return label_for(name, LAYOUTS.index(layout))


def zh_title(spec: DocSpec) -> str | None:
    """Return the Chinese title of a bilingual document (None for an English one)."""
    if not spec.bilingual:
        return None
    titles = title_labels("zh").get(spec.doc_type)
    if not titles:
        return None
    purchase = spec.doc_type == "sales_contract" and spec.contract_role == "purchase"
    return titles[1] if purchase and len(titles) > 1 else titles[0]


# Room for a label left of its value, per layout: (width in points, font size, upper-cased).
# A bilingual "中文 English" label wider than this is printed in Chinese alone.
LABEL_ROOM: dict[str, tuple[float, float, bool]] = {
    "A": (136.0, 10.0, False), "B": (235.0, 7.0, False), "C": (150.0, 7.0, True),
    "D": (136.0, 9.0, False), "E": (100.0, 7.5, True), "F": (95.0, 8.0, False),
}  # fmt: skip


def printed_label(spec: DocSpec, name: str, position: int = 0) -> str:
    """Return the label printed for ``name``: English, or in a bilingual document with Chinese.

    The Chinese variant alternates by layout (0 in A, C, E; 1 in B, D, F), as the English one
    differs per layout; a field without a Chinese label stays English.
    """
    english = layout_label(spec.layout, name, position)
    variants = field_labels("zh").get(name) if spec.bilingual else None
    if not variants:
        return english
    chinese = variants[min(LAYOUTS.index(spec.layout) % 2, len(variants) - 1)]
    pair = f"{chinese} {english}"
    room, size, upper = LABEL_ROOM[spec.layout]
    text = f"{pair.upper() if upper else pair}:"
    fits = stringWidth(text, font_for(text, BOLD), size) <= room
    return pair if fits and name not in spec.zh_only else chinese


def draw_title(canvas: Canvas, spec: DocSpec, x: float, y: float, text: str, align: str) -> None:
    """Draw the title ``text`` aligned "left", "centre" or "right" at ``x``, in the current font.

    A bilingual document's Chinese title goes before the English one on the same line, a wide
    gap apart (two titles, not one); right-aligned titles share their line with the issuer's
    name, so there the Chinese one goes on the line above instead.
    """
    chinese = zh_title(spec)
    size = canvas._fontsize
    if chinese is None or align == "right":
        draw = {"left": canvas.drawString, "centre": canvas.drawCentredString,
                "right": canvas.drawRightString}[align]  # fmt: skip
        draw(x, y, text)
        if chinese is not None:
            canvas.drawRightString(x, y + 1.3 * size, chinese)
        return
    gap = 2.5 * size  # wider than a column gap of the layout engine: each title reads alone
    zh_width = stringWidth(chinese, font_for(chinese, BOLD), size)
    en_width = stringWidth(text, canvas._fontname, size)
    left = x if align == "left" else x - (zh_width + gap + en_width) / 2
    canvas.drawString(left, y, chinese)
    canvas.drawString(left + zh_width + gap, y, text)


def build_entries(spec: DocSpec) -> list[Entry]:
    """Return the labelled header entries of ``spec`` in printed order, skipping absent fields."""
    entries: list[Entry] = []
    for name in FIELD_ORDER[spec.doc_type]:
        value = spec.fields.get(name)
        if value is None or value == [] or value == "":
            continue
        label = printed_label(spec, name, len(entries))
        entries.append(Entry(name, label, value_lines(spec, name, value)))
    return entries


def value_lines(spec: DocSpec, name: str, value: Any) -> tuple[str, ...]:
    """Return the logical lines printed for one field value (name + address for a party)."""
    if name in PARTY_FIELDS and isinstance(value, str) and value in spec.parties:
        party = spec.parties[value]
        return (party.name, *[ln.strip() for ln in party.address.splitlines() if ln.strip()])
    if name == "container_numbers":
        printed = [format_container(str(c), spec.layout) for c in value]
        # A runs them on as few lines as fit; B stacks one per line as box forms do; the other
        # layouts pack them into their own column width when drawing.
        return tuple(pack(printed, A_VALUE_WIDTH)) if spec.layout == "A" else tuple(printed)
    return (format_scalar(spec, name, value),)


def issuer_month_first(spec: DocSpec) -> bool:
    """Return True when the issuer (at the port of loading) writes numeric dates month first."""
    return str(spec.fields.get("port_of_loading") or "")[:2] in MONTH_FIRST_COUNTRIES


def format_scalar(spec: DocSpec, name: str, value: Any) -> str:
    """Format one single-line field value the way ``spec.layout`` prints it."""
    if name in DATE_FIELDS:
        if spec.bilingual and spec.zh_dates:
            return zh_date(date.fromisoformat(str(value)[:10]))
        return format_date(value, spec.layout, month_first=issuer_month_first(spec))
    if name in PORT_FIELDS:
        port = spec.ports.get(str(value))
        return port.printed if port else str(value)
    if name == "unit_price":
        return format_price(value)
    if name in AMOUNT_FIELDS:
        return format_amount(value)
    if name in WEIGHT_FIELDS:
        return format_weight(value)
    if name == "quantity":
        return format_quantity(value, spec.fields.get("unit"))
    if name == "number_of_packages":
        return format_count(value)
    return str(value)


def wrap(lines: Iterable[str], font: str, size: float, width: float) -> list[str]:
    """Wrap logical lines to ``width`` points; an over-long single word is kept whole."""
    out: list[str] = []
    for line in lines:
        out.extend(simpleSplit(line, font, size, width) or [""])
    return out


def pack(items: Sequence[str], width: float, font: str = FONT, size: float = 10.0) -> list[str]:
    """Join ``items`` with ", " into lines of at most ``width`` points, never splitting an item.

    A line that continues on the next one ends with ",", so a wrapped container list reads back
    as one comma-separated list and no container number is ever broken across lines.
    """
    lines: list[str] = []
    for item in items:
        candidate = f"{lines[-1]} {item}" if lines else item
        if lines and stringWidth(f"{candidate},", font, size) <= width:
            lines[-1] = candidate
        else:
            lines.append(item)
        lines[-1] += ","
    return [*lines[:-1], lines[-1].removesuffix(",")] if lines else []


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------


class Sheet:
    """A canvas with a write cursor that starts a new page instead of drawing off the page."""

    def __init__(self, canvas: Canvas, top: float = TOP_Y) -> None:
        self.canvas = canvas
        self.y = top

    def reserve(self, height: float) -> None:
        """Ensure ``height`` points fit above the bottom margin, breaking the page if not."""
        if self.y - height < BOTTOM_Y:
            self.new_page()

    def new_page(self) -> None:
        """Start a new page and move the cursor to its top."""
        self.canvas.showPage()
        self.y = TOP_Y

    def room(self, leading: float, pad: float) -> int:
        """Return how many lines of ``leading`` (plus ``pad`` once) fit above the margin."""
        return max(0, int((self.y - BOTTOM_Y - pad) // leading))

    def take(self, lines: int, leading: float, pad: float = 0.0) -> int:
        """Return how many of ``lines`` to draw here, breaking the page first when needed.

        A block that fits on a fresh page moves there whole; only a block taller than a whole
        page is split, so values are never cut except when they could not fit anyway.
        """
        fits_fresh_page = lines <= int((TOP_Y - BOTTOM_Y - pad) // leading)
        if lines > self.room(leading, pad) and (fits_fresh_page or self.room(leading, pad) < 1):
            self.new_page()
        return min(lines, self.room(leading, pad))


def render_pdf(spec: DocSpec, path: Path) -> None:
    """Render ``spec`` to a PDF at ``path`` (A4, Helvetica, byte-reproducible)."""
    from tradeverify_train.synth import diverse  # it builds on this module's helpers

    if spec.layout not in LAYOUTS and not diverse.is_diverse(spec.layout):
        raise ValueError(f"unknown layout {spec.layout!r}; expected one of {LAYOUTS}, R<n> or X<n>")
    path.parent.mkdir(parents=True, exist_ok=True)
    # invariant=1 fixes the creation date and document ID so equal specs give equal bytes.
    canvas = BilingualCanvas(str(path), pagesize=A4, invariant=1)
    randomized = diverse.is_diverse(spec.layout)
    canvas.setTitle(diverse.title_text(spec) if randomized else document_title(spec))
    sheet = Sheet(canvas)
    if randomized:
        diverse.draw(sheet, spec)
    elif spec.layout == "A":
        _draw_layout_a(sheet, spec)
    elif spec.layout == "B":
        _draw_layout_b(sheet, spec)
    else:
        from tradeverify_train.synth import render_more  # it builds on this module's helpers

        render_more.draw(sheet, spec)
    if spec.clauses:
        draw_clauses(sheet, spec.clauses, size=9.0 if spec.layout in ("A", "B") else 8.5)
    _draw_signature(sheet, spec)
    canvas.showPage()
    canvas.save()


def _draw_signature(sheet: Sheet, spec: DocSpec) -> None:
    """Draw an authorised-signature line at the foot, as issued documents carry one."""
    sheet.reserve(30 + 14)  # gap above the line, then the line and its caption
    sheet.y -= 30
    x = PAGE_W - MARGIN - 180 if spec.layout == "B" else MARGIN
    sheet.canvas.setLineWidth(0.5)
    sheet.canvas.line(x, sheet.y, x + 180, sheet.y)
    sheet.canvas.setFont(FONT, 8)
    sheet.canvas.drawString(x, sheet.y - 10, "Authorised Signature")
    sheet.y -= 14


CLAUSES_HEADING = "Terms and Conditions"


def draw_clauses(sheet: Sheet, clauses: Sequence[str], *, size: float = 9.0) -> None:
    """Draw the numbered "Terms and Conditions" paragraphs across the page width.

    The number hangs in the margin of its paragraph; a paragraph may run onto the next page.
    """
    leading, indent = size * 1.3, 18.0
    sheet.y -= 14
    sheet.reserve(2 * leading + 14)
    sheet.canvas.setFont(BOLD, size + 1)
    sheet.canvas.drawString(MARGIN, sheet.y, CLAUSES_HEADING)
    sheet.y -= leading + 6
    for number, clause in enumerate(clauses, start=1):
        lines = wrap([clause], FONT, size, PAGE_W - 2 * MARGIN - indent)
        sheet.take(min(2, len(lines)), leading)  # no paragraph starts on a page's last line
        sheet.canvas.setFont(FONT, size)
        sheet.canvas.drawString(MARGIN, sheet.y, f"{number}.")
        for text in lines:
            sheet.take(1, leading)
            sheet.canvas.setFont(FONT, size)
            sheet.canvas.drawString(MARGIN + indent, sheet.y, text)
            sheet.y -= leading
        sheet.y -= leading * 0.5


# --- layout A: centred title, "Label: value" rows --------------------------------------------

A_SIZE, A_LEADING, A_ROW_GAP = 10.0, 13.0, 5.0


def _draw_layout_a(sheet: Sheet, spec: DocSpec) -> None:
    """Draw layout A: centred title, rule, one row per field, then items and total."""
    canvas = sheet.canvas
    canvas.setFont(BOLD, 16)
    draw_title(canvas, spec, PAGE_W / 2, sheet.y, document_title(spec), "centre")
    canvas.setLineWidth(1)
    canvas.line(MARGIN, sheet.y - 10, PAGE_W - MARGIN, sheet.y - 10)
    sheet.y -= 36
    for entry in build_entries(spec):
        _draw_row_a(sheet, entry.label, entry.lines)
    if spec.doc_type == "commercial_invoice":
        _draw_items_table(sheet, spec, ruled=False)
        total = spec.fields.get("total_amount")
        if total is not None:
            _draw_row_a(sheet, printed_label(spec, "total_amount"), (format_amount(total),))


def _draw_row_a(sheet: Sheet, label: str, lines: Sequence[str]) -> None:
    """Draw one ``Label: value`` row; wrapped value and address lines go under the value.

    A value taller than a page continues on the next one under a repeated label.
    """
    wrapped = wrap(lines, FONT, A_SIZE, A_VALUE_WIDTH)
    while wrapped:
        count = sheet.take(len(wrapped), A_LEADING)
        canvas = sheet.canvas
        canvas.setFont(BOLD, A_SIZE)
        canvas.drawString(A_LABEL_X, sheet.y, f"{label}:")
        canvas.setFont(FONT, A_SIZE)
        for i, text in enumerate(wrapped[:count]):
            canvas.drawString(A_VALUE_X, sheet.y - i * A_LEADING, text)
        sheet.y -= A_LEADING * count
        wrapped = wrapped[count:]
    sheet.y -= A_ROW_GAP


# --- layout B: letterhead, title top-right, two-column grid of boxes -------------------------

B_BOX_W = (PAGE_W - 2 * MARGIN) / 2
B_LABEL_SIZE, B_VALUE_SIZE, B_LEADING = 7.0, 10.0, 12.0
B_BOX_PAD = 20.0  # label band above the first value line plus bottom padding


def _draw_layout_b(sheet: Sheet, spec: DocSpec) -> None:
    """Draw layout B: letterhead and title, boxed two-column grid, then items and total."""
    _draw_letterhead(sheet, spec)
    entries = build_entries(spec)
    for i in range(0, len(entries), 2):
        _draw_box_row(sheet, entries[i : i + 2])
    if spec.doc_type == "commercial_invoice":
        sheet.y -= 12
        _draw_items_table(sheet, spec, ruled=True)
        total = spec.fields.get("total_amount")
        if total is not None:
            label = printed_label(spec, "total_amount")
            entry = Entry("total_amount", label, (format_amount(total),))
            _draw_box_row(sheet, [entry], first_x=MARGIN + B_BOX_W)


def issuer_lines(spec: DocSpec) -> list[str]:
    """Return the letterhead lines: the seller's (or shipper's) name and address, if known."""
    key = spec.fields.get("seller_name") or spec.fields.get("shipper_name")
    party = spec.parties.get(str(key)) if key else None
    if party is None:
        return []
    return [party.name, *[ln.strip() for ln in party.address.splitlines() if ln.strip()]]


def _draw_letterhead(sheet: Sheet, spec: DocSpec) -> None:
    """Draw the issuer block top-left and the title top-right, then a rule under both."""
    canvas = sheet.canvas
    lines = issuer_lines(spec)
    canvas.setFont(BOLD, 16)
    draw_title(canvas, spec, PAGE_W - MARGIN, sheet.y, document_title(spec), "right")
    y = sheet.y
    for i, text in enumerate(wrap(lines[:1], BOLD, 12, 260) + wrap(lines[1:], FONT, 8.5, 260)):
        canvas.setFont(BOLD if i == 0 else FONT, 12 if i == 0 else 8.5)
        canvas.drawString(MARGIN, y, text)
        y -= 15 if i == 0 else 11
    sheet.y = min(y, sheet.y - 24) - 4
    canvas.setLineWidth(1.5)
    canvas.line(MARGIN, sheet.y, PAGE_W - MARGIN, sheet.y)
    sheet.y -= 10


def _draw_box_row(sheet: Sheet, entries: Sequence[Entry], first_x: float = MARGIN) -> None:
    """Draw up to two ruled boxes side by side, all as tall as the tallest one.

    A box taller than a page continues on the next one under a repeated label.
    """
    boxes = [
        (first_x + col * B_BOX_W, entry.label, wrap(entry.lines, FONT, B_VALUE_SIZE, B_BOX_W - 10))
        for col, entry in enumerate(entries)
    ]
    while boxes:
        count = sheet.take(max(len(body) for _, _, body in boxes), B_LEADING, B_BOX_PAD)
        height = B_BOX_PAD + B_LEADING * count
        for x, label, body in boxes:
            _draw_box(sheet.canvas, x, sheet.y, height, label, body[:count])
        sheet.y -= height
        boxes = [(x, label, body[count:]) for x, label, body in boxes if body[count:]]


def _draw_box(canvas: Canvas, x: float, top: float, height: float, label: str, body: Sequence[str]) -> None:
    """Draw one ruled box: small label at its top-left, value lines below it."""
    canvas.setLineWidth(0.6)
    canvas.rect(x, top - height, B_BOX_W, height)
    canvas.setFont(FONT, B_LABEL_SIZE)
    canvas.drawString(x + 4, top - 9, label)
    canvas.setFont(FONT, B_VALUE_SIZE)
    for i, text in enumerate(body):
        canvas.drawString(x + 5, top - 21 - i * B_LEADING, text)


# --- line-items table (both layouts) ---------------------------------------------------------

T_SIZE, T_LEADING = 8.5, 10.5


def _item_cells(item: dict[str, Any]) -> list[str]:
    """Return the printed cells of one line item, in TABLE_COLUMNS order."""
    unit, quantity = item.get("unit"), item.get("quantity")
    price, amount = item.get("unit_price"), item.get("amount")
    return [
        str(item.get("description") or ""),
        str(item.get("hs_code") or ""),
        "" if quantity is None else format_quantity(quantity, unit, with_unit=False),
        str(unit or ""),
        "" if price is None else format_price(price),
        "" if amount is None else format_amount(amount),
    ]


def _draw_items_table(sheet: Sheet, spec: DocSpec, *, ruled: bool) -> None:
    """Draw the line-items table: header row, one row per item (descriptions wrap)."""
    items = spec.fields.get("line_items") or []
    if not items:
        return
    sheet.y -= 6
    headers = [col[0] for col in TABLE_COLUMNS]
    _draw_table_row(sheet, [[h] for h in headers], BOLD, ruled=ruled, shade=ruled)
    for item in items:
        cells = _item_cells(item)
        wrapped = [wrap([cells[0]], FONT, T_SIZE, TABLE_COLUMNS[0][1] - 8)]
        _draw_table_row(sheet, wrapped + [[c] for c in cells[1:]], FONT, ruled=ruled)
    sheet.canvas.setLineWidth(0.8)
    sheet.canvas.line(MARGIN, sheet.y, PAGE_W - MARGIN, sheet.y)
    sheet.y -= 18


def _draw_table_row(
    sheet: Sheet, cells: list[list[str]], font: str, *, ruled: bool, shade: bool = False
) -> None:
    """Draw one table row of (already wrapped) cells with a rule above it."""
    height = 6 + T_LEADING * max(len(c) for c in cells)
    sheet.reserve(height)
    canvas = sheet.canvas
    if shade:  # a grey header band, as many invoice forms print
        canvas.setFillGray(0.88)
        canvas.rect(MARGIN, sheet.y - height, PAGE_W - 2 * MARGIN, height, stroke=0, fill=1)
        canvas.setFillGray(0)
    canvas.setLineWidth(0.8 if font == BOLD or not ruled else 0.4)
    canvas.line(MARGIN, sheet.y, PAGE_W - MARGIN, sheet.y)
    x = MARGIN
    canvas.setFont(font, T_SIZE)
    for (_, width, right), lines in zip(TABLE_COLUMNS, cells, strict=True):
        if ruled:
            canvas.line(x, sheet.y, x, sheet.y - height)
        for i, text in enumerate(lines):
            baseline = sheet.y - 9 - i * T_LEADING
            if right:
                canvas.drawRightString(x + width - 4, baseline, text)
            else:
                canvas.drawString(x + 4, baseline, text)
        x += width
    if ruled:
        canvas.line(x, sheet.y, x, sheet.y - height)
    sheet.y -= height
