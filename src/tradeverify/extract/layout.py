"""Layout reading: words -> lines -> label occurrences -> values, and the line-items table.

Coordinates are page fractions, so x and y have different scales; horizontal distances are
therefore measured in "character widths" of the line (its ink width per character) and vertical
ones in line heights, which keeps every threshold independent of DPI, page size and font size.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from tradeverify.domain import PageText, Word
from tradeverify.extract.vocab import field_labels

# A gap wider than this many character widths separates segments (columns, label | value);
# a word space is ~0.5 character widths, a column gap several.
BIG_GAP = 2.5
# A same-line value farther right than this page fraction belongs to another column (layout B).
FAR_VALUE = 0.25
# Lines below a label: at most this many line heights under it (boxed label above value).
BELOW_LINES = 1.6
# Continuation lines: at most this many line heights under the previous value line.
CONTINUATION_LINES = 1.0
# x tolerance, in character widths, for "starts where the label / the value starts".
ALIGN_CHARS = 1.5
# Table cells: a gap of more than this many character widths ends a cell.
CELL_GAP = 1.2
# OCR words may be slightly misread; a token this similar (0-100) to a label token still counts.
FUZZY_TOKEN = 80.0
_STRIP = ":.#;"


def fold_token(text: str) -> str:
    """Lower-case a word and drop trailing ':' '.' '#' ';' (a bare "#" or ":" stays itself)."""
    lowered = text.lower()
    stripped = lowered.rstrip(_STRIP)
    return stripped if stripped else lowered[:1]


# --- lines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """Words of one printed line on one page, left to right."""

    page: int
    words: tuple[Word, ...]

    @property
    def x0(self) -> float:
        """Left edge."""
        return self.words[0].x0

    @property
    def y0(self) -> float:
        """Top edge."""
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        """Bottom edge."""
        return max(w.y1 for w in self.words)

    @property
    def height(self) -> float:
        """Median word height: robust to one tall word (a title beside a letterhead)."""
        return statistics.median(w.y1 - w.y0 for w in self.words)

    @property
    def char_width(self) -> float:
        """Average character width in x units, the line's horizontal yardstick."""
        chars = sum(len(w.text) for w in self.words)
        return sum(w.x1 - w.x0 for w in self.words) / max(chars, 1)

    @property
    def text(self) -> str:
        """The line's words joined by single spaces."""
        return " ".join(w.text for w in self.words)

    def gap(self, i: int) -> float:
        """Horizontal gap before word ``i`` in character widths (infinite for the first word)."""
        if i == 0:
            return float("inf")
        return (self.words[i].x0 - self.words[i - 1].x1) / max(self.char_width, 1e-9)

    def segments(self) -> list[tuple[Word, ...]]:
        """Split the line at big gaps (columns, label | value)."""
        out: list[list[Word]] = []
        for i, word in enumerate(self.words):
            if i == 0 or self.gap(i) > BIG_GAP:
                out.append([])
            out[-1].append(word)
        return [tuple(s) for s in out]


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Group words into lines by vertical overlap, per page, in reading order."""
    by_page: dict[int, list[Word]] = {}
    for word in words:
        by_page.setdefault(word.page, []).append(word)
    lines: list[Line] = []
    for page in sorted(by_page):
        lines.extend(_page_lines(page, by_page[page]))
    return lines


def _page_lines(page: int, words: list[Word]) -> list[Line]:
    """Return one page's lines, top to bottom."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        row = rows[-1] if rows else None
        if row is not None and _overlaps(row, word):
            row.append(word)
        else:
            rows.append([word])
    return [Line(page, tuple(sorted(r, key=lambda w: w.x0))) for r in rows]


def _overlaps(row: list[Word], word: Word) -> bool:
    """Return True when ``word`` overlaps the row's mean band by half the smaller height."""
    top = sum(w.y0 for w in row) / len(row)
    bottom = sum(w.y1 for w in row) / len(row)
    overlap = min(bottom, word.y1) - max(top, word.y0)
    return overlap >= 0.5 * min(bottom - top, word.y1 - word.y0)


# --- labels -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """One printed label variant of a field."""

    field: str
    text: str
    variant: int
    tokens: tuple[str, ...]


@lru_cache(maxsize=1)
def vocabulary() -> tuple[Label, ...]:
    """Return every field label, longest first (so "Unit Price" wins over "Price")."""
    labels = [
        Label(name, text, i, tuple(fold_token(t) for t in text.split()))
        for name, variants in field_labels().items()
        for i, text in enumerate(variants)
    ]
    return tuple(sorted(labels, key=lambda lb: (-len(lb.tokens), -len(lb.text))))


@dataclass(frozen=True)
class LabelHit:
    """A label found on a line: words ``start:end`` of ``lines[line]``."""

    label: Label
    line: int
    start: int
    end: int
    x0: float
    x1: float
    strong: bool  # ends with ':' or stands alone in its segment

    @property
    def field(self) -> str:
        """The field the label names."""
        return self.label.field


# Characters OCR confuses with each other ("B/L" read "BIL", "No" read "N0") fold to one class.
_OCR_CLASSES = str.maketrans({"/": "l", "|": "l", "1": "l", "i": "l", "!": "l", "0": "o"})


def _token_eq(word: Word, token: str) -> bool:
    """Compare a page word with a label token; OCR words get a small fuzzy allowance."""
    folded = fold_token(word.text)
    if folded == token:
        return True
    if word.conf >= 1.0:
        return False
    if folded.translate(_OCR_CLASSES) == token.translate(_OCR_CLASSES):
        return True
    return len(token) >= 4 and fuzz.ratio(folded, token) >= FUZZY_TOKEN


def line_labels(line: Line, index: int) -> list[LabelHit]:
    """Return the labels on one line: each must start the line or follow a big gap."""
    hits: list[LabelHit] = []
    i = 0
    while i < len(line.words):
        hit = _match_at(line, index, i) if line.gap(i) > BIG_GAP else None
        if hit is not None:
            hits.append(hit)
            i = hit.end
        else:
            i += 1
    return hits


def _match_at(line: Line, index: int, i: int) -> LabelHit | None:
    """Return the longest acceptable label starting at word ``i``."""
    words = line.words
    for label in vocabulary():
        n = len(label.tokens)
        if i + n > len(words) or not all(
            _token_eq(words[i + k], label.tokens[k]) for k in range(n)
        ):
            continue
        end = i + n
        while end < len(words) and fold_token(words[end].text) in (":", "#"):
            end += 1  # a detached colon ("Seller :") belongs to the label
        colon = words[end - 1].text.endswith(":")
        alone = end == len(words) or line.gap(end) > BIG_GAP
        # A single common word ("To", "Price") followed by more text is prose, not a label.
        if colon or alone or n >= 2:
            return LabelHit(label, index, i, end, words[i].x0, words[end - 1].x1, colon or alone)
    return None


# --- values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """The words read as a label's value, one tuple per printed line."""

    hit: LabelHit
    rows: tuple[tuple[Word, ...], ...]

    @property
    def words(self) -> tuple[Word, ...]:
        """All value words in reading order."""
        return tuple(w for row in self.rows for w in row)

    @property
    def text(self) -> str:
        """The value as one string (lines joined by a space)."""
        return " ".join(" ".join(w.text for w in row) for row in self.rows)


@dataclass
class Layout:
    """Lines, label occurrences and the items table of one document."""

    lines: list[Line]
    hits: list[LabelHit]
    table: Table | None = None
    _starts: dict[int, dict[int, LabelHit]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for hit in self.hits:
            self._starts.setdefault(hit.line, {})[hit.start] = hit

    def starts(self, line: int) -> dict[int, LabelHit]:
        """Return word index -> label hit for one line."""
        return self._starts.get(line, {})

    def free_segments(self) -> list[tuple[Word, ...]]:
        """Return the segments that hold no label and lie outside the items table.

        Pattern fallbacks search these when a field's label was not read (OCR drops small
        labels such as "Curr." more often than the values under them).
        """
        label_words = {
            id(w) for h in self.hits for w in self.lines[h.line].words[h.start : h.end]
        }
        skip = set(self.table.lines) if self.table else set()
        return [
            segment
            for i, line in enumerate(self.lines)
            if i not in skip
            for segment in line.segments()
            if not any(id(w) in label_words for w in segment)
        ]

    def values(self, field_name: str, *, multiline: bool = False) -> list[Value]:
        """Return a value for every occurrence of ``field_name``'s labels, in reading order."""
        out = []
        for hit in self.hits:
            if hit.field == field_name:
                value = read_value(self, hit, multiline=multiline)
                if value is not None:
                    out.append(value)
        return out


def build_layout(pages: Sequence[PageText]) -> Layout:
    """Group the pages' words into lines, find the items table and every label."""
    lines = group_lines(w for page in pages for w in page.words)
    table = find_table(lines)
    skip = set(table.lines) if table else set()
    hits = [h for i, line in enumerate(lines) if i not in skip for h in line_labels(line, i)]
    return Layout(lines, hits, table)


def read_value(layout: Layout, hit: LabelHit, *, multiline: bool = False) -> Value | None:
    """Return the value of a label: right of it on its line, else on the line below it.

    With ``multiline``, aligned lines directly under the first value line are appended
    (wrapped descriptions, stacked container numbers); party addresses are never wanted.
    """
    bound = _column_bound(layout, hit)
    first = _same_line(layout, hit) or _below(layout, hit, bound)
    if first is None:
        return None
    line_index, row = first
    rows = [row]
    if multiline:
        rows.extend(_continuation(layout, line_index, row[0].x0, bound))
    return Value(hit, tuple(rows))


def _column_bound(layout: Layout, hit: LabelHit) -> float:
    """Return the x where the next label to the right on the label's line starts (or 1.0)."""
    right = [h.x0 for h in layout.starts(hit.line).values() if h.x0 > hit.x1]
    return min(right, default=1.0)


def _run(layout: Layout, index: int, start: int, bound: float) -> tuple[Word, ...]:
    """Return words from ``start`` rightwards until a big gap, a label or ``bound``."""
    line, starts = layout.lines[index], layout.starts(index)
    run: list[Word] = []
    for i in range(start, len(line.words)):
        word = line.words[i]
        if word.x0 >= bound or (run and (i in starts or line.gap(i) > BIG_GAP)):
            break
        run.append(word)
    return tuple(run)


def _same_line(layout: Layout, hit: LabelHit) -> tuple[int, tuple[Word, ...]] | None:
    """Return the value right of the label on its own line, if there is one nearby."""
    line = layout.lines[hit.line]
    if hit.end >= len(line.words) or hit.end in layout.starts(hit.line):
        return None
    if line.words[hit.end].x0 - hit.x1 > FAR_VALUE:
        return None
    run = _run(layout, hit.line, hit.end, 1.0)
    return (hit.line, run) if run else None


def _below(layout: Layout, hit: LabelHit, bound: float) -> tuple[int, tuple[Word, ...]] | None:
    """Return the value under the label: the first line below with a word in its x-range."""
    top = layout.lines[hit.line]
    tol = ALIGN_CHARS * top.char_width
    for index in range(hit.line + 1, len(layout.lines)):
        line = layout.lines[index]
        if line.page != top.page or line.y0 - top.y1 > BELOW_LINES * line.height:
            return None
        for i, word in enumerate(line.words):
            if hit.x0 - tol <= word.x0 <= hit.x1 and word.x0 < bound:
                if i in layout.starts(index):
                    return None  # the next field's label: this one has no value
                run = _run(layout, index, i, bound)
                return (index, run) if run else None
    return None


def _continuation(
    layout: Layout, index: int, x_start: float, bound: float
) -> list[tuple[Word, ...]]:
    """Return the wrapped lines under a value line that start where the value starts."""
    rows: list[tuple[Word, ...]] = []
    previous = layout.lines[index]
    for j in range(index + 1, len(layout.lines)):
        line = layout.lines[j]
        if line.page != previous.page or line.y0 - previous.y1 > CONTINUATION_LINES * line.height:
            break
        if any(h.x0 < bound for h in layout.starts(j).values()):
            break  # the next row of labels
        tol = ALIGN_CHARS * line.char_width
        aligned = [i for i, w in enumerate(line.words) if abs(w.x0 - x_start) <= tol]
        if not aligned:
            continue  # a line of another column; keep measuring from the last value line
        run = _run(layout, j, aligned[0], bound)
        if run:
            rows.append(run)
            previous = line
    return rows


# --- the line-items table -----------------------------------------------------------------------

TABLE_HEADERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "description": (("description",), ("goods",)),
    "hs_code": (("hs", "code"), ("h.s", "code"), ("hs",)),
    "quantity": (("quantity",), ("qty",)),
    "unit": (("unit",),),
    "unit_price": (("unit", "price"), ("price",)),
    "amount": (("amount",), ("total",), ("value",)),
}
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


def find_table(lines: Sequence[Line]) -> Table | None:
    """Find the items table: a header row (Description ... Amount) and the rows under it."""
    for index, line in enumerate(lines):
        columns = _header_columns(line)
        keys = {c.key for c in columns}
        if {"description", "amount"} <= keys and len(keys) >= 4:
            body = _table_body(lines, index, columns)
            rows = _table_rows([lines[i] for i in body], columns)
            return Table(index, columns, (index, *body), tuple(rows))
    return None


def _header_columns(line: Line) -> tuple[Column, ...]:
    """Match header names on a line, longest first, into columns."""
    columns: list[Column] = []
    words, i = line.words, 0
    while i < len(words):
        for key, tokens in _HEADER_TOKENS:
            n = len(tokens)
            if tuple(fold_token(w.text) for w in words[i : i + n]) == tokens:
                columns.append(Column(key, words[i].x0, words[i + n - 1].x1))
                i += n
                break
        else:
            i += 1
    return tuple(columns)


def _table_body(lines: Sequence[Line], header: int, columns: Sequence[Column]) -> list[int]:
    """Return the line indexes of the rows: until a blank gap or a label line.

    A table broken by a page break goes on at the top of the next page when that line is a
    row (cells in two or more item columns), since the header is not always repeated.
    """
    body: list[int] = []
    previous = lines[header]
    for index in range(header + 1, len(lines)):
        line = lines[index]
        if line.page != previous.page:
            if not _is_item_row(line, columns):
                break
        elif line.y0 - previous.y1 > 2.5 * line.height:
            break
        if any(h.strong for h in line_labels(line, index)):
            break
        body.append(index)
        previous = line
    return body


def _is_item_row(line: Line, columns: Sequence[Column]) -> bool:
    """Return True when a line fills at least two columns other than the description."""
    keys = {key for cell in _cells(line) for key, _ in _assign(cell, columns)}
    return len(keys - {"description"}) >= 2


def _cells(line: Line) -> list[tuple[Word, ...]]:
    """Split a row line into cells at gaps wider than a word space."""
    cells: list[list[Word]] = []
    for i, word in enumerate(line.words):
        if i == 0 or line.gap(i) > CELL_GAP:
            cells.append([])
        cells[-1].append(word)
    return [tuple(c) for c in cells]


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


def _table_rows(
    lines: Sequence[Line], columns: Sequence[Column]
) -> list[dict[str, tuple[Word, ...]]]:
    """Group row lines into rows; a line with only description text continues the row above."""
    rows: list[dict[str, list[Word]]] = []
    for line in lines:
        cells: dict[str, list[Word]] = {}
        for cell in _cells(line):
            for key, word in _assign(cell, columns):
                cells.setdefault(key, []).append(word)
        if rows and set(cells) <= {"description"}:
            rows[-1].setdefault("description", []).extend(cells.get("description", []))
        else:
            rows.append(cells)
    return [{k: tuple(v) for k, v in row.items()} for row in rows]
