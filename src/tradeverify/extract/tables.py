"""The line-items table: a header of known column names (else its rows' arithmetic), rows by alignment."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from tradeverify.domain import Word
from tradeverify.extract import normalize as nz
from tradeverify.extract import rowshape
from tradeverify.extract.labels import line_labels, vocabulary
from tradeverify.extract.lines import Line, fold_token

# Rows of a table: at most this many line heights apart (a blank line ends the table).
TABLE_GAP_LINES = 2.5
# Table cells: a gap of more than this many character widths ends a cell.
CELL_GAP = 1.2
# Header cells: a word space is ~0.5 character widths, so a wider gap separates two headers
# even where right- and left-aligned columns meet ("Qty  Unit").
HEADER_GAP = 0.9


TABLE_HEADERS: dict[str, tuple[tuple[str, ...], ...]] = {
    # English first; then the German, French, Spanish, Dutch and Chinese column names, with
    # the accent-free spellings OCR often prints.
    "description": (
        ("description",), ("goods",), ("beschreibung",), ("bezeichnung",), ("désignation",),
        ("designation",), ("descripción",), ("descripcion",), ("omschrijving",), ("品名",),
    ),
    "hs_code": (
        ("hs", "code"), ("h.s", "code"), ("hs",), ("customs", "tariff"), ("tariff",),
        ("code", "sh"), ("hs编码",),
    ),
    "quantity": (
        ("quantity",), ("qty",), ("menge",), ("quantité",), ("quantite",), ("cantidad",),
        ("aantal",), ("数量",),
    ),
    "unit": (("unit",), ("einheit",), ("unité",), ("unite",), ("unidad",), ("eenheid",), ("单位",)),
    "unit_price": (
        ("unit", "price"), ("price",), ("price/unit",), ("einzelpreis",), ("prix", "unitaire"),
        ("precio", "unitario"), ("eenheidsprijs",), ("单价",),
    ),
    "amount": (
        ("amount",), ("total",), ("value",), ("betrag",), ("montant",), ("importe",),
        ("bedrag",), ("金额",),
    ),
    "item_no": (("no",), ("pos",), ("item",), ("sr",)),  # a row number: only as a cell of its own
}
# A header cell of no known name ("DATE", "Part No.", "Marks & Nos.") is still a column: its
# cells are kept out of the named columns (a part number is no part of the description).
OTHER = rowshape.OTHER
_HEADER_TOKENS = sorted(
    ((key, tokens) for key, variants in TABLE_HEADERS.items() for tokens in variants),
    key=lambda kv: -len(kv[1]),
)


@dataclass(frozen=True)
class Column:
    """A table column: its key and the x-span of its header."""

    key: str
    x0: float
    x1: float


@dataclass(frozen=True)
class Table:
    """The items table: columns, the lines it spans and its rows (column key -> words)."""

    header_line: int
    columns: tuple[Column, ...]
    lines: tuple[int, ...]
    rows: tuple[dict[str, tuple[Word, ...]], ...]


def find_table(lines: Sequence[Line], prose: frozenset[int] = frozenset()) -> Table | None:
    """Find the items table: a header row (Description ... Amount) and the rows under it.

    Lines of running text (``prose``) are never a header, whatever column names they quote.
    """
    for index, line in enumerate(lines):
        if index in prose:
            continue
        columns = _header_columns(line)
        keys = {c.key for c in columns} - {OTHER}
        if {"description", "amount"} <= keys and len(keys) >= 4:
            spans = [(index, columns, _table_body(lines, index, columns))]
            spans += _continued(lines, prose, spans[0][2][-1] if spans[0][2] else index, keys)
            rows = [row for _, cols, body in spans for row in _table_rows([lines[i] for i in body], cols)]
            covered = tuple(i for header, _, body in spans for i in (header, *body))
            return Table(index, columns, covered, tuple(rows))
    return _shape_table(lines, prose)


def _continued(
    lines: Sequence[Line], prose: frozenset[int], last: int, keys: set[str]
) -> list[tuple[int, tuple[Column, ...], list[int]]]:
    """Return the header, columns and rows of the table's continuations on the following pages.

    A table that runs over a page break often repeats its header under the next page's
    letterhead: the first line of that page with the same column names goes on with it.
    """
    spans: list[tuple[int, tuple[Column, ...], list[int]]] = []
    page = lines[last].page
    for index in range(last + 1, len(lines)):
        line = lines[index]
        if line.page == page or index in prose:
            continue
        columns = _header_columns(line)
        if {c.key for c in columns} - {OTHER} == keys:
            body = _table_body(lines, index, columns)
            spans.append((index, columns, body))
            page = lines[body[-1]].page if body else line.page
    return spans


def _shape_table(lines: Sequence[Line], prose: frozenset[int]) -> Table | None:
    """Find an items table without a known header by its first row's arithmetic (rowshape).

    The rows are that row, the item rows and description lines under it; the words-only line
    over it, when close, is its header (kept out of the fields, never read as columns).
    """
    numbers = nz.infer_number_style(line.text for line in lines)
    for index, line in enumerate(lines):
        if index in prose or any(h.strong for h in line_labels(line, index)):
            continue
        row = rowshape.item_row(line, index, numbers)
        if row is None:
            continue
        columns = tuple(Column(key, x0, x1) for key, x0, x1 in row.spans)
        body = [index, *_shape_body(lines, index, numbers, columns)]
        rows = _table_rows([lines[i] for i in body], columns)
        header = index - 1 if index and _header_like(lines[index - 1], line) else index
        return Table(header, columns, tuple(dict.fromkeys((header, *body))), tuple(rows))
    return None


def _shape_body(
    lines: Sequence[Line], first: int, numbers: nz.NumberStyle, columns: Sequence[Column]
) -> list[int]:
    """Return the lines under an item row that go on the table: item rows and description lines."""
    described = [c for c in columns if c.key == "description"]
    body: list[int] = []
    previous = lines[first]
    for index in range(first + 1, len(lines)):
        line = lines[index]
        close = line.page == previous.page and line.y0 - previous.y1 <= TABLE_GAP_LINES * line.height
        digits = any(c.isdigit() for c in line.text)
        if not close or any(h.strong for h in line_labels(line, index)):
            break
        wrapped = bool(described) and _within(line, described[0])  # "... rubber TSR" / "20"
        if digits and not wrapped and rowshape.item_row(line, index, numbers) is None:
            break
        body.append(index)
        previous = line
    return body


def _within(line: Line, column: Column) -> bool:
    """Return True when every word of ``line`` lies under ``column`` (a wrapped cell)."""
    tol = 2 * line.char_width
    return all(column.x0 - tol <= w.x0 and w.x1 <= column.x1 + tol for w in line.words)


def _header_like(above: Line, row: Line) -> bool:
    """Return True when the line over a row is a header: words only, several cells, close."""
    close = above.page == row.page and row.y0 - above.y1 <= TABLE_GAP_LINES * row.height
    return close and len(above.segments(HEADER_GAP)) >= 2 and not any(c.isdigit() for c in above.text)


def _header_columns(line: Line) -> tuple[Column, ...]:
    """Match header names on a line into columns, one column per header cell.

    A cell is a run of words without a column gap, so "Unit  Price" in two cells are two
    columns while "Unit Price" is one. Cells that OCR ran together ("Qty Unit") split into one
    column per name, but a field caption naming two keys ("TOTAL QUANTITY", printed above its
    value) is no column header at all.
    """
    columns: list[Column] = []
    for cell in _cells(line, HEADER_GAP):
        tokens = tuple(fold_token(w.text) for w in cell)
        names = _cell_names(tokens)
        if len({key for key, _, _ in names}) > 1 and tokens in caption_tokens():
            continue
        if not names:
            columns.append(Column(OTHER, cell[0].x0, cell[-1].x1))
        columns.extend(Column(key, cell[i].x0, cell[j - 1].x1) for key, i, j in names)
    return tuple(columns)


def _cell_names(tokens: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """Return ``(key, start, end)`` for the header names in one cell, longest names first."""
    found: list[tuple[str, int, int]] = []
    i = 0
    while i < len(tokens):
        for key, names in _HEADER_TOKENS:
            if key == "item_no" and len(tokens) > 1:
                continue  # "Item Description", "HS No.": the word qualifies another header
            if tokens[i : i + len(names)] == names:
                found.append((key, i, i + len(names)))
                i += len(names)
                break
        else:
            i += 1
    if len({key for key, _, _ in found}) == 1 and len(tokens) > 1:  # "Amount (USD)": one column
        return [(found[0][0], 0, len(tokens))]
    return found


@lru_cache(maxsize=1)
def caption_tokens() -> frozenset[tuple[str, ...]]:
    """Return the folded tokens of every field label (captions, not column headers)."""
    return frozenset(label.tokens for label in vocabulary())


def _table_body(lines: Sequence[Line], header: int, columns: Sequence[Column]) -> list[int]:
    """Return the line indexes of the rows: until a blank gap, a label line or the total line.

    A table broken by a page break goes on at the top of the next page when that line is a
    row (cells in two or more item columns), since the header is not always repeated.
    """
    body: list[int] = []
    previous = lines[header]
    for index in range(header + 1, len(lines)):
        line = lines[index]
        if line.page != previous.page:
            if _header_ahead(lines, index, columns) or not _is_item_row(line, columns):
                break  # a repeated header under the next page's letterhead goes on (_continued)
        elif line.y0 - previous.y1 > TABLE_GAP_LINES * line.height:
            break
        # A caption ends the table; a total caption does even run into its figure
        # ("Importe total CNY 2.530.184,97"), since the total is no item. So does a page's
        # "Continued on page 2": the rows go on under the next page's repeated header.
        if any(h.strong or h.field == "total_amount" for h in line_labels(line, index)) \
                or _CONTINUED.search(line.text):
            break
        body.append(index)
        previous = line
    return body


def _header_ahead(lines: Sequence[Line], start: int, columns: Sequence[Column]) -> bool:
    """Return True when the top of the page from ``start`` repeats the table's header."""
    keys = {c.key for c in columns} - {OTHER}
    page = lines[start].page
    ahead = (line for line in lines[start:start + HEADER_AHEAD_LINES] if line.page == page)
    return any({c.key for c in _header_columns(line)} - {OTHER} == keys for line in ahead)


_CONTINUED = re.compile(r"^\W*(?:continued|cont'd|to be continued)\b(?:\s+(?:on|overleaf|next))?",
                        re.IGNORECASE)
HEADER_AHEAD_LINES = 8  # a letterhead and a caption or two over the repeated header


def _is_item_row(line: Line, columns: Sequence[Column]) -> bool:
    """Return True when a line fills at least two columns other than the description."""
    keys = {key for cell in _cells(line) for key, _ in _assign(cell, columns)}
    return len(keys - {"description", OTHER}) >= 2


def _cells(line: Line, gap: float = CELL_GAP) -> list[tuple[Word, ...]]:
    """Split a row line into cells: table columns sit closer than label | value segments."""
    return line.segments(gap)


def _column_of(x0: float, x1: float, columns: Sequence[Column]) -> list[tuple[float, Column]]:
    """Return (overlap, column) pairs for a span, best first.

    Without any overlap the "overlap" is minus the distance, so the nearest column comes first.
    """
    return sorted(((min(x1, c.x1) - max(x0, c.x0), c) for c in columns), key=lambda t: -t[0])


def _assign(cell: tuple[Word, ...], columns: Sequence[Column]) -> list[tuple[str, Word]]:
    """Assign a cell to the column it overlaps; a cell spanning two columns goes word by word."""
    scored = _column_of(cell[0].x0, cell[-1].x1, columns)
    if len(cell) > 1 and len(scored) > 1 and scored[1][0] > 0:
        return [(_column_of(w.x0, w.x1, columns)[0][1].key, w) for w in cell]
    return [(scored[0][1].key, w) for w in cell]


def _table_rows(lines: Sequence[Line], columns: Sequence[Column]) -> list[dict[str, tuple[Word, ...]]]:
    """Group row lines into rows; a line with only description text continues the row above."""
    rows: list[dict[str, list[Word]]] = []
    for line in lines:
        cells: dict[str, list[Word]] = {}
        for cell in _cells(line):
            for key, word in _assign(cell, columns):
                cells.setdefault(key, []).append(word)
        # A line with only description text (beside marks, say) continues the row above.
        if rows and set(cells) <= {"description", OTHER}:
            rows[-1].setdefault("description", []).extend(cells.get("description", []))
        else:
            rows.append(cells)
    return [{k: tuple(v) for k, v in row.items()} for row in rows]
