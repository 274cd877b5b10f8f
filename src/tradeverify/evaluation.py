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
    out.update(field_accuracy(world, extract_world(world, settings.workers)))
    return out
