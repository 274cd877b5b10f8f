"""Fit the risk model: cross-validated early stopping, isotonic calibration on out-of-fold scores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
from sklearn.metrics import average_precision_score
from sklearn.model_selection import KFold, StratifiedKFold

from tradeverify.features.spec import FEATURE_NAMES, FEATURES
from tradeverify.model.calibration import Calibrator
from tradeverify.model.outlier import OutlierModel
from tradeverify.model.risk import OUTLIER_COLUMN, OUTLIER_SKIP, RiskModel
from tradeverify_train.model.dataset import Dataset
from tradeverify_train.model.metrics import evaluate
from tradeverify_train.model.unread import unread_copies

DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 10,
    "feature_fraction": 0.9, "bagging_fraction": 0.9, "bagging_freq": 1, "lambda_l2": 1.0,
    "verbosity": -1, "num_threads": 2, "deterministic": True, "force_row_wise": True,
}


# What could not be read is no evidence of fraud: the features that count missing documents and
# low-confidence reads may lower the score, never raise it (the incomplete band keeps such a
# deal out of "low" instead).
MONOTONE = tuple(-1 if f.family == "INCOMPLETE" else 0 for f in FEATURES)


@dataclass
class TrainResult:
    """A fitted model with its out-of-fold metrics."""

    model: RiskModel
    metrics: dict[str, float]
    params: dict[str, Any]
    oof: np.ndarray = field(repr=False)
    # One entry per cross-validation fold: its rows, best iteration and raw PR-AUC.
    folds: list[dict[str, float]] = field(default_factory=list)


def _fit(params: dict[str, Any], x: np.ndarray, y: np.ndarray, w: np.ndarray | None, rounds: int,
         valid: tuple[np.ndarray, np.ndarray] | None = None) -> lgb.Booster:
    train = lgb.Dataset(x, y, weight=w, feature_name=list(FEATURE_NAMES), free_raw_data=False)
    sets = [] if valid is None else [lgb.Dataset(*valid, reference=train)]
    callbacks: list[Callable[..., Any]] = (
        [] if valid is None else [lgb.early_stopping(30, verbose=False)])
    return lgb.train(params, train, num_boost_round=rounds, valid_sets=sets, callbacks=callbacks)


def _params(data: Dataset, params: dict[str, Any] | None, seed: int) -> dict[str, Any]:
    pos = max(1, int(data.y.sum()))
    # Fraud is rare: weight positives up to balance the classes; calibration undoes the shift.
    weight = (len(data.y) - pos) / pos
    return {**DEFAULT_PARAMS, "scale_pos_weight": weight, "seed": seed,
            "monotone_constraints": list(MONOTONE), **(params or {})}


def _cross_calibrated(oof: np.ndarray, y: np.ndarray, splitter: StratifiedKFold) -> np.ndarray:
    """Calibrate each fold with a calibrator fitted on the other folds: honest metrics and ECE."""
    out = np.zeros_like(oof)
    for tr, va in splitter.split(oof.reshape(-1, 1), y):
        out[va] = Calibrator.fit(oof[tr], y[tr])(oof[va])
    return out


def outlier_inputs(data: Dataset, seed: int, folds: int) -> tuple[np.ndarray, OutlierModel]:
    """Return the rows with their outlier column filled, and the ranges fitted on every honest row.

    An honest row's score comes from ranges fitted on the other folds' honest rows: scored by
    ranges it helped draw, it would look more ordinary than a fresh honest deal does at serving.
    Fraud rows are never in a fit and are scored by the final ranges.
    """
    honest = np.flatnonzero(data.y == 0)
    final = OutlierModel.fit(data.x[honest], OUTLIER_SKIP)
    x = np.array(data.x, dtype=float, copy=True)
    x[:, OUTLIER_COLUMN] = final.scores(data.x)
    for tr, va in KFold(n_splits=folds, shuffle=True, random_state=seed).split(honest):
        part = OutlierModel.fit(data.x[honest[tr]], OUTLIER_SKIP)
        x[honest[va], OUTLIER_COLUMN] = part.scores(data.x[honest[va]])
    return x, final


def _training_rows(
    x: np.ndarray, data: Dataset, rows: np.ndarray, unread: float, seed: int, ranges: OutlierModel | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Return the fitting rows ``rows`` plus their unread copies (model/unread.py), and weights.

    The weights are the rows' own (None when every row weighs 1); an unread copy weighs 1.
    """
    xt, yt = unread_copies(x[rows], data.y[rows], [data.typology[i] for i in rows], unread, seed)
    if ranges is not None and len(yt) > len(rows):  # a blanked check no longer lies outside
        xt[len(rows):, OUTLIER_COLUMN] = ranges.scores(xt[len(rows):])
    if data.weight is None:
        return xt, yt, None
    return xt, yt, np.concatenate([data.weight[rows], np.ones(len(yt) - len(rows))])


def _out_of_fold(
    p: dict[str, Any], x: np.ndarray, data: Dataset, splitter: StratifiedKFold, max_rounds: int,
    extra: tuple[float, int, OutlierModel | None],
) -> tuple[np.ndarray, list[dict[str, float]]]:
    """Return out-of-fold raw scores and, per fold, its rows, best iteration and raw PR-AUC.

    ``extra`` is (unread share, seed, outlier ranges), as :func:`_training_rows` takes them.
    """
    oof, fold_log = np.zeros(len(data.y)), []
    for fold, (tr, va) in enumerate(splitter.split(x, data.y)):
        booster = _fit(p, *_training_rows(x, data, tr, *extra), max_rounds, (x[va], data.y[va]))
        oof[va] = booster.predict(x[va], num_iteration=booster.best_iteration)
        fold_log.append({"fold": float(fold), "rows": float(len(va)),
                         "best_iteration": float(booster.best_iteration or max_rounds),
                         "pr_auc_raw": float(average_precision_score(data.y[va], oof[va]))})
    return oof, fold_log


def fit_model(
    data: Dataset, params: dict[str, Any] | None = None, seed: int = 0, folds: int = 5,
    max_rounds: int = 600, high_threshold: float = 0.7, *, outlier: bool = False, unread: float = 0.0,
) -> TrainResult:
    """Train with k-fold early stopping, calibrate on out-of-fold scores, refit on all rows.

    With ``outlier`` the model also takes the evidence-outlier input (model/outlier.py);
    without it that column stays unknown, as it is in the rows the matchers build. ``unread``
    is the share of fitting rows added again with one check's evidence unknown; validation
    and calibration see the real rows only.
    """
    p = _params(data, params, seed)
    x, ranges = outlier_inputs(data, seed, folds) if outlier else (data.x, None)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    oof, fold_log = _out_of_fold(p, x, data, splitter, max_rounds, (unread, seed, ranges))
    calibrator = Calibrator.fit(oof, data.y)
    calibrated = _cross_calibrated(oof, data.y, splitter)
    metrics = evaluate(data.y, calibrated, data.typology, high_threshold)
    rounds = int(np.mean([f["best_iteration"] for f in fold_log]))
    final = _fit(p, *_training_rows(x, data, np.arange(len(data.y)), unread, seed, ranges), rounds)
    meta = {"name": "tradeverify-risk", "rounds": rounds, "seed": seed, "metrics": metrics, "unread": unread}
    model = RiskModel(final, calibrator, {**meta, "outlier": outlier}, ranges)
    return TrainResult(model, metrics, {**p, "rounds": rounds}, calibrated, fold_log)
