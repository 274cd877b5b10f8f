"""Isotonic calibration stored as JSON knots (no pickle)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TIE_BREAK = 1e-6


@dataclass(frozen=True)
class Calibrator:
    """Piecewise-linear map from raw model probability to calibrated probability."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    @classmethod
    def fit(cls, raw: np.ndarray, labels: np.ndarray) -> Calibrator:
        """Fit isotonic regression of labels on raw scores."""
        from sklearn.isotonic import IsotonicRegression  # training only: serving loads knots

        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, labels)
        return cls(tuple(map(float, iso.X_thresholds_)), tuple(map(float, iso.y_thresholds_)))

    def __call__(self, raw: np.ndarray) -> np.ndarray:
        """Return calibrated probabilities, strictly increasing in the raw score.

        Isotonic regression is a step function: on its plateaus many submissions would share one
        score and a bank could not rank or threshold between them. A slope of 1e-6 on the raw
        score breaks those ties in the model's order and moves no probability by more than 1e-6.
        """
        return np.interp(raw, self.x, self.y) * (1 - TIE_BREAK) + TIE_BREAK * np.asarray(raw)

    def save(self, path: Path) -> None:
        """Write the knots as JSON."""
        path.write_text(json.dumps({"kind": "isotonic", "x": self.x, "y": self.y}) + "\n")

    @classmethod
    def load(cls, path: Path) -> Calibrator:
        """Read knots written by :meth:`save`."""
        data = json.loads(path.read_text())
        return cls(tuple(data["x"]), tuple(data["y"]))
