"""One reading of a field (its value words and normalization) and the field it becomes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tradeverify.domain import BBox, ExtractedField, Word
from tradeverify.extract.normalize import Norm

# Confidence multiplier of a value that was read but failed validation (e.g. a check digit).
INVALID_FACTOR = 0.3
# A value found by its shape or place alone (no caption): confidence times this.
PATTERN_FACTOR = 0.6


@dataclass(frozen=True)
class Reading:
    """One candidate reading of a field: the value words and their normalization."""

    norm: Norm
    raw: str
    words: tuple[Word, ...]
    strong: bool = True
    variant: int = 0
    factor: float = 1.0  # below 1 for values found by pattern, without their label
    note: str = ""  # the caption's remark ("(kg)", "EUR")

    def rank(self) -> tuple[bool, bool, int]:
        """Order candidates: valid first, then strongly labelled, then the commoner label."""
        return (self.norm.ok, self.strong, -self.variant)


def bbox_of(words: Sequence[Word]) -> tuple[int | None, BBox | None]:
    """Return the page and union bbox of the words on the first word's page."""
    if not words:
        return None, None
    page = words[0].page
    same = [w for w in words if w.page == page]
    box = (min(w.x0 for w in same), min(w.y0 for w in same),
           max(w.x1 for w in same), max(w.y1 for w in same))  # fmt: skip
    return page, box


def to_field(reading: Reading, value: Any = None) -> ExtractedField:
    """Build the ExtractedField: confidence = weakest word x validation factor."""
    conf = min((w.conf for w in reading.words), default=1.0)
    factor = reading.factor * (1.0 if reading.norm.ok else INVALID_FACTOR)
    page, box = bbox_of(reading.words)
    return ExtractedField(
        value=reading.norm.value if value is None else value,
        raw=reading.raw,
        confidence=round(max(0.0, min(1.0, conf * factor)), 4),
        page=page,
        bbox=box,
        reason=reading.norm.reason,
    )


def text_of(words: Sequence[Word]) -> str:
    """Return the words' text, space-joined."""
    return " ".join(w.text for w in words)
