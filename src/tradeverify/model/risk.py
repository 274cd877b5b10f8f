"""The packaged risk model: LightGBM text model + JSON calibration + JSON feature spec."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tradeverify.errors import ModelError
from tradeverify.features.spec import FEATURE_NAMES, FEATURE_VERSION, FEATURES, OUTLIER_BLIND, OUTLIER_COLUMN
from tradeverify.model.calibration import Calibrator
from tradeverify.model.lean_lightgbm import lgb
from tradeverify.model.outlier import Outlier, OutlierModel

MODEL_FILE, CALIBRATION_FILE, META_FILE = "model.txt", "calibration.json", "meta.json"
OUTLIER_FILE = "outlier.json"
# The columns the outlier column does not look at.
OUTLIER_SKIP = frozenset(i for i, f in enumerate(FEATURES) if f.family in OUTLIER_BLIND)


def with_outlier(x: np.ndarray, outlier: OutlierModel) -> np.ndarray:
    """Return a copy of feature rows with the outlier column filled from the other columns."""
    out = np.array(x, dtype=float, copy=True)
    out[:, OUTLIER_COLUMN] = outlier.scores(out)
    return out


@dataclass
class RiskModel:
    """A fitted booster, its calibrator and what it was trained on."""

    booster: lgb.Booster
    calibrator: Calibrator
    meta: dict[str, object]
    outlier: OutlierModel | None = None  # None: trained without the evidence-outlier input

    @property
    def name(self) -> str:
        """Return the model's registered name."""
        return str(self.meta.get("name", "tradeverify-risk"))

    @property
    def version(self) -> str:
        """Return the model's version label."""
        return str(self.meta.get("version", "0"))

    def prepare(self, x: np.ndarray) -> np.ndarray:
        """Return feature rows (spec order) with the outlier column filled: the booster's input."""
        return x if self.outlier is None else with_outlier(x, self.outlier)

    def explain_outlier(self, row: np.ndarray) -> Outlier:
        """Return where one row's evidence lies furthest outside the honest range."""
        if self.outlier is None:
            return Outlier(0.0, None, math.nan, math.nan)
        return self.outlier.explain(np.asarray(row, dtype=float))

    def raw(self, x: np.ndarray, threads: int = 1) -> np.ndarray:
        """Return the booster's uncalibrated probabilities."""
        # One thread for a single submission (no pool start-up); tables may use every core.
        return np.asarray(self.booster.predict(self.prepare(x), num_threads=threads))

    def predict_proba(self, x: np.ndarray, threads: int = 1) -> np.ndarray:
        """Return calibrated probabilities of risk for rows of features in spec order."""
        return self.calibrator(self.raw(x, threads))

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Return per-feature contributions (log-odds) of each row, bias column dropped."""
        contrib = np.asarray(self.booster.predict(self.prepare(x), pred_contrib=True, num_threads=1))
        return contrib[:, :-1]

    def proba_without(self, x: np.ndarray, contrib: np.ndarray, drop: np.ndarray) -> float:
        """Return one row's calibrated probability with the upward pushes of ``drop`` features removed.

        ``contrib`` is the row's :meth:`contributions`; LightGBM's contributions sum to the raw
        log-odds, so taking the dropped features' positive ones away leaves the score that the
        rest of the evidence supports.
        """
        p = float(np.clip(self.raw(x)[0], 1e-12, 1 - 1e-12))
        logit = np.log(p / (1 - p)) - float(np.clip(contrib[drop], 0, None).sum())
        return float(self.calibrator(np.asarray([1 / (1 + np.exp(-logit))]))[0])

    def save(self, folder: Path) -> None:
        """Write the model in code-free formats."""
        folder.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(folder / MODEL_FILE))
        self.calibrator.save(folder / CALIBRATION_FILE)
        if self.outlier is not None:
            self.outlier.save(folder / OUTLIER_FILE)
        meta = {**self.meta, "features": list(FEATURE_NAMES), "feature_version": FEATURE_VERSION}
        (folder / META_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")

    @classmethod
    def load(cls, folder: Path) -> RiskModel:
        """Load a model written by :meth:`save`.

        Raises:
            ModelError: files missing, unreadable, or built for other features.

        """
        try:
            meta = json.loads((folder / META_FILE).read_text())
            booster = lgb.Booster(model_file=str(folder / MODEL_FILE))
            calibrator = Calibrator.load(folder / CALIBRATION_FILE)
            ranges = folder / OUTLIER_FILE
            outlier = OutlierModel.load(ranges) if ranges.exists() else None
        except (OSError, ValueError, KeyError, lgb.basic.LightGBMError) as exc:
            raise ModelError(f"cannot load the risk model from {folder}: {exc}") from exc
        if tuple(meta.get("features", ())) != FEATURE_NAMES:
            raise ModelError(f"model in {folder} was trained on other features; retrain it")
        return cls(booster, calibrator, meta, outlier)
