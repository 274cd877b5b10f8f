"""Progress bars for long CLI work (stderr, so stdout stays machine-readable)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from tqdm import tqdm

Progress = Callable[[int, int], None]


def progress_bar(desc: str) -> Progress:
    """Return a ``(done, total)`` callback that drives one tqdm bar, created on first call."""
    bar: dict[str, tqdm] = {}

    def update(done: int, total: int) -> None:
        if "b" not in bar:
            bar["b"] = tqdm(total=total, desc=desc, file=sys.stderr, leave=False)
        bar["b"].update(done - bar["b"].n)
        if done >= total:
            bar["b"].close()
    return update
