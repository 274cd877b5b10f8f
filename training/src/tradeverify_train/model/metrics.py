"""Model metrics: PR-AUC, ROC-AUC, recall at 1 % false positives, Brier, ECE, per-typology recall."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score, roc_curve


def recall_at_fpr(y: np.ndarray, p: np.ndarray, fpr_max: float = 0.01) -> float:
    """Return the best recall with a false-positive rate at or below ``fpr_max``."""
    fpr, tpr, _ = roc_curve(y, p)
    ok = tpr[fpr <= fpr_max]
    return float(ok.max()) if ok.size else 0.0


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Return the bin-weighted gap between predicted and observed rates."""
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            total += mask.mean() * abs(p[mask].mean() - y[mask].mean())
    return float(total)


def evaluate(
    y: np.ndarray, p: np.ndarray, typology: list[str], threshold: float
) -> dict[str, float]:
    """Return the metric set logged for every run."""
    out = {
        "pr_auc": float(average_precision_score(y, p)),
        "roc_auc": float(roc_auc_score(y, p)),
        "recall_at_1pct_fpr": recall_at_fpr(y, p),
        "brier": float(brier_score_loss(y, p)),
        "ece": expected_calibration_error(y, p),
        "n_rows": float(len(y)),
        "n_positive": float(y.sum()),
    }
    typ = np.asarray(typology)
    for name in sorted(set(typology) - {""}):
        mask = typ == name
        out[f"recall_high_{name}"] = float((p[mask] >= threshold).mean())
    return out


HONEST = "(honest)"


def typology_table(
    y: np.ndarray, p: np.ndarray, typology: list[str], threshold: float,
) -> list[dict[str, float | str]]:
    """Return one row per typology (and one for honest deals), weakest catch first.

    ``share_high`` is the share of the group's rows at or above ``threshold`` (the high band):
    recall for a typology, the false-alarm rate for honest deals, which comes last.
    """
    typ = np.asarray([t or HONEST for t in typology])
    rows: list[dict[str, float | str]] = []
    for name in sorted(set(typ.tolist())):
        mask = typ == name
        rows.append({"typology": name, "rows": int(mask.sum()),
                     "high": int((p[mask] >= threshold).sum()),
                     "share_high": round(float((p[mask] >= threshold).mean()), 4),
                     "mean_score": round(float(p[mask].mean()), 4),
                     "is_fraud": int(y[mask].max())})
    return sorted(rows, key=lambda r: (r["typology"] == HONEST, r["share_high"], r["typology"]))
