"""Diagnostic plots logged with every training run: reliability, PR and ROC curves, contributions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.risk import RiskModel


def reliability_bins(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[tuple[float, float, int]]:
    """Return (mean predicted, observed rate, count) of each non-empty equal-width bin."""
    idx = np.clip(np.digitize(p, np.linspace(0, 1, bins + 1)[1:-1]), 0, bins - 1)
    out = []
    for b in range(bins):
        mask = idx == b
        if mask.any():
            out.append((float(p[mask].mean()), float(y[mask].mean()), int(mask.sum())))
    return out


def calibration_plot(y: np.ndarray, p: np.ndarray, path: Path, bins: int = 10) -> Path:
    """Write a reliability diagram (observed vs predicted rate, bin counts below) as PNG."""
    rows = reliability_bins(np.asarray(y, dtype=float), np.asarray(p, dtype=float), bins)
    pred, obs, counts = (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [])
    fig = Figure(figsize=(5.5, 6))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    top.plot([0, 1], [0, 1], ls="--", color="grey", label="perfectly calibrated")
    top.plot(pred, obs, marker="o", label="model")
    for px, ox, n in zip(pred, obs, counts, strict=True):
        top.annotate(str(n), (px, ox), textcoords="offset points", xytext=(4, -10), fontsize=7)
    top.set(ylabel="observed fraud rate", xlim=(0, 1), ylim=(0, 1), title="Calibration (reliability)")
    top.legend(loc="upper left")
    centers = [(min(int(px * bins), bins - 1) + 0.5) / bins for px in pred]  # each mean lies in its bin
    bottom.bar(centers, counts, width=0.8 / bins, color="tab:blue")
    bottom.set(xlabel="predicted probability of risk", ylabel="rows", yscale="log")
    fig.subplots_adjust(left=0.14, right=0.96, top=0.94, bottom=0.09, hspace=0.08)
    return _save(fig, path)


def curves_plot(y: np.ndarray, p: np.ndarray, path: Path) -> Path:
    """Write the precision-recall and ROC curves of scores ``p`` side by side as PNG."""
    precision, recall, _ = precision_recall_curve(y, p)
    fpr, tpr, _ = roc_curve(y, p)
    fig = Figure(figsize=(10, 4.5))
    left, right = fig.subplots(1, 2)
    left.step(recall, precision, where="post", color="tab:blue")
    left.axhline(float(np.mean(y)), ls="--", color="grey", label="prevalence")
    left.set(xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.02),
             title=f"Precision-recall (PR-AUC {average_precision_score(y, p):.4f})")
    left.legend(loc="lower left")
    right.plot(fpr, tpr, color="tab:blue")
    right.plot([0, 1], [0, 1], ls="--", color="grey")
    right.axvline(0.01, ls=":", color="tab:red", label="1 % false positives")
    right.set(xlabel="false-positive rate", ylabel="true-positive rate", xlim=(0, 1), ylim=(0, 1.02),
              title=f"ROC (AUC {roc_auc_score(y, p):.4f})")
    right.legend(loc="lower right")
    fig.subplots_adjust(left=0.07, right=0.98, top=0.92, bottom=0.12, wspace=0.22)
    return _save(fig, path)


def contribution_summary_plot(model: RiskModel, x: np.ndarray, path: Path, max_rows: int = 5000) -> Path:
    """Write a bar chart of the mean |contribution| (log-odds) of each feature as PNG."""
    rows = x[np.linspace(0, len(x) - 1, min(len(x), max_rows)).astype(int)] if len(x) else x
    mean_abs = np.abs(model.contributions(rows)).mean(axis=0)
    order = np.argsort(mean_abs)
    fig = Figure(figsize=(6.5, 0.25 * len(order) + 1.2))
    ax = fig.subplots()
    names = model.booster.feature_name() or list(FEATURE_NAMES)
    ax.barh([names[i] for i in order], mean_abs[order], color="tab:orange")
    ax.set(xlabel="mean |contribution| (log-odds)",
           title=f"Feature contributions ({len(rows)} rows)")
    ax.tick_params(axis="y", labelsize=7)
    height = fig.get_figheight()
    fig.subplots_adjust(left=0.33, right=0.96, top=1 - 0.4 / height, bottom=0.6 / height)
    return _save(fig, path)


def _save(fig: Figure, path: Path) -> Path:
    """Render with the Agg canvas (no pyplot, no global backend switch) and write a PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(fig)  # fixed margins above: tight_layout would double the rendering time
    fig.savefig(path, format="png", dpi=110)
    return path
