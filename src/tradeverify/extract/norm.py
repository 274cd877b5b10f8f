"""The verdict every normalizer returns, and the text clean-up they share."""

from __future__ import annotations

import unicodedata
from typing import Any, NamedTuple


class Norm(NamedTuple):
    """A normalized value, whether it validated, and why not."""

    value: Any
    ok: bool
    reason: str | None = None


def _fail(reason: str, value: Any = None) -> Norm:
    return Norm(value, False, reason)


def clean_text(text: str) -> str:
    """Collapse whitespace and normalize Unicode compatibility forms (ligatures, NBSP)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())
