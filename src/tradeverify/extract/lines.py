"""Printed lines: words grouped by vertical overlap, and the yardsticks layout reading measures in.

Coordinates are page fractions, so x and y have different scales; horizontal distances are
therefore measured in "character widths" of the line (its ink width per character) and vertical
ones in line heights, which keeps every threshold independent of DPI, page size and font size.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from tradeverify.domain import Word

# A gap wider than this many character widths separates segments (columns, label | value);
# a word space is ~0.5 character widths, a column gap several.
BIG_GAP = 2.5
# Continuation lines: at most this many line heights under the previous value line.
CONTINUATION_LINES = 1.0
# x tolerance, in character widths, for "starts where the label / the value starts".
ALIGN_CHARS = 1.5
_STRIP = ":.#;"


def fold_token(text: str) -> str:
    """Lower-case a word and drop trailing ':' '.' '#' ';' (a bare "#" or ":" stays itself)."""
    lowered = text.lower()
    stripped = lowered.rstrip(_STRIP)
    return stripped if stripped else lowered[:1]


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

    def segments(self, gap: float = BIG_GAP) -> list[tuple[Word, ...]]:
        """Split the line at gaps wider than ``gap`` character widths (columns, label | value)."""
        out: list[list[Word]] = []
        for i, word in enumerate(self.words):
            if i == 0 or self.gap(i) > gap:
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
        if row is not None and _overlaps(row, word) and not _collides(row, word):
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


def _collides(row: list[Word], word: Word) -> bool:
    """Return True when ``word`` sits over a word of the row: two words of one line never do.

    A small caption just above its value ("Shipper" over "Pampas Oilseed ...") overlaps it
    vertically when a tall title beside both bridges the two rows; it is still another line.
    Only a text layer's boxes are exact: OCR's of one line may overlap ("/" inside "Seal /").
    """
    if word.conf < 1.0:
        return False
    return any(min(w.x1, word.x1) - max(w.x0, word.x0) > 0.25 * min(w.x1 - w.x0, word.x1 - word.x0)
               for w in row)
