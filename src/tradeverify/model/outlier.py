"""Evidence outliers: how far a deal's evidence lies outside where honest deals keep it.

A fraud scheme the generator never taught still bends some evidence away from the honest range
(a price, a date gap, a weight ratio, a share of containers), while the trees learned only the
schemes they were shown. Per feature, the honest training deals' central 99 % range is kept;
a deal's excess on a feature is how far beyond that range it lies, in range widths, and its
outlier score is log(1 + the largest excess). With ``outlier: true`` in a training experiment
(training/outlier.yaml) it is an input of the risk model (fitted out of fold for the training
rows), whose push is told as the check of the feature outside the range. Unknown values are
skipped: what could not be read is no evidence of anything. Stored as JSON (no pickle).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# The honest range: the central 99 % of the honest training deals' known values.
LOW_Q, HIGH_Q = 0.005, 0.995
# A feature all honest deals share one value of (0 duplicates, 0 invalid containers) gets this
# width relative to its size: stepping off it at all is far outside.
MIN_WIDTH, MIN_SCALE = 1e-3, 1.0
# Fewer honest values than this say nothing about a feature's range: it is not looked at.
MIN_KNOWN = 30


@dataclass(frozen=True)
class Outlier:
    """Where a deal's evidence lies furthest outside the honest range."""

    score: float
    feature: int | None  # column of the feature with the largest excess (None: all inside)
    low: float
    high: float


@dataclass(frozen=True)
class OutlierModel:
    """Per-feature honest ranges; NaN bounds mark features that are not looked at."""

    low: tuple[float, ...]
    high: tuple[float, ...]
    skip: frozenset[int] = frozenset()

    @classmethod
    def fit(cls, honest: np.ndarray, skip: frozenset[int] = frozenset()) -> OutlierModel:
        """Fit the ranges on honest rows (features in spec order); ``skip`` columns are ignored."""
        low, high = [], []
        for j in range(honest.shape[1]):
            known = honest[:, j][~np.isnan(honest[:, j])]
            if j in skip or len(known) < MIN_KNOWN:
                low.append(math.nan)
                high.append(math.nan)
                continue
            low.append(float(np.quantile(known, LOW_Q)))
            high.append(float(np.quantile(known, HIGH_Q)))
        return cls(tuple(low), tuple(high), skip)

    def excess(self, x: np.ndarray) -> np.ndarray:
        """Return each row's excess per feature: range widths beyond the honest range (0 inside)."""
        low, high = np.asarray(self.low), np.asarray(self.high)
        width = np.maximum(high - low, MIN_WIDTH * np.maximum(MIN_SCALE, np.maximum(abs(low), abs(high))))
        with np.errstate(invalid="ignore"):
            out = np.maximum(np.maximum(x - high, low - x), 0.0) / width
        out[np.isnan(out)] = 0.0  # unknown value or feature not looked at
        if self.skip:
            out[:, sorted(self.skip)] = 0.0
        return np.asarray(out)

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Return each row's outlier score, log(1 + largest excess)."""
        return np.asarray(np.log1p(self.excess(x).max(axis=1, initial=0.0)))

    def explain(self, row: np.ndarray) -> Outlier:
        """Return one row's score, the feature furthest outside and that feature's honest range."""
        excess = self.excess(row.reshape(1, -1))[0]
        j = int(np.argmax(excess)) if excess.size else 0
        if not excess.size or excess[j] <= 0:
            return Outlier(0.0, None, math.nan, math.nan)
        return Outlier(float(np.log1p(excess[j])), j, self.low[j], self.high[j])

    def save(self, path: Path) -> None:
        """Write the ranges as JSON (NaN as null)."""
        def plain(values: tuple[float, ...]) -> list[float | None]:
            return [None if math.isnan(v) else v for v in values]

        path.write_text(json.dumps({"kind": "honest_range", "low_q": LOW_Q, "high_q": HIGH_Q,
                                    "low": plain(self.low), "high": plain(self.high),
                                    "skip": sorted(self.skip)}) + "\n")

    @classmethod
    def load(cls, path: Path) -> OutlierModel:
        """Read ranges written by :meth:`save`."""
        data = json.loads(path.read_text())
        def floats(values: list[float | None]) -> tuple[float, ...]:
            return tuple(math.nan if v is None else float(v) for v in values)

        return cls(floats(data["low"]), floats(data["high"]), frozenset(int(j) for j in data["skip"]))
