"""Champion/challenger: score both registered versions on one holdout, move ``champion`` if better.

"Better" is :mod:`tradeverify_train.model.compare`'s: a PR-AUC gain whose paired bootstrap
interval lies above zero, with Brier score and ECE no worse beyond stated margins. Each decision
is an MLflow run (experiment ``tradeverify-promotion``) and tags on both versions; only this
module moves the ``champion`` alias once one exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import mlflow
import numpy as np
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient
from sklearn.metrics import average_precision_score

from tradeverify.errors import InputError, ModelError
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify_train.experiments import use_experiment
from tradeverify_train.model.compare import Comparison, Policy, compare
from tradeverify_train.model.dataset import Dataset
from tradeverify_train.model.metrics import evaluate
from tradeverify_train.model.tracking import data_version

CHAMPION = "champion"
EXPERIMENT = "tradeverify-promotion"
TAGGED = ("pr_auc", "recall_at_1pct_fpr", "brier", "ece")


@dataclass
class PromotionResult:
    """Both versions' metrics on the same holdout and what was decided."""

    challenger_version: str
    champion_version: str | None
    challenger_metrics: dict[str, float]
    champion_metrics: dict[str, float] | None
    promoted: bool
    reason: str
    holdout: str
    # The challenger's PR-AUC gain and its bootstrap interval (None without a champion).
    pr_auc_gain: float | None = None
    gain_interval: tuple[float, float] | None = None
    run_id: str | None = None
    # Both versions on officers' held-out decisions (``--feedback``), when given.
    challenger_feedback: dict[str, float] | None = None
    champion_feedback: dict[str, float] | None = None


def _versions(client: MlflowClient, name: str) -> tuple[str | None, list[str]]:
    """Return the champion's version (None without one) and every registered version, oldest first."""
    try:
        found = client.search_model_versions(f"name = '{name}'")
    except MlflowException as exc:
        raise ModelError(f"cannot read the model registry for {name!r}: {exc}") from exc
    versions = sorted((str(v.version) for v in found), key=int)
    if not versions:
        raise ModelError(f"no registered versions of {name!r}; run `tradeverify train` first")
    try:
        champion: str | None = str(client.get_model_version_by_alias(name, CHAMPION).version)
    except MlflowException:
        champion = None
    return champion, versions


def score_version(name: str, version: str, holdout: Dataset) -> np.ndarray:
    """Load a registered version as a pyfunc and return its probabilities on the holdout."""
    try:
        model = mlflow.pyfunc.load_model(f"models:/{name}/{version}")
    except (MlflowException, OSError) as exc:
        raise ModelError(f"cannot load {name} v{version}: {exc}") from exc
    frame = pd.DataFrame(holdout.x, columns=list(FEATURE_NAMES))
    return np.asarray(model.predict(frame), dtype=float)


def _check_holdout(holdout: Dataset) -> str:
    """Reject a holdout the metrics cannot be computed on; return its description."""
    positives = int(np.sum(holdout.y))
    if len(holdout.y) == 0 or positives in (0, len(holdout.y)):
        raise InputError("the holdout needs both fraudulent and clean rows to compare models")
    return f"rows={len(holdout.y)} positives={positives} data_version={data_version(holdout.x, holdout.y)}"


def _record(client: MlflowClient, name: str, result: PromotionResult) -> None:
    """Record the decision as tags on the challenger and on the champion it was compared with."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    tags = {"promotion_decision": "promoted" if result.promoted else "rejected",
            "promotion_reason": result.reason, "promotion_at": stamp, "promotion_holdout": result.holdout,
            "promotion_compared_with": result.champion_version or "none"}
    tags.update({f"promotion_{k}": f"{result.challenger_metrics[k]:.6f}" for k in TAGGED})
    if result.run_id:
        tags["promotion_run_id"] = result.run_id
    for key, value in tags.items():
        client.set_model_version_tag(name, result.challenger_version, key, value)
    if result.champion_version is not None and result.champion_metrics is not None:
        kept = {"last_challenger": result.challenger_version, "last_challenge_at": stamp,
                "last_challenge_result": "replaced" if result.promoted else "kept"}
        kept.update({f"last_challenge_{k}": f"{result.champion_metrics[k]:.6f}" for k in TAGGED})
        for key, value in kept.items():
            client.set_model_version_tag(name, result.champion_version, key, value)


def _log_decision(result: PromotionResult, policy: Policy, tracking_uri: str) -> str:
    """Log the comparison as a run of experiment ``tradeverify-promotion``; return its id."""
    use_experiment(EXPERIMENT, tracking_uri)
    with mlflow.start_run(run_name=f"v{result.challenger_version} vs "
                                   f"v{result.champion_version or 'none'}") as run:
        mlflow.log_params({"challenger_version": result.challenger_version,
                           "champion_version": result.champion_version or "none",
                           "holdout": result.holdout, **{f"policy_{k}": v for k, v in vars(policy).items()}})
        mlflow.log_metrics({f"challenger_{k}": v for k, v in result.challenger_metrics.items()})
        mlflow.log_metrics({f"champion_{k}": v for k, v in (result.champion_metrics or {}).items()})
        for who, metrics in (("challenger", result.challenger_feedback),
                             ("champion", result.champion_feedback)):
            mlflow.log_metrics({f"{who}_feedback_{k}": v for k, v in (metrics or {}).items()})
        if result.gain_interval is not None and result.pr_auc_gain is not None:
            mlflow.log_metrics({"pr_auc_gain": result.pr_auc_gain, "pr_auc_gain_low": result.gain_interval[0],
                                "pr_auc_gain_high": result.gain_interval[1]})
        mlflow.set_tags({"decision": "promoted" if result.promoted else "rejected", "reason": result.reason})
    return str(run.info.run_id)


def feedback_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Return a version's metrics on decided submissions (PR-AUC only when both outcomes occur)."""
    out = {"rows": float(len(y)), "fraud": float(np.sum(y)), "brier": float(np.mean((p - y) ** 2)),
           "flagged_fraud": float(np.mean(p[y == 1] >= 0.5)) if np.any(y == 1) else float("nan"),
           "flagged_clear": float(np.mean(p[y == 0] >= 0.5)) if np.any(y == 0) else float("nan")}
    if 0 < np.sum(y) < len(y):
        out["pr_auc"] = float(average_precision_score(y, p))
    return out


def _feedback_refusal(ours: dict[str, float], theirs: dict[str, float], policy: Policy) -> str | None:
    """Return why the challenger is worse than the champion on the officers' decisions (None: it is not)."""
    if ours["brier"] > theirs["brier"] + policy.brier_margin:
        return (f"worse on the officers' held-out decisions: Brier {ours['brier']:.4f} against "
                f"{theirs['brier']:.4f}")
    if "pr_auc" in ours and ours["pr_auc"] < theirs["pr_auc"] - policy.feedback_margin:
        return (f"worse on the officers' held-out decisions: PR-AUC {ours['pr_auc']:.4f} against "
                f"{theirs['pr_auc']:.4f}")
    return None


def _on_feedback(result: PromotionResult, name: str, feedback: Dataset, policy: Policy) -> None:
    """Score both versions on held-out feedback; a challenger worse there is not promoted."""
    if not len(feedback.y):
        raise InputError("the feedback holdout has no labelled decision")
    result.challenger_feedback = feedback_metrics(feedback.y, score_version(name, result.challenger_version,
                                                                            feedback))
    if result.champion_version is None:
        return
    result.champion_feedback = feedback_metrics(feedback.y, score_version(name, result.champion_version,
                                                                          feedback))
    refusal = _feedback_refusal(result.challenger_feedback, result.champion_feedback, policy)
    if result.promoted and refusal:
        result.promoted, result.reason = False, refusal
    elif result.promoted:
        result.reason += "; no worse on the officers' held-out decisions"


def _decide(holdout: Dataset, name: str, challenger: str, champion: str | None, threshold: float,
            policy: Policy) -> tuple[dict[str, float], dict[str, float] | None, Comparison | None]:
    """Score both versions on the holdout; compare them when there is a champion."""
    p_challenger = score_version(name, challenger, holdout)
    ours = evaluate(holdout.y, p_challenger, holdout.typology, threshold)
    if champion is None:
        return ours, None, None
    p_champion = score_version(name, champion, holdout)
    theirs = evaluate(holdout.y, p_champion, holdout.typology, threshold)
    return ours, theirs, compare(holdout.y, p_challenger, p_champion, (ours, theirs), policy)


def promote(
    holdout: Dataset, tracking_uri: str, name: str, challenger_version: str | None = None,
    threshold: float = 0.7, policy: Policy | None = None, feedback: Dataset | None = None,
) -> PromotionResult:
    """Score challenger (default: latest version) and champion on ``holdout``; move ``champion`` if better.

    With ``feedback`` (officers' decisions the challenger was not trained on), a challenger that
    is better on the world but worse on those decisions is not promoted.

    Raises:
        InputError: the holdout lacks a class, or the challenger version does not exist.
        ModelError: the registry has no versions or a version cannot be loaded.

    """
    policy = policy or Policy()
    described = _check_holdout(holdout)
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)  # the versions compared live in this store's registry
    client = MlflowClient(tracking_uri, tracking_uri)
    champion, versions = _versions(client, name)
    challenger = str(challenger_version) if challenger_version is not None else versions[-1]
    if challenger not in versions:
        raise InputError(f"{name} has no version {challenger} (versions: {', '.join(versions)})")
    if challenger == champion:
        metrics = evaluate(holdout.y, score_version(name, challenger, holdout), holdout.typology, threshold)
        return PromotionResult(challenger, champion, metrics, metrics, False,
                               f"v{challenger} is already the champion", described)
    ours, theirs, verdict = _decide(holdout, name, challenger, champion, threshold, policy)
    result = PromotionResult(
        challenger, champion, ours, theirs, verdict is None or verdict.better,
        verdict.reason if verdict else "no champion yet", described,
        verdict.delta if verdict else None, (verdict.low, verdict.high) if verdict else None)
    if feedback is not None:
        _on_feedback(result, name, feedback, policy)
    result.run_id = _log_decision(result, policy, tracking_uri)
    if result.promoted:
        client.set_registered_model_alias(name, CHAMPION, challenger)
    _record(client, name, result)
    return result
