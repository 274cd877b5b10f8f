"""Diverse layouts: a randomized layout space with captions from a six-language lexicon.

The fixed layouts A-F print the extractor's own caption vocabulary in six house styles, so a
figure measured on them says little about an issuer the project has never seen. A diverse layout
is named ``R<n>`` (drawn from the training part of the space) or ``X<n>`` (the held-out part) and
``n`` seeds its style: caption language and wording (lexicon.yaml), grid (label beside or above
its value, one to three columns, ruled boxes or none), where the issuer prints (letterhead or
footer only), title, field order, items-table column order, number convention (``1,234.56``
``1.234,56`` ``1 234,56`` ``1'234.56``), date convention (ISO, numeric day- or month-first, month
names in the caption language, ``30. SEP. 2022``, Chinese) and an on-board stamp on bills of
lading. The same name always gives the same style, so a cloned contract looks like its original.

The held-out part never shares a caption, a grid or an issuer position with the training part:
it measures generalization to captions and arrangements that were never trained or tuned on.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date as babel_date
from reportlab.pdfbase.pdfmetrics import stringWidth

from tradeverify_train.synth.cjk import font_for, zh_date
from tradeverify_train.synth.docspec import DocSpec
from tradeverify_train.synth.formats import format_number, price_decimals
from tradeverify_train.synth.render import (
    BOLD,
    DATE_FIELDS,
    FIELD_ORDER,
    FONT,
    MARGIN,
    PAGE_W,
    PARTY_FIELDS,
    PORT_FIELDS,
    Entry,
    Sheet,
    format_scalar,
    issuer_lines,
    issuer_month_first,
    pack,
    value_lines,
    wrap,
)

LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")
PARTS = ("train", "holdout")
LANGS = ("en", "de", "fr", "es", "nl", "zh")
_LANG_WEIGHTS = (0.40, 0.14, 0.12, 0.12, 0.12, 0.10)
# The layout space, split: the held-out part's grids and issuer positions are never trained on.
_GRIDS: dict[str, tuple[tuple[str, int], ...]] = {
    "train": (("rows", 1), ("stacked", 2), ("boxes", 2), ("stacked", 1)),
    "holdout": (("rows", 2), ("stacked", 3), ("boxes", 3), ("boxes", 1)),
}
_ISSUER_AT = {"train": ("left", "centre"), "holdout": ("right", "footer")}
_NUMBERS = {"en": ("1,234.56", "1,234.56", "1'234.56"), "de": ("1.234,56", "1'234.56"), "fr": ("1 234,56",),
            "es": ("1.234,56",), "nl": ("1.234,56",), "zh": ("1,234.56",)}  # fmt: skip
_DATES = ("iso", "dotted", "slashed", "abbr", "long", "stamp-caps")
WIDTH = PAGE_W - 2 * MARGIN
VALUE_SIZE, LEADING = 9.0, 11.0


def is_diverse(layout: str) -> bool:
    """Return True for a diverse layout name (``R17``, ``X3``)."""
    return re.fullmatch(r"[RX]\d+", layout) is not None


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """Return the caption lexicon (titles, fields, columns -> part -> language -> captions)."""
    return yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Style:
    """One issuer's house style, drawn from its layout name."""

    part: str
    lang: str
    grid: str  # "rows": label left of its value; "stacked": label above; "boxes": stacked, ruled
    columns: int
    label_size: float
    upper: bool
    suffix: str
    issuer_at: str
    title_at: str
    numbers: str
    dates: str
    containers: str
    stamp: bool
    seed: int


def style_of(layout: str) -> Style:
    """Return the style a diverse layout name stands for (the same name, the same style)."""
    if not is_diverse(layout):
        raise ValueError(f"{layout!r} is not a diverse layout (R<n> or X<n>)")
    part = "train" if layout[0] == "R" else "holdout"
    rng = random.Random(f"diverse:{layout}")
    lang = rng.choices(LANGS, _LANG_WEIGHTS)[0]
    grid, columns = rng.choice(_GRIDS[part])
    issuer_at = rng.choice(_ISSUER_AT[part])
    return Style(
        part=part, lang=lang, grid=grid, columns=columns, label_size=rng.choice((7.0, 7.5, 8.0, 9.0)),
        upper=rng.random() < 0.35, suffix=rng.choice((":", ":", "")),
        issuer_at=issuer_at, title_at=rng.choice(("left", "centre", "right")),
        numbers=rng.choice(_NUMBERS[lang]), dates="zh" if lang == "zh" and rng.random() < 0.6
        else rng.choice(_DATES), containers=rng.choice(("compact", "spaced", "split")),
        stamp=rng.random() < 0.5, seed=rng.randrange(2**31),
    )  # fmt: skip


def caption(style: Style, kind: str, key: str) -> str:
    """Return the caption ``style`` prints for ``key`` (a field, title or column) of ``kind``."""
    variants = lexicon()[kind][key][style.part]
    choices = variants.get(style.lang) or variants["en"]
    return random.Random(f"{style.seed}:{kind}:{key}").choice(choices)


def label_text(style: Style, doc_type: str, name: str) -> str:
    """Return a field's printed label with the style's case and suffix."""
    key = "contract_value" if doc_type == "sales_contract" and name == "total_amount" else name
    text = caption(style, "fields", key)
    return (text.upper() if style.upper else text) + style.suffix


# --- values ------------------------------------------------------------------------------------


def format_day(style: Style, value: Any, *, month_first: bool) -> str:
    """Print a date in the style's convention and caption language."""
    day = date.fromisoformat(str(value)[:10])
    locale = "en" if style.lang == "zh" else style.lang
    if style.dates == "zh":
        return zh_date(day)
    if style.dates == "iso":
        return day.isoformat()
    if style.dates == "dotted":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    if style.dates == "slashed":
        first, second = (day.month, day.day) if month_first else (day.day, day.month)
        return f"{first:02d}/{second:02d}/{day.year}"
    if style.dates == "stamp-caps":  # "30. SEP. 2022"
        month = babel_date(day, "MMM", locale="en").upper().rstrip(".")
        return f"{day.day:02d}. {month}. {day.year}"
    pattern = "d MMM y" if style.dates == "abbr" else ("MMMM d, y" if locale == "en" else "d MMMM y")
    return babel_date(day, pattern, locale=locale)


def format_container(style: Style, number: str) -> str:
    """Print an ISO 6346 number compact (``MSCU1234565``), spaced or split before its check digit."""
    compact = number.replace(" ", "").upper()
    if len(compact) != 11 or style.containers == "compact":
        return compact
    if style.containers == "spaced":
        return f"{compact[:4]} {compact[4:10]} {compact[10]}"
    return f"{compact[:4]} {compact[4:10]}-{compact[10]}"


def format_value(style: Style, spec: DocSpec, name: str, value: Any) -> tuple[str, ...]:
    """Return the value lines one field prints in ``style``."""
    if name in PARTY_FIELDS:
        return value_lines(spec, name, value)
    if name in PORT_FIELDS:
        return (format_scalar(spec, name, value),)
    if name in DATE_FIELDS:
        return (format_day(style, value, month_first=issuer_month_first(spec)),)
    if name == "container_numbers":
        return tuple(format_container(style, str(c)) for c in value)  # packed to the cell's width
    number = _number(style, spec, name, value)
    return (str(value),) if number is None else (number,)


def _number(style: Style, spec: DocSpec, name: str, value: Any) -> str | None:
    """Print a numeric field in the style's convention (None when ``name`` is not numeric)."""
    if name == "unit_price":
        return format_number(value, price_decimals(float(value)), style.numbers)
    if name == "total_amount":
        return format_number(value, 2, style.numbers)
    if name in ("gross_weight_kg", "net_weight_kg"):
        return f"{format_number(value, 3, style.numbers)} {'kg' if style.lang != 'en' else 'KGS'}"
    if name == "quantity":
        unit = spec.fields.get("unit")
        decimals = 0 if unit == "PCS" and float(value).is_integer() else 3
        return f"{format_number(value, decimals, style.numbers)} {unit or ''}".strip()
    if name == "number_of_packages":
        return format_number(round(float(value)), 0, style.numbers)
    return None


# --- drawing -------------------------------------------------------------------------------------


def draw(sheet: Sheet, spec: DocSpec) -> None:
    """Draw ``spec`` in the diverse style its layout name stands for."""
    style = style_of(spec.layout)
    _letterhead(sheet, spec, style)
    _title(sheet, spec, style)
    stamped = style.stamp and spec.doc_type == "bill_of_lading"
    entries = _entries(spec, style, skip={"shipped_on_board_date"} if stamped else set())
    _grid(sheet, style, entries)
    if spec.doc_type == "commercial_invoice":
        _items(sheet, spec, style)
    if stamped and spec.fields.get("shipped_on_board_date"):
        _stamp(sheet, spec, style)


def _entries(spec: DocSpec, style: Style, skip: set[str]) -> list[Entry]:
    """Return the header entries in the style's field order."""
    names = [n for n in FIELD_ORDER[spec.doc_type] if n not in skip]
    rng = random.Random(f"{style.seed}:order:{spec.doc_type}")
    parties = [n for n in names if n in PARTY_FIELDS]
    others = [n for n in names if n not in PARTY_FIELDS]
    rng.shuffle(others)
    order = parties + others if rng.random() < 0.6 else others[:3] + parties + others[3:]
    entries = []
    for name in order:
        value = spec.fields.get(name)
        if value is None or value == [] or value == "":
            continue
        label = label_text(style, spec.doc_type, name)
        entries.append(Entry(name, label, format_value(style, spec, name, value)))
    return entries


def _width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font_for(text, font), size)


def _letterhead(sheet: Sheet, spec: DocSpec, style: Style) -> None:
    """Draw the issuer top left, centred or right; or only as a footer line on the first page."""
    lines = issuer_lines(spec)
    canvas = sheet.canvas
    if not lines:
        return
    if style.issuer_at == "footer":
        canvas.setFont(FONT, 7.5)
        canvas.drawCentredString(PAGE_W / 2, 38, " · ".join(lines))
        return
    x = {"left": MARGIN, "centre": PAGE_W / 2, "right": PAGE_W - MARGIN}[style.issuer_at]
    for i, text in enumerate(lines):
        canvas.setFont(BOLD if i == 0 else FONT, 13 if i == 0 else 8.5)
        _draw_at(canvas, style.issuer_at, x, sheet.y, text)
        sheet.y -= 16 if i == 0 else 11
    sheet.y -= 8


def _draw_at(canvas: Any, align: str, x: float, y: float, text: str) -> None:
    {"left": canvas.drawString, "centre": canvas.drawCentredString, "right": canvas.drawRightString}[align](
        x, y, text
    )


def title_text(spec: DocSpec) -> str:
    """Return the title a diverse-layout document prints."""
    key = "purchase_contract" if spec.contract_role == "purchase" else spec.doc_type
    return caption(style_of(spec.layout), "titles", key)


def _title(sheet: Sheet, spec: DocSpec, style: Style) -> None:
    """Draw the title on a line of its own, then a rule."""
    text = title_text(spec)
    x = {"left": MARGIN, "centre": PAGE_W / 2, "right": PAGE_W - MARGIN}[style.title_at]
    sheet.canvas.setFont(BOLD, 16)
    _draw_at(sheet.canvas, style.title_at, x, sheet.y - 6, text)
    sheet.canvas.setLineWidth(0.8)
    sheet.canvas.line(MARGIN, sheet.y - 14, PAGE_W - MARGIN, sheet.y - 14)
    sheet.y -= 34


def _grid(sheet: Sheet, style: Style, entries: Sequence[Entry]) -> None:
    """Draw the entries in rows of ``style.columns`` cells."""
    col_w = WIDTH / style.columns
    label_w = _label_width(style, entries, col_w)
    for start in range(0, len(entries), style.columns):
        row = entries[start : start + style.columns]
        cells = [_cell(style, entry, col_w, label_w) for entry in row]
        height = max(_cell_height(style, labels, body) for labels, body in cells)
        sheet.reserve(height)
        for col, (labels, body) in enumerate(cells):
            _draw_cell(sheet, style, MARGIN + col * col_w, (col_w, label_w, height), labels, body)
        sheet.y -= height


def _label_width(style: Style, entries: Sequence[Entry], col_w: float) -> float:
    """Return the label column of a "rows" grid: its widest label, at most 45 % of the cell."""
    widest = max((_width(e.label, BOLD, style.label_size + 1) for e in entries), default=60.0)
    return min(widest + 10, col_w * 0.45)


def _cell(style: Style, entry: Entry, col_w: float, label_w: float) -> tuple[list[str], list[str]]:
    """Return a cell's label lines and wrapped value lines."""
    rows = style.grid == "rows"
    width = col_w - label_w - 10 if rows else col_w - 14
    if entry.field == "container_numbers":  # never break a number: "MSCU 123456 5" has spaces
        body = pack(entry.lines, width, FONT, VALUE_SIZE)
    else:
        body = wrap(entry.lines, FONT, VALUE_SIZE, width)
    labels = wrap([entry.label], BOLD, style.label_size + 1, label_w - 8) if rows else [entry.label]
    return labels, body


def _cell_height(style: Style, labels: Sequence[str], body: Sequence[str]) -> float:
    if style.grid == "rows":
        return LEADING * max(len(labels), len(body)) + 5
    return style.label_size + 6 + LEADING * len(body) + (10 if style.grid == "boxes" else 7)


def _draw_cell(
    sheet: Sheet, style: Style, x: float, size: tuple[float, float, float],
    labels: Sequence[str], body: Sequence[str],
) -> None:  # fmt: skip
    """Draw one cell at ``x`` on the current row; ``size`` is (cell width, label width, row height)."""
    col_w, label_w, height = size
    canvas, top = sheet.canvas, sheet.y
    if style.grid == "rows":
        canvas.setFont(BOLD, style.label_size + 1)
        for i, text in enumerate(labels):
            canvas.drawString(x, top - 9 - i * LEADING, text)
        _lines(canvas, x + label_w, top - 9, body)
        return
    if style.grid == "boxes":
        canvas.setLineWidth(0.6)
        canvas.rect(x, top - height + 2, col_w, height)
        x += 4
    canvas.setFont(FONT, style.label_size)
    canvas.drawString(x, top - style.label_size - 1, labels[0])
    _lines(canvas, x + 1, top - style.label_size - 4 - LEADING + 2, body)


def _lines(canvas: Any, x: float, y: float, body: Sequence[str]) -> None:
    canvas.setFont(FONT, VALUE_SIZE)
    for i, text in enumerate(body):
        canvas.drawString(x, y - i * LEADING, text)


# --- items table and stamp ------------------------------------------------------------------------

_COLUMN_SHARE = {"description": 0.34, "hs_code": 0.12, "quantity": 0.14, "unit": 0.08,
                 "unit_price": 0.14, "amount": 0.18}  # fmt: skip


def _columns(style: Style) -> list[str]:
    """Return the items-table columns in the style's order."""
    rng = random.Random(f"{style.seed}:columns")
    head = ["description", "hs_code"] if rng.random() < 0.6 else ["hs_code", "description"]
    numbers = ["quantity", "unit", "unit_price"] if rng.random() < 0.7 else ["unit", "quantity", "unit_price"]
    return head + numbers + ["amount"]


def _item_cells(style: Style, item: dict[str, Any]) -> dict[str, str]:
    unit, quantity, price, amount = (item.get(k) for k in ("unit", "quantity", "unit_price", "amount"))
    whole = unit == "PCS" and quantity is not None and float(quantity).is_integer()
    return {
        "description": str(item.get("description") or ""), "hs_code": str(item.get("hs_code") or ""),
        "quantity": "" if quantity is None else format_number(quantity, 0 if whole else 3, style.numbers),
        "unit": str(unit or ""),
        "unit_price": "" if price is None
        else format_number(price, price_decimals(float(price)), style.numbers),
        "amount": "" if amount is None else format_number(amount, 2, style.numbers),
    }  # fmt: skip


def _items(sheet: Sheet, spec: DocSpec, style: Style) -> None:
    """Draw the line items under lexicon headers, then the total under the amount column."""
    items = spec.fields.get("line_items") or []
    columns = _columns(style)
    widths = [WIDTH * _COLUMN_SHARE[c] for c in columns]
    if items:
        sheet.y -= 8
        headers = {c: caption(style, "columns", c) for c in columns}
        _table_row(sheet, columns, widths, {c: [h] for c, h in headers.items()}, BOLD)
        sheet.canvas.setLineWidth(0.5)
        sheet.canvas.line(MARGIN, sheet.y + 2, PAGE_W - MARGIN, sheet.y + 2)
        for item in items:
            cells = _item_cells(style, item)
            desc_w = widths[columns.index("description")] - 8
            _table_row(sheet, columns, widths, {c: wrap([v], FONT, 8.5, desc_w) if c == "description" else [v]
                                                for c, v in cells.items()}, FONT)  # fmt: skip
    total = spec.fields.get("total_amount")
    if total is not None:
        sheet.y -= 10
        sheet.reserve(20)
        text = (
            f"{label_text(style, spec.doc_type, 'total_amount')} {spec.fields.get('currency') or ''} "
            f"{format_number(total, 2, style.numbers)}"
        )
        sheet.canvas.setFont(BOLD, 10)
        sheet.canvas.drawRightString(PAGE_W - MARGIN - 4, sheet.y - 10, " ".join(text.split()))
        sheet.y -= 22


def _table_row(sheet: Sheet, columns: Sequence[str], widths: Sequence[float], cells: dict[str, list[str]],
               font: str) -> None:  # fmt: skip
    """Draw one row; numbers right-aligned in their column."""
    height = 4 + 10.5 * max(len(v) for v in cells.values())
    sheet.reserve(height)
    sheet.canvas.setFont(font, 8.5)
    x = MARGIN
    for column, width in zip(columns, widths, strict=True):
        right = column in ("quantity", "unit_price", "amount")
        for i, text in enumerate(cells.get(column, [])):
            if right:
                sheet.canvas.drawRightString(x + width - 4, sheet.y - 9 - i * 10.5, text)
            else:
                sheet.canvas.drawString(x + 4, sheet.y - 9 - i * 10.5, text)
        x += width
    sheet.y -= height


def _stamp(sheet: Sheet, spec: DocSpec, style: Style) -> None:
    """Draw the on-board stamp: a ruled box at the right, its caption in capitals over the date."""
    words = caption(style, "fields", "shipped_on_board_date").upper()
    day = format_day(style, spec.fields["shipped_on_board_date"], month_first=issuer_month_first(spec))
    width = max(_width(words, BOLD, 10), _width(day, BOLD, 11)) + 24
    sheet.reserve(50)
    sheet.y -= 12
    x = PAGE_W - MARGIN - width
    canvas = sheet.canvas
    canvas.setLineWidth(1.4)
    canvas.rect(x, sheet.y - 36, width, 36)
    canvas.setFont(BOLD, 10)
    canvas.drawCentredString(x + width / 2, sheet.y - 14, words)
    canvas.setFont(BOLD, 11)
    canvas.drawCentredString(x + width / 2, sheet.y - 29, day)
    sheet.y -= 44
