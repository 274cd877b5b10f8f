"""Metrics of the packaged model on a labelled world (a seed never used in training)."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score

from tradeverify.config import Settings
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.risk import OUTLIER_COLUMN, RiskModel
from tradeverify_train.extraction.accuracy import field_accuracy
from tradeverify_train.model.dataset import build_dataset, extract_world
from tradeverify_train.model.metrics import evaluate


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
    models = data.trade_model or ["offshore_resale"] * len(data.y)
    out["by_trade_model"] = by_group(data.y, with_rules, models, settings.band_high)
    out["by_route"] = by_group(data.y, with_rules, routes(world, data.ids), settings.band_high)
    out["by_unknown_features"] = by_group(data.y, with_rules, unknown_buckets(data.x), settings.band_high)
    out.update(field_accuracy(world, extract_world(world, settings.workers)))
    return out


def routes(world: Path, ids: list[str]) -> list[str]:
    """Return each submission's route, "scanned" or "digital", from the world's labels."""
    with (world / "labels.csv").open(newline="", encoding="utf-8") as fh:
        scanned = {r["submission_id"]: r.get("scanned") == "1" for r in csv.DictReader(fh)}
    return ["scanned" if scanned.get(i) else "digital" for i in ids]


# Buckets of how many features of a row are unknown (an input missing or unread).
UNKNOWN_BUCKETS = ((0, "0"), (3, "1-3"), (8, "4-8"))


def unknown_buckets(x: np.ndarray) -> list[str]:
    """Return each row's bucket of unknown feature count ("0", "1-3", "4-8", "9+")."""
    # The outlier column (in rows of the full spec) is the model's own, never read from documents.
    read = np.delete(x, OUTLIER_COLUMN, axis=1) if x.shape[1] == len(FEATURE_NAMES) else x
    counts = np.isnan(read).sum(axis=1)
    return [next((name for top, name in UNKNOWN_BUCKETS if c <= top), f"{UNKNOWN_BUCKETS[-1][0] + 1}+")
            for c in counts]


def by_group(y: np.ndarray, p: np.ndarray, groups: list[str], threshold: float,
             ) -> dict[str, dict[str, float]]:
    """Return per group: rows, frauds, PR-AUC, recall and false-positive rate at the high band."""
    names, high = np.asarray(groups), p >= threshold
    out = {}
    for name in sorted(set(groups)):
        mask = names == name
        fraud, clean = mask & (y == 1), mask & (y == 0)
        both = fraud.any() and clean.any()
        out[name] = {"n": int(mask.sum()), "n_fraud": int(fraud.sum()),
                     "pr_auc": float(average_precision_score(y[mask], p[mask])) if both else float("nan"),
                     "recall_high": float(high[fraud].mean()) if fraud.any() else float("nan"),
                     "fpr_high": float(high[clean].mean()) if clean.any() else float("nan")}
    return out
