"""Words and character n-grams of printed text: the vocabulary-free features of the learned models.

Folded (case and accents dropped, so OCR's "Designation" is "Désignation"), split into letter runs,
and cut into character n-grams so that an unseen caption ("Schiffsname", "Seekonnossement") still
shares its stem with a known one ("Schiff", "Konnossement"). Chinese runs give their bigrams.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Character n-grams of words: long enough to carry a stem ("lading", "rechnung", "colis").
GRAM_SIZES = (3, 4, 5)
_LETTERS = re.compile(r"[^\W\d_]+")
CJK = re.compile(r"[\u4e00-\u9fff]+")


def fold_text(text: str) -> str:
    """Case-fold and drop accents, so "Désignation" and OCR's "Designation" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Return the folded letter runs of a text (two letters or more) and its Chinese runs."""
    return [t for t in _LETTERS.findall(fold_text(text)) if len(t) >= 2 or CJK.fullmatch(t)]


def grams(token: str) -> Iterable[str]:
    """Return a token's character n-grams; a Chinese run gives its bigrams ("提单" in "联运提单")."""
    if CJK.fullmatch(token):
        return (token[i : i + 2] for i in range(len(token) - 1)) if len(token) > 1 else (token,)
    padded = f"^{token}$"
    return (padded[i : i + n] for n in GRAM_SIZES for i in range(len(padded) - n + 1))
