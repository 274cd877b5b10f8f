"""The model card (markdown) logged with every training run."""

from __future__ import annotations

from typing import Any

from tradeverify.features.spec import FEATURE_VERSION, FEATURES
from tradeverify_train.model.train import TrainResult

HEADLINE_METRICS: tuple[tuple[str, str], ...] = (
    ("pr_auc", "PR-AUC (average precision)"),
    ("roc_auc", "ROC-AUC"),
    ("recall_at_1pct_fpr", "Recall at 1 % false-positive rate"),
    ("brier", "Brier score (lower is better)"),
    ("ece", "Expected calibration error, 10 bins (lower is better)"),
)
TUNED_PARAMS = ("learning_rate", "num_leaves", "min_data_in_leaf", "feature_fraction", "lambda_l2",
                "rounds", "seed")


def _intended_use(name: str) -> list[str]:
    return [
        f"# Model card: {name}", "",
        "## Intended use", "",
        "Scores an offshore trade deal (contract, invoice, packing list, bill of lading) for the risk",
        "that the trade is not real. Output: a calibrated probability of risk, read with the rule",
        "flags and reasons of the risk report. It supports a bank's trade-finance analyst; it is not",
        "an automatic decision to refuse a payment.", "",
    ]


def _data(metrics: dict[str, float], run_params: dict[str, Any]) -> list[str]:
    n, pos = metrics.get("n_rows", 0.0), metrics.get("n_positive", 0.0)
    typologies = sorted(k.removeprefix("recall_high_") for k in metrics if k.startswith("recall_high_"))
    return [
        "## Training data", "",
        "Synthetic world from `tradeverify synth` (documents rendered, then really extracted).", "",
        f"- world: `{run_params.get('world', 'n/a')}`",
        f"- data seed: {run_params.get('data_seed', 'n/a')}; "
        f"requested size: {run_params.get('data_n', 'n/a')}",
        f"- rows: {int(n)}; fraudulent: {int(pos)} ({pos / n if n else 0.0:.1%} observed; "
        f"requested fraud rate {run_params.get('fraud_rate', 'n/a')})",
        f"- fraud typologies: {', '.join(typologies) or 'none'}",
        f"- feature version: {FEATURE_VERSION}; "
        f"data version: {run_params.get('data_version', 'n/a')}", "",
    ]


def _metrics(metrics: dict[str, float], high: float) -> list[str]:
    out = ["## Metrics", "",
           "Out-of-fold, cross-fitted: each fold is scored by a model and a calibrator that did not",
           "see it.", "", "| metric | value |", "|---|---|"]
    out += [f"| {label} (`{key}`) | {metrics[key]:.4f} |"
            for key, label in HEADLINE_METRICS if key in metrics]
    out += ["", f"### Recall per typology (probability >= {high:g}, the high band)", "",
            "| typology | recall |", "|---|---|"]
    out += [f"| {k.removeprefix('recall_high_')} | {v:.3f} |"
            for k, v in sorted(metrics.items()) if k.startswith("recall_high_")]
    return [*out, ""]


def _training(result: TrainResult) -> list[str]:
    knots = len(result.model.calibrator.x)
    params = ", ".join(f"{k}={result.params[k]}" for k in TUNED_PARAMS if k in result.params)
    return [
        "## Model and calibration", "",
        f"- LightGBM binary classifier; {params}",
        "- positives up-weighted (`scale_pos_weight`) to balance classes; calibration undoes the shift",
        f"- calibration: isotonic regression on out-of-fold raw scores ({knots} knots, stored as JSON)",
        "- packaged as code-free files (LightGBM text model, JSON calibration, JSON meta); no pickle", "",
    ]


def _features() -> list[str]:
    out = ["## Features", "", "| feature | red-flag family | meaning |", "|---|---|---|"]
    out += [f"| `{f.name}` | {f.family} | {f.meaning} |" for f in FEATURES]
    return [*out, ""]


def _limitations(metrics: dict[str, float]) -> list[str]:
    n, pos = metrics.get("n_rows", 0.0), metrics.get("n_positive", 0.0)
    return [
        "## Limitations", "",
        "- Trained and measured on synthetic data only: real documents, real fraud and real layouts",
        "  will differ; metrics here are an upper bound until validated on labelled real deals.",
        "- Prices and amounts are USD only; other currencies are not converted.",
        f"- The training world's prevalence ({pos / n if n else 0.0:.1%}) is far above real fraud rates:",
        "  probabilities are calibrated to that prevalence and overstate risk on a real book;",
        "  precision on a real book will be lower than the PR-AUC above suggests.",
        "- Only the typologies listed above were seen; other fraud schemes may score low",
        "  (see `tradeverify evaluate --leave-one-out`).", "",
    ]


def model_card(result: TrainResult, run_params: dict[str, Any], high_threshold: float = 0.7) -> str:
    """Return the markdown model card of a training result and the run's parameters."""
    name = str(result.model.meta.get("name", "tradeverify-risk"))
    lines = (_intended_use(name) + _data(result.metrics, run_params)
             + _metrics(result.metrics, high_threshold) + _training(result) + _features()
             + _limitations(result.metrics))
    return "\n".join(lines)
