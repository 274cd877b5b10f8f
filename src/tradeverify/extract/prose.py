"""Running text (contract clauses): lines that read as prose are never read as fields."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tradeverify.extract.labels import match_at
from tradeverify.extract.lines import ALIGN_CHARS, BIG_GAP, CONTINUATION_LINES, Line

# Running text (contract clauses): a line with this many words in one segment reads as prose.
PROSE_WORDS = 12
# Paragraphs of one block: at most this many line heights apart (a paragraph gap is about one).
PARAGRAPH_LINES = 2.0
# Paragraph numbers as printed or OCR'd: "1." "12)" "(a)" "b)" "(iv)" and "1," "2:". A letter
# with a full stop is not one: names start with initials ("A. P. Moller").
_ENUMERATOR = re.compile(r"\(?\d{1,2}[.,:;)]|\(?(?:[a-z]|[ivx]{1,4})\)")


def prose_lines(lines: Sequence[Line]) -> frozenset[int]:
    """Return the indexes of lines of running text: numbered clauses and long paragraphs.

    Free text quotes field names ("the Port of Loading", "Payment Terms: ...") and values; no
    field is read from it. A paragraph starts at a numbered line or at a long line of text, and
    goes on over the lines that follow it closely, aligned with it, until a line that opens with
    a label or a number of its own. A long line that opens with a label is a field with a long
    value, unless it sits inside running text (OCR may drop a clause's number).
    """
    prose: set[int] = set()
    index = 0
    while index < len(lines):
        if _starts_paragraph(lines[index], index):
            prose.add(index)
            index = _paragraph_end(lines, index, prose)
        else:
            index += 1
    for index, line in enumerate(lines):
        long = _text_words(line, index) >= PROSE_WORDS
        if index not in prose and long and _beside_prose(lines, index, prose):
            prose.add(index)
            _paragraph_end(lines, index, prose)
    return frozenset(prose)


def _numbered(line: Line) -> bool:
    """Return True when the line opens with a paragraph number ("1." "2)" "(a)", OCR "3:").

    A bare number ("3", its dot lost to OCR) counts only when it hangs apart from the text, as
    an address ("3 Harbour Road") starts with a bare number too.
    """
    if len(line.words) < 2:
        return False
    first = line.words[0].text.lower()
    if first.isdigit():
        return len(first) <= 2 and line.gap(1) > BIG_GAP
    return bool(_ENUMERATOR.fullmatch(first))


def _marker_words(line: Line, index: int) -> int:
    """Return how many leading words mark a paragraph: 1 for a number, 1-2 for a stub, else 0.

    OCR turns a small paragraph number into a stub ("aR", "oS DIO"): one or two short words
    standing apart before a long run of text count as an unreadable number (not a label).
    """
    if _numbered(line):
        return 1
    segments = line.segments()
    stub = segments[0]
    if len(segments) != 2 or len(segments[1]) < PROSE_WORDS or len(stub) > 2:
        return 0
    short = all(len(w.text) <= 4 for w in stub)
    return len(stub) if short and match_at(line, index, 0) is None else 0


def _text_words(line: Line, index: int) -> int:
    """Return the words of a line that is one run of text (after its number), else 0."""
    segments = line.segments()
    marker = _marker_words(line, index)
    if marker and len(segments[0]) == marker:
        segments = segments[1:]
    return len(segments[0]) if len(segments) == 1 else 0


def _starts_paragraph(line: Line, index: int) -> bool:
    """Return True for a numbered line of text, or a long line of text not opening with a label."""
    if _marker_words(line, index):
        return _text_words(line, index) >= 4
    return _text_words(line, index) >= PROSE_WORDS and not _label_start(line, index)


def _close(upper: Line, lower: Line, lines: float = CONTINUATION_LINES) -> bool:
    """Return True when ``lower`` follows ``upper`` on the same page within ``lines`` heights."""
    return upper.page == lower.page and lower.y0 - upper.y1 <= lines * lower.height


def _paragraph_end(lines: Sequence[Line], start: int, prose: set[int]) -> int:
    """Add the continuation lines of the paragraph at ``start``; return the next line to scan."""
    first = lines[start]
    # Wrapped lines align with the text (hanging number) or with the number (flush).
    edges = {first.x0, first.words[_marker_words(first, start)].x0}
    previous = first
    for index in range(start + 1, len(lines)):
        line = lines[index]
        aligned = any(abs(line.x0 - x) <= ALIGN_CHARS * line.char_width for x in edges)
        if not _close(previous, line) or not aligned:
            return index
        if _starts_paragraph(line, index) or (_label_start(line, index) and not _sentence_end(line, index)):
            return index
        prose.add(index)
        previous = line
    return len(lines)


def _beside_prose(lines: Sequence[Line], index: int, prose: set[int]) -> bool:
    """Return True when the line above or below is running text (a paragraph gap away at most)."""
    above = index - 1 in prose and _close(lines[index - 1], lines[index], PARAGRAPH_LINES)
    below = index + 1 in prose and _close(lines[index], lines[index + 1], PARAGRAPH_LINES)
    return above or below


def _sentence_end(line: Line, index: int) -> bool:
    """Return True when the line ends a sentence with a full stop that no label has ("vessel.").

    A label with a colon ("Seller: Zenith Pte. Ltd.") is a field whatever its value ends with.
    """
    hit = match_at(line, index, 0)
    stop = line.words[-1].text.endswith(".") and not any(w.text.endswith(":") for w in line.words)
    return stop and not (hit is not None and hit.label.text.endswith("."))


def _label_start(line: Line, index: int) -> bool:
    """Return True when the line opens with a strong label (the next field, not more text)."""
    hit = match_at(line, index, 0)
    return hit is not None and hit.strong
