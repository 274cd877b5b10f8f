"""Document profiles: MinHash signatures of wording and layout (for the TEMPLATE_CLONE check).

Numbers are masked (``#``) so that two contracts printed from one template look alike whatever
their amounts and dates; names still differ, which is why a clone scores high but rarely 1.0.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

from tradeverify.domain import DocumentProfile, PageText

PERMUTATIONS = 64
SHINGLE = 4  # words per text shingle
X_BINS, Y_BINS = 20, 60  # layout grid: a word's token and the cell its left edge falls in
_PRIME = np.uint64((1 << 31) - 1)
# Fixed permutations: profiles must compare across processes and releases.
_PARAMS = np.random.default_rng(611).integers(1, (1 << 31) - 1, size=(2, PERMUTATIONS), dtype=np.uint64)
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"(?<=[.;])\s+")
CLAUSE_PERMUTATIONS, CLAUSE_SHINGLE, CLAUSE_MIN_WORDS = 16, 3, 6
SAME_CLAUSE = 0.7
_EDGE = re.compile(r"^\W+|\W+$")


def _token(text: str) -> str:
    return _EDGE.sub("", _DIGIT.sub("#", text.lower()))


def _hashes(shingles: Iterable[str]) -> np.ndarray:
    values = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "little")
              for s in shingles]
    return np.array(values, dtype=np.uint64)


def minhash(shingles: set[str]) -> list[int]:
    """Return the MinHash signature of a set of shingles (all maxima for an empty set)."""
    if not shingles:
        return [int(_PRIME)] * PERMUTATIONS
    h = _hashes(sorted(shingles))[:, None]
    a, b = _PARAMS
    # a, h < 2**31: the products fit in 64 bits.
    return [int(v) for v in ((a * h + b) % _PRIME).min(axis=0)]


def _shingles(tokens: list[str], size: int) -> set[str]:
    return {" ".join(tokens[i:i + size]) for i in range(max(0, len(tokens) - size + 1))}


def clause_signatures(prose: Iterable[str]) -> list[list[int]]:
    """Return a short MinHash signature of each sentence of a document's running text.

    Sentences end at "." or ";" followed by a space; fragments of fewer than ``CLAUSE_MIN_WORDS``
    words (clause numbers, headings) are not clauses.
    """
    sentences = _SENTENCE_END.split(" ".join(prose))
    out = []
    for sentence in sentences:
        tokens = [t for t in (_token(w) for w in sentence.split()) if t]
        if len(tokens) >= CLAUSE_MIN_WORDS:
            out.append(minhash(_shingles(tokens, CLAUSE_SHINGLE))[:CLAUSE_PERMUTATIONS])
    return out


def profile(pages: list[PageText], prose: Iterable[str] = ()) -> DocumentProfile:
    """Return the wording and layout signatures of a document's pages, and of its clauses."""
    words = [(w, _token(w.text)) for page in pages for w in page.words]
    words = [(w, t) for w, t in words if t]
    text = _shingles([t for _, t in words], SHINGLE)
    layout = {f"{t}@{w.page}:{int(w.x0 * X_BINS)}:{int(w.y0 * Y_BINS)}" for w, t in words}
    return DocumentProfile(text=minhash(text), layout=minhash(layout), clauses=clause_signatures(prose))


def clause_containment(a: list[list[int]], b: list[list[int]]) -> float:
    """Return the share of the shorter document's clauses found (near) word for word in the other.

    A clause matches when its signature agrees with one of the other document's on at least
    ``SAME_CLAUSE`` of the positions: OCR slips keep a clause, a rewording does not.
    """
    short, other = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return float("nan")
    found = sum(any(similarity(c, d) >= SAME_CLAUSE for d in other) for c in short)
    return found / len(short)


def similarity(a: list[int], b: list[int]) -> float:
    """Return the estimated Jaccard similarity of two signatures."""
    return float(np.mean(np.array(a) == np.array(b)))
