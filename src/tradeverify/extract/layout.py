"""Layout reading: words -> lines -> label occurrences -> values, and the line-items table.

Lines are grouped in :mod:`~tradeverify.extract.lines`, labels found in
:mod:`~tradeverify.extract.labels`, prose set aside in :mod:`~tradeverify.extract.prose` and the
items table read in :mod:`~tradeverify.extract.tables`; this module reads each label's value.
Distances are in character widths and line heights (see :mod:`~tradeverify.extract.lines`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tradeverify.domain import PageText, Word
from tradeverify.extract.labels import COMPOUND, GENERIC_DATE, LabelHit, line_labels
from tradeverify.extract.lines import ALIGN_CHARS, BIG_GAP, CONTINUATION_LINES, Line, fold_token, group_lines
from tradeverify.extract.prose import prose_lines
from tradeverify.extract.tables import Table, find_table

# A same-line value farther right than this page fraction belongs to another column (layout B).
FAR_VALUE = 0.25
# ... unless the caption ends with a colon: a form's values are aligned in a column of their own,
# far from short captions ("ANZAHL:              11.538 PCS").
FAR_COLON_VALUE = 0.45
# Lines below a label: at most this many line heights under it (boxed label above value).
BELOW_LINES = 1.6
# ... or this many under a row of three captions or more: a particulars table's header, which
# carriers set off from its first row by a rule and a blank line. Its figure columns are
# right-aligned and read by their own reader (candidates.figure_below), so not here.
HEADER_BELOW_LINES = 2.5
HEADER_CAPTIONS = 3
FIGURE_COLUMNS = ("gross_weight_kg", "net_weight_kg", "number_of_packages")
# A TOTAL row may stand further apart, below a rule (OCR heights are glyph heights, smaller).
TOTAL_GAP_LINES = 4.0
# First words of a summary row ("TOTAL", "Grand Total"), which is no item and no list entry.
TOTAL_WORDS = frozenset({"total", "totals", "sum", "subtotal", "sub-total"})


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

    prose: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        for hit in self.hits:
            self._starts.setdefault(hit.line, {})[hit.start] = hit

    def starts(self, line: int) -> dict[int, LabelHit]:
        """Return word index -> label hit for one line."""
        return self._starts.get(line, {})

    def prose_text(self) -> list[str]:
        """Return the running-text lines (contract clauses), in reading order."""
        return [" ".join(w.text for w in self.lines[i].words) for i in sorted(self.prose)]

    def free_segments(self) -> list[tuple[Word, ...]]:
        """Return the segments that hold no label and lie outside the items table.

        Pattern fallbacks search these when a field's label was not read (OCR drops small
        labels such as "Curr." more often than the values under them).
        """
        label_words = {
            id(w) for h in self.hits for w in self.lines[h.line].words[h.start : h.end]
        }
        skip = (set(self.table.lines) if self.table else set()) | self.prose
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

    def candidates(
        self, field_name: str, *, multiline: bool = False, totals: bool = False, wrapped: bool = False
    ) -> list[list[Value]]:
        """Return, per occurrence of ``field_name``'s labels, its candidate values, best first."""
        found = (
            read_values(self, h, multiline=multiline, totals=totals, wrapped=wrapped)
            for h in self.hits
            if h.field == field_name
        )
        return [values for values in found if values]


def build_layout(pages: Sequence[PageText]) -> Layout:
    """Group the pages' words into lines, find the items table and every label."""
    lines = group_lines(w for page in pages for w in page.words)
    prose = prose_lines(lines)
    table = find_table(lines, prose)
    skip = (set(table.lines) if table else set()) | prose
    hits = [h for i, line in enumerate(lines) if i not in skip for h in line_labels(line, i)]
    return Layout(lines, hits, table, prose=prose)


def read_value(layout: Layout, hit: LabelHit, *, multiline: bool = False) -> Value | None:
    """Return the value of a label: right of it on its line, else on the line below it.

    With ``multiline``, aligned lines directly under the first value line are appended
    (wrapped descriptions, stacked container numbers); party addresses are never wanted.
    """
    values = read_values(layout, hit, multiline=multiline)
    return values[0] if values else None


def read_values(
    layout: Layout, hit: LabelHit, *, multiline: bool = False, totals: bool = False,
    wrapped: bool = False,
) -> list[Value]:
    """Return the candidate values of a label: right of it on its line, then below it.

    The one below is the fallback when the words beside a label are not its value (OCR misread
    the next caption of a row of captions, "G.W." as "Gu."). With ``totals``, a column header's
    figure on a TOTAL row further down comes first (per-container rows, then their total). With
    ``wrapped``, a multi-line value ends at its first line broken on purpose (see
    :func:`soft_wrapped`).
    """
    bound = _column_bound(layout, hit)
    values = []
    beside, below = _same_line(layout, hit), _below(layout, hit, bound)
    # Beside a numbered box's caption is the next box's caption ("5 B/L No.  6 Booking No.").
    found = (below, beside) if hit.boxed else (beside, below)
    for first in (_total_below(layout, hit) if totals else None, *found):
        if first is None:
            continue
        line_index, row = first
        if hit.parts > 1:
            part = _part(_span(layout, line_index, row, bound), hit)
            if part:
                values.append(Value(hit, (part,)))
            continue
        rows = [row]
        if multiline:
            more = _continuation(layout, line_index, row[0].x0, bound)
            char_width = layout.lines[line_index].char_width
            rows.extend(soft_wrapped(row, more, char_width, bound) if wrapped else more)
        values.append(Value(hit, tuple(rows)))
    return values


def _part(row: tuple[Word, ...], hit: LabelHit) -> tuple[Word, ...]:
    """Return the words of a compound caption's value that belong to ``hit``'s field.

    "SEA LANTERN / 214E" under "Ocean Vessel / Voy. No." splits at its "/"; a value printed
    without the separator splits where each part's caption starts when every part has words
    under its own caption ("ANDES REEFER   538N" under "Vessel  Voyage No."), else it is taken
    whole by the first field only.
    """
    pieces: list[list[Word]] = [[]]
    for word in row:
        if word.text in COMPOUND:
            pieces.append([])
        else:
            pieces[-1].append(word)
    if len(pieces) == hit.parts and all(pieces):
        return tuple(pieces[hit.part])
    columns = _by_part_column(row, hit)
    if columns is not None:
        return columns[hit.part]
    return row if hit.part == 0 else ()


def _by_part_column(row: tuple[Word, ...], hit: LabelHit) -> list[tuple[Word, ...]] | None:
    """Split a value by the starts of its compound caption's parts; None unless each gets words."""
    if len(hit.part_x0s) != hit.parts:
        return None
    starts = [x - PART_SLACK for x in hit.part_x0s[1:]]
    columns: list[list[Word]] = [[] for _ in hit.part_x0s]
    for word in row:
        columns[sum(word.x0 >= s for s in starts)].append(word)
    if not all(columns):
        return None
    return [tuple(c) for c in columns]


# A value may start a little left of its caption (centred or right-aligned captions).
PART_SLACK = 0.01


def is_total(words: Sequence[Word]) -> bool:
    """Return True for the words of a summary row, left to right ("TOTAL", "Grand Total").

    "Grand" alone is no summary: goods are called that too ("Grand pianos").
    """
    first = fold_token(words[0].text) if words else ""
    if first == "grand":
        return len(words) > 1 and fold_token(words[1].text) in TOTAL_WORDS
    return first in TOTAL_WORDS


def _total_below(layout: Layout, hit: LabelHit) -> tuple[int, tuple[Word, ...]] | None:
    """Return the words under a column header on the TOTAL row that closes its column.

    The rows between header and total lie close together (a table); the total's figure is the
    word overlapping the header horizontally, so right-aligned columns are read right.
    """
    top = layout.lines[hit.line]
    tol = ALIGN_CHARS * top.char_width
    previous = top
    for index in range(hit.line + 1, len(layout.lines)):
        line = layout.lines[index]
        if line.page != top.page or line.y0 - previous.y1 > TOTAL_GAP_LINES * line.height:
            return None
        if is_total(line.words) and line.words[0].x1 < hit.x0:  # "TOTAL" heads an earlier column
            cell = tuple(w for w in line.words[1:] if w.x1 >= hit.x0 - tol and w.x0 <= hit.x1 + tol)
            return (index, cell) if cell else None
        previous = line
    return None


def _column_bound(layout: Layout, hit: LabelHit) -> float:
    """Return the x where the next caption to the right on the label's line starts (or 1.0).

    A caption the vocabulary does not know bounds the column too when it looks like one: a
    segment of words ending at a colon ("Product Description:   Invoicing Date:   B/L Ref.:").
    """
    right = [h.x0 for h in layout.starts(hit.line).values() if h.x0 > hit.x1]
    line = layout.lines[hit.line]
    right += [seg[0].x0 for seg in line.segments() if seg[0].x0 > hit.x1 and is_caption_like(seg)]
    return min(right, default=1.0)


def is_caption_like(words: Sequence[Word]) -> bool:
    """Return True for words that read as a caption, known or not: no figure, ending at a colon."""
    return bool(words) and words[-1].text.endswith(":") and not any(
        ch.isdigit() for w in words for ch in w.text)


def _span(layout: Layout, index: int, row: tuple[Word, ...], bound: float) -> tuple[Word, ...]:
    """Return a compound caption's value: ``row`` and its line's words after it up to ``bound``.

    A run stops at a big gap, but under "Vessel   Voyage No." the voyage is one gap away.
    """
    starts = layout.starts(index)
    return row + tuple(w for i, w in enumerate(layout.lines[index].words)
                       if w.x0 > row[-1].x0 and w.x0 < bound and i not in starts)


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
    gap = line.words[hit.end].x0 - hit.x1
    if gap > FAR_COLON_VALUE or (gap > FAR_VALUE and not line.words[hit.end - 1].text.endswith(":")):
        return None
    run = _run(layout, hit.line, hit.end, 1.0)
    if run and gap > FAR_VALUE and len("".join(w.text for w in run)) < 2 and run[0].conf < 1.0:
        return None  # a speck OCR read far right of a caption is no value
    if is_caption_like(run):
        return None  # the next column's caption, unknown to the vocabulary: the value is below
    return (hit.line, run) if run else None


def _below(layout: Layout, hit: LabelHit, bound: float) -> tuple[int, tuple[Word, ...]] | None:
    """Return the value under the label: the first line below with a word in its x-range."""
    top = layout.lines[hit.line]
    tol = ALIGN_CHARS * top.char_width
    header = len(layout.starts(hit.line)) >= HEADER_CAPTIONS and hit.field not in FIGURE_COLUMNS
    reach = HEADER_BELOW_LINES if header else BELOW_LINES
    for index in range(hit.line + 1, len(layout.lines)):
        line = layout.lines[index]
        if line.page != top.page or line.y0 - top.y1 > reach * line.height:
            return None
        for i, word in enumerate(line.words):
            if hit.x0 - tol <= word.x0 <= hit.x1 and word.x0 < bound:
                label = layout.starts(index).get(i)
                if label is not None:
                    # A stamp's "SHIPPED ON BOARD" over its "DATE: 30.09.2025": that date is ours.
                    if label.field == GENERIC_DATE and hit.field.endswith("_date"):
                        return _same_line(layout, label)
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
        tol = ALIGN_CHARS * line.char_width
        if any(h.x0 <= x_start + tol for h in layout.starts(j).values()) or any(
                seg[0].x0 <= x_start + tol and is_caption_like(seg) for seg in line.segments()):
            break  # the next row of labels (a caption of another column does not end this one)
        aligned = [i for i, w in enumerate(line.words) if abs(w.x0 - x_start) <= tol]
        if not aligned:
            continue  # a line of another column; keep measuring from the last value line
        run = _run(layout, j, aligned[0], bound)
        if run and is_total(run):
            break  # a summary row closes a column of values
        if run:
            rows.append(run)
            previous = line
    return rows


# The width of a space, in average character widths, between a line's end and the next word.
SPACE_CHARS = 0.5
# A word is taken to have fitted only with this much room to spare (rounding of word boxes).
FIT_SLACK_CHARS = 0.25
# A column's text stops this many character widths short of the next column (cell padding).
COLUMN_PAD_CHARS = 2.0


def soft_wrapped(
    first: tuple[Word, ...], rows: Sequence[tuple[Word, ...]], char_width: float,
    column_end: float = 1.0,
) -> list[tuple[Word, ...]]:
    """Return the lines under ``first`` up to the first one that was broken on purpose.

    Wrapping breaks a line only when the next word does not fit after it, and the widest line
    shows how far the column lets text run. A line followed by one whose first word would have
    fitted ended there by choice: "ROMANIAN MILLING WHEAT, CROP 2025" over "PROTEIN MIN 12.5 PCT,
    MOISTURE MAX 13.5 PCT" is the goods, then their specification. Capitals say nothing of where
    a sentence goes on, so a line that starts with one is also measured against the next
    column's start, ``column_end`` (a caption to the right): "PORCELAIN STONEWARE FLOOR TILES"
    over "60X60 CM, RECTIFIED" in a wide column stopped by choice. Text that goes on in lower case
    ("Polyethylene LLDPE granules" over "density under 0.94") is one sentence, wrapped by hand or
    early, wherever its lines end.
    """
    widest = max(row[-1].x1 for row in (first, *rows))
    column = max(widest, column_end - COLUMN_PAD_CHARS * char_width) if column_end < 1.0 else widest
    kept: list[tuple[Word, ...]] = []
    previous = first
    for row in rows:
        if _stacked_capitals(previous, row):
            break
        needed = row[0].x1 - row[0].x0 + SPACE_CHARS * char_width
        if not row[0].text[:1].islower() and needed < column - previous[-1].x1 - FIT_SLACK_CHARS * char_width:
            break
        kept.append(row)
        previous = row
    return kept


# Words that leave a phrase open at a line's end: what follows them belongs to it.
OPEN_WORDS = frozenset(
    "AND OR OF WITH FOR IN TO ON THE A AN PER X & DE DEL LA Y EN ET DU DES UND MIT".split()
)
OPEN_ENDS = ",-/&+("


def _stacked_capitals(previous: tuple[Word, ...], row: tuple[Word, ...]) -> bool:
    """Return True when ``row`` is a new line of a stack of capital lines, not a wrap of ``previous``.

    In all-capital text case says nothing, and carriers' and exporters' particulars stack the goods
    over their packing and specification ("BLEACHED SOFTWOOD KRAFT PULP" over "IN BALES OF ABOUT
    250 KG"): a capital line that ends on a complete word is taken as ended. One that ends open
    ("SOYBEAN MEAL, HIPRO," or "... OF") goes on; so does a lower-case line.
    """
    text = " ".join(w.text for w in previous)
    if not any(c.isupper() for c in text) or any(c.islower() for c in text):
        return False
    if row[0].text[:1].islower():
        return False
    last = previous[-1].text
    return last[-1] not in OPEN_ENDS and last.upper() not in OPEN_WORDS


def line_of(layout: Layout, word: Word) -> int | None:
    """Return the index of the line that holds ``word`` (this very word), or None."""
    return next((i for i, line in enumerate(layout.lines) if any(w is word for w in line.words)), None)


def wrapped_lines(layout: Layout, words: Sequence[Word]) -> list[tuple[Word, ...]]:
    """Return the lines a value that ends with ``words[-1]`` wraps onto, up to a deliberate break."""
    index = line_of(layout, words[-1])
    if index is None:
        return []
    rows = _continuation(layout, index, words[0].x0, 1.0)
    return soft_wrapped(tuple(words), rows, layout.lines[index].char_width)
