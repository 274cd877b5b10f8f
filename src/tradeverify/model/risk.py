"""The packaged risk model: LightGBM text model + JSON calibration + JSON feature spec."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import lightgbm as lgb
import numpy as np

from tradeverify.errors import ModelError
from tradeverify.features.spec import FEATURE_NAMES, FEATURE_VERSION
from tradeverify.model.calibration import Calibrator

MODEL_FILE, CALIBRATION_FILE, META_FILE = "model.txt", "calibration.json", "meta.json"


@dataclass
class RiskModel:
    """A fitted booster, its calibrator and what it was trained on."""

    booster: lgb.Booster
    calibrator: Calibrator
    meta: dict[str, object]

    @property
    def name(self) -> str:
        """Return the model's registered name."""
        return str(self.meta.get("name", "tradeverify-risk"))

    @property
    def version(self) -> str:
        """Return the model's version label."""
        return str(self.meta.get("version", "0"))

    def raw(self, x: np.ndarray, threads: int = 1) -> np.ndarray:
        """Return the booster's uncalibrated probabilities."""
        # One thread for a single submission (no pool start-up); tables may use every core.
        return np.asarray(self.booster.predict(x, num_threads=threads))

    def predict_proba(self, x: np.ndarray, threads: int = 1) -> np.ndarray:
        """Return calibrated probabilities of risk for rows of features in spec order."""
        return self.calibrator(self.raw(x, threads))

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Return per-feature contributions (log-odds) of each row, bias column dropped."""
        contrib = np.asarray(self.booster.predict(x, pred_contrib=True, num_threads=1))
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
        except (OSError, ValueError, lgb.basic.LightGBMError) as exc:
            raise ModelError(f"cannot load the risk model from {folder}: {exc}") from exc
        if tuple(meta.get("features", ())) != FEATURE_NAMES:
            raise ModelError(f"model in {folder} was trained on other features; retrain it")
        return cls(booster, calibrator, meta)
