"""Metrics of the packaged model on a labelled world (a seed never used in training)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from tradeverify.config import Settings
from tradeverify.extract.accuracy import field_accuracy
from tradeverify.model.dataset import build_dataset, extract_world
from tradeverify.model.metrics import evaluate
from tradeverify.model.risk import RiskModel


def evaluate_world(
    world: Path, settings: Settings, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """Extract, match and score a labelled world; return the run's metrics."""
    start = time.perf_counter()
    data = build_dataset(world, settings, progress)
    model = RiskModel.load(settings.model_dir)
    p = model.predict_proba(data.x)
    out: dict[str, Any] = evaluate(data.y, p, data.typology, settings.band_high)
    out["seconds"] = round(time.perf_counter() - start, 1)
    out["flagged_high"] = int((p >= settings.band_high).sum())
    out["mean_score_clean"] = float(np.mean(p[data.y == 0]))
    # What a bank sees: a hard red flag puts a submission in the high band whatever the score.
    with_rules = np.where(data.flagged, 1.0, p) if data.flagged is not None else p
    out["with_rules"] = evaluate(data.y, with_rules, data.typology, settings.band_high)
    out["by_trade_model"] = by_trade_model(data.y, with_rules, data.trade_model, settings.band_high)
    out.update(field_accuracy(world, extract_world(world, settings.workers)))
    return out


def by_trade_model(
    y: np.ndarray, p: np.ndarray, models: list[str] | None, threshold: float
) -> dict[str, dict[str, float]]:
    """Return per trade model: rows, frauds, recall and false-positive rate at the high band."""
    names = np.asarray(models if models is not None else ["offshore_resale"] * len(y))
    out = {}
    for name in sorted(set(names)):
        mask, high = names == name, p >= threshold
        fraud, clean = mask & (y == 1), mask & (y == 0)
        out[name] = {"n": int(mask.sum()), "n_fraud": int(fraud.sum()),
                     "recall_high": float(high[fraud].mean()) if fraud.any() else float("nan"),
                     "fpr_high": float(high[clean].mean()) if clean.any() else float("nan")}
    return out
