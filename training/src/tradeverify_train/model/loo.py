"""Leave-one-typology-out: how well the model catches a fraud scheme it never saw."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score

from tradeverify.errors import InputError
from tradeverify_train.model.dataset import Dataset
from tradeverify_train.model.train import fit_model

COLUMNS: tuple[tuple[str, str], ...] = (
    ("typology", "typology"), ("n_typology", "n"), ("n_clean_heldout", "clean"),
    ("recall_high", "recall_unseen"), ("recall_high_seen", "recall_seen"),
    ("pr_auc", "pr_auc_unseen"), ("clean_flagged_high", "clean_flagged"),
)


def subset(data: Dataset, mask: np.ndarray) -> Dataset:
    """Return the rows of ``data`` selected by a boolean mask."""
    idx = np.flatnonzero(mask)
    return Dataset([data.ids[i] for i in idx], data.x[idx], data.y[idx], [data.typology[i] for i in idx])


def _heldout_clean(data: Dataset, n: int, seed: int, salt: int) -> np.ndarray:
    """Pick ``n`` clean rows (at most half of them) to hold out of training, reproducibly."""
    clean = np.flatnonzero(data.y == 0)
    rng = np.random.default_rng([seed, salt])
    return np.sort(rng.choice(clean, size=min(n, len(clean) // 2), replace=False))


def _one(data: Dataset, typology: str, salt: int, params: dict[str, Any] | None, seed: int,
         folds: int, high: float, outlier: bool, unread: float) -> dict[str, Any]:
    """Train without ``typology`` (and a held-out share of clean rows); score both held-out sets."""
    t_rows = np.flatnonzero(np.asarray(data.typology) == typology)
    clean_out = _heldout_clean(data, len(t_rows), seed, salt)
    train = np.ones(len(data.y), dtype=bool)
    train[t_rows] = train[clean_out] = False
    if int(data.y[train].sum()) < folds:
        raise InputError(f"without {typology} fewer than {folds} fraudulent rows are left to train on")
    model = fit_model(subset(data, train), params, seed, folds, high_threshold=high, outlier=outlier,
                      unread=unread).model
    p_t, p_clean = model.predict_proba(data.x[t_rows]), model.predict_proba(data.x[clean_out])
    labels = np.r_[np.ones(len(p_t)), np.zeros(len(p_clean))]
    return {"typology": typology, "n_typology": len(t_rows), "n_clean_heldout": len(clean_out),
            "recall_high": float((p_t >= high).mean()),
            "pr_auc": float(average_precision_score(labels, np.r_[p_t, p_clean])) if len(p_clean) else 0.0,
            "clean_flagged_high": float((p_clean >= high).mean()) if len(p_clean) else 0.0}


def leave_one_out(
    data: Dataset, params: dict[str, Any] | None = None, seed: int = 0, folds: int = 5,
    high_threshold: float = 0.7, *, outlier: bool = False, unread: float = 0.0,
) -> list[dict[str, Any]]:
    """Return one row per typology T: recall on T of a model trained without T.

    For each T the model is fitted (``fit_model``) on clean rows and the other typologies, minus
    as many clean rows as T has (at most half the clean rows), which are held out with T. Row
    fields: ``recall_high`` (share of T at or above the high band), ``pr_auc`` (T vs the held-out
    clean rows, so 0.5 is chance), ``clean_flagged_high`` (held-out clean rows in the high band)
    and ``recall_high_seen``: the out-of-fold recall on T of a model trained with T, for contrast.
    """
    typologies = sorted(set(data.typology) - {""})
    if len(typologies) < 2:
        raise InputError("leave-one-out needs at least two fraud typologies in the data")
    seen = fit_model(data, params, seed, folds, high_threshold=high_threshold, outlier=outlier,
                     unread=unread).metrics
    rows = []
    for salt, typology in enumerate(typologies):
        row = _one(data, typology, salt, params, seed, folds, high_threshold, outlier, unread)
        row["recall_high_seen"] = seen.get(f"recall_high_{typology}", float("nan"))
        rows.append(row)
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    """Return the leave-one-out rows as an aligned text table."""
    width = max([len("typology"), *(len(str(r["typology"])) for r in rows)])
    header = [f"{'typology':<{width}}", *(f"{label:>13}" for _, label in COLUMNS[1:])]
    lines = ["  ".join(header)]
    for row in rows:
        cells = [f"{row['typology']:<{width}}"]
        cells += [f"{row[k]:>13.3f}" if isinstance(row[k], float) else f"{row[k]:>13}"
                  for k, _ in COLUMNS[1:]]
        lines.append("  ".join(cells))
    return "\n".join(lines)
