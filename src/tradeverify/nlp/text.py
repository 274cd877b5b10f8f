"""Lines of positioned words -> the plain text the NER model reads, with word offsets.

The model is trained on and applied to exactly this form, so training and run time agree:
words of a segment are joined by a space, the segments of a line (columns, label | value, split
by the extractor's own big-gap rule) by a tab, and lines by a newline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tradeverify.domain import Word
from tradeverify.extract.lines import Line

SEGMENT_SEP = "\t"
LINE_SEP = "\n"


@dataclass(frozen=True)
class LaidOutText:
    """Text of some lines and, for each of their words, its ``(start, end)`` character span."""

    text: str
    words: tuple[Word, ...]
    offsets: tuple[tuple[int, int], ...]

    def words_between(self, start: int, end: int) -> tuple[Word, ...]:
        """Return the words overlapping characters ``start:end``."""
        return tuple(
            w for w, (a, b) in zip(self.words, self.offsets, strict=True) if a < end and b > start
        )


def segment_bounds(line: Line) -> list[tuple[int, int]]:
    """Return the ``(first, end)`` word indexes of each segment of ``line``."""
    bounds: list[tuple[int, int]] = []
    first = 0
    for segment in line.segments():
        bounds.append((first, first + len(segment)))
        first += len(segment)
    return bounds


def lay_out(lines: Sequence[Line]) -> LaidOutText:
    """Return the text of ``lines`` with the character span of every word."""
    parts: list[str] = []
    words: list[Word] = []
    offsets: list[tuple[int, int]] = []
    cursor = 0
    for line in lines:
        for first, end in segment_bounds(line):
            for i in range(first, end):
                sep = _separator(i, first) if parts else ""
                parts.append(sep + line.words[i].text)
                cursor += len(sep)
                words.append(line.words[i])
                offsets.append((cursor, cursor + len(line.words[i].text)))
                cursor += len(line.words[i].text)
    return LaidOutText("".join(parts), tuple(words), tuple(offsets))


def _separator(word: int, segment_first: int) -> str:
    """Return what goes before a word: newline at a line start, tab at a segment start."""
    if word == 0:
        return LINE_SEP
    return SEGMENT_SEP if word == segment_first else " "
