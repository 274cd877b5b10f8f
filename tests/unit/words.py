"""Hand-placed words for layout tests: a text laid out word by word from a page position."""

from __future__ import annotations

from tradeverify.domain import Word


def words_at(x: float, y: float, text: str) -> list[Word]:
    """Return ``text``'s words on one line from (x, y), in page fractions, as a text layer has them."""
    out = []
    for word in text.split():
        out.append(Word(word, x, y, x + 0.0095 * len(word), y + 0.011, 1))
        x += 0.0095 * len(word) + 0.006
    return out
