"""Words of text drawn at a slant: rubber stamps and seals in a PDF's text layer.

Carriers print "SHIPPED ON BOARD 30. SEP. 2022" as a stamp tilted by a few degrees. pdfplumber
groups words by their top edge, so a tilted line falls apart into single letters scattered over
several rows ("SHIPPE", "D O N BOARD"). Here the tilted characters are set apart, grouped into
lines along their own baseline (same angle, same offset across the baseline), split into words at
spaces and gaps, and laid out again level, starting where each line starts on the page. What a
stamp says then reads like any other line; where it sits is kept to its first character.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from tradeverify.domain import Word

# Tilts between these are a stamp's; smaller ones are level text printed slightly askew, larger
# ones are vertical side text, which pdfplumber already reads by its own direction.
MIN_TILT_DEG, MAX_TILT_DEG = 1.5, 45.0
_ANGLE_STEP_DEG = 1.0  # characters of one stamp line share their angle to well within this
_LINE_GAP_EM = 0.4  # baselines further apart than this share of the font size are two lines
_WORD_GAP_EM = 0.3  # a gap wider than this share of the font size between two glyphs ends a word


def tilt(char: dict[str, Any]) -> float:
    """Return a character's baseline angle in degrees (counter-clockwise, from its matrix)."""
    a, b = char["matrix"][0], char["matrix"][1]
    return math.degrees(math.atan2(b, a))


def is_tilted(char: dict[str, Any]) -> bool:
    """Return whether a character is drawn at a stamp's slant."""
    return MIN_TILT_DEG <= abs(tilt(char)) <= MAX_TILT_DEG


def tilted_words(chars: Iterable[dict[str, Any]], bbox: tuple[float, float, float, float],
                 page: int) -> list[Word]:
    """Return the words of the tilted characters of one page, each line laid level.

    ``bbox`` is the page's ``(left, top, right, bottom)`` in PDF points, as pdfplumber gives it;
    the words' boxes are fractions of it, like the text layer's other words.
    """
    words: list[Word] = []
    for line in _lines(chars):
        words.extend(_level_words(line, bbox, page))
    return words


def _lines(chars: Iterable[dict[str, Any]]) -> list[list[tuple[float, dict[str, Any]]]]:
    """Group characters into baselines; return each as ``(position along it, char)`` sorted."""
    by_angle: dict[int, list[tuple[float, float, dict[str, Any]]]] = defaultdict(list)
    for char in chars:
        theta = math.radians(tilt(char))
        x, y = char["matrix"][4], char["matrix"][5]
        along = x * math.cos(theta) + y * math.sin(theta)
        across = -x * math.sin(theta) + y * math.cos(theta)
        by_angle[round(math.degrees(theta) / _ANGLE_STEP_DEG)].append((across, along, char))
    lines = []
    for _, group in sorted(by_angle.items()):
        # One baseline's glyphs share their offset across it; the next line is a line apart.
        group.sort(key=lambda item: item[0])
        line = [group[0]]
        for item in group[1:]:
            if item[0] - line[-1][0] > _LINE_GAP_EM * max(_font_size(item[2]), 1.0):
                lines.append(line)
                line = []
            line.append(item)
        lines.append(line)
    return [sorted(((along, char) for _, along, char in line), key=lambda item: item[0])
            for line in lines]


def _level_words(line: list[tuple[float, dict[str, Any]]],
                 bbox: tuple[float, float, float, float], page: int) -> list[Word]:
    """Split one baseline into words and lay them out level from the line's first glyph."""
    left, top, right, bottom = bbox
    width, height = (right - left) or 1.0, (bottom - top) or 1.0
    start, first = line[0]
    size = max(_font_size(first), 1.0)
    x_start, y_top = float(first["x0"]), float(first["top"])
    words: list[Word] = []
    for text, begin, end in _word_spans(line, size):
        x0, x1 = x_start + begin - start, x_start + end - start
        words.append(Word(text, (x0 - left) / width, (y_top - top) / height,
                          (x1 - left) / width, (y_top + size - top) / height, page, 1.0))
    return words


def _word_spans(line: list[tuple[float, dict[str, Any]]],
                size: float) -> list[tuple[str, float, float]]:
    """Return ``(text, start, end)`` of each word of a baseline, positions along it."""
    spans: list[tuple[str, float, float]] = []
    text, begin, end = "", 0.0, 0.0
    for along, char in line:
        glyph = str(char["text"])
        gap = along - end if text else 0.0
        if not glyph.strip() or gap > _WORD_GAP_EM * size:
            if text:
                spans.append((text, begin, end))
            text = ""
            if not glyph.strip():
                continue
        if not text:
            begin = along
        text += glyph
        end = along + _advance(char)
    if text:
        spans.append((text, begin, end))
    return spans


def _font_size(char: dict[str, Any]) -> float:
    """Return about the size a glyph is drawn at: its box's height, less the tilt's share."""
    return float(char["size"]) * math.cos(math.radians(tilt(char)))


def _advance(char: dict[str, Any]) -> float:
    """Return how far along its baseline a glyph reaches (its advance width, page units)."""
    scale = math.hypot(char["matrix"][0], char["matrix"][1])
    return float(char.get("adv") or _font_size(char) * 0.6) * scale
