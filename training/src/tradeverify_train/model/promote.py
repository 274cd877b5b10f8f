"""Champion/challenger: score both registered versions on one holdout, move ``champion`` if better."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import mlflow
import numpy as np
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from tradeverify.errors import InputError, ModelError
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify_train.model.dataset import Dataset
from tradeverify_train.model.metrics import evaluate
from tradeverify_train.model.tracking import data_version

CHAMPION = "champion"
COMPARED = ("pr_auc", "recall_at_1pct_fpr")  # primary metric, then the tie-break


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


def is_better(challenger: dict[str, float], champion: dict[str, float] | None) -> bool:
    """Return True when the challenger strictly beats the champion (PR-AUC, then recall at 1 % FPR)."""
    if champion is None:
        return True
    return tuple(challenger[k] for k in COMPARED) > tuple(champion[k] for k in COMPARED)


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


def score_version(name: str, version: str, holdout: Dataset, threshold: float) -> dict[str, float]:
    """Load a registered version as a pyfunc and return its metrics on the holdout."""
    try:
        model = mlflow.pyfunc.load_model(f"models:/{name}/{version}")
    except (MlflowException, OSError) as exc:
        raise ModelError(f"cannot load {name} v{version}: {exc}") from exc
    frame = pd.DataFrame(holdout.x, columns=list(FEATURE_NAMES))
    p = np.asarray(model.predict(frame), dtype=float)
    return evaluate(holdout.y, p, holdout.typology, threshold)


def _check_holdout(holdout: Dataset) -> str:
    """Reject a holdout the metrics cannot be computed on; return its description."""
    positives = int(np.sum(holdout.y))
    if len(holdout.y) == 0 or positives in (0, len(holdout.y)):
        raise InputError("the holdout needs both fraudulent and clean rows to compare models")
    return f"rows={len(holdout.y)} positives={positives} data_version={data_version(holdout.x, holdout.y)}"


def _reason(challenger: dict[str, float], champion: dict[str, float] | None, promoted: bool) -> str:
    """Explain the decision in one line."""
    if champion is None:
        return "no champion yet"
    key = next((k for k in COMPARED if challenger[k] != champion[k]), None)
    before = COMPARED[:COMPARED.index(key)] if key else COMPARED
    tied = "; ".join(f"{k} tied at {champion[k]:.4f}" for k in before)
    if key is None:
        return f"{tied}: not strictly better"
    told = f"{key} {challenger[key]:.4f} {'>' if promoted else '<'} champion {champion[key]:.4f}"
    return f"{tied}; {told}" if tied else told


def _record(client: MlflowClient, name: str, result: PromotionResult) -> None:
    """Record the decision as tags on the challenger and on the champion it was compared with."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    tags = {"promotion_decision": "promoted" if result.promoted else "rejected",
            "promotion_reason": result.reason, "promotion_at": stamp, "promotion_holdout": result.holdout,
            "promotion_compared_with": result.champion_version or "none"}
    tags.update({f"promotion_{k}": f"{result.challenger_metrics[k]:.6f}" for k in COMPARED})
    for key, value in tags.items():
        client.set_model_version_tag(name, result.challenger_version, key, value)
    if result.champion_version is not None and result.champion_metrics is not None:
        kept = {"last_challenger": result.challenger_version, "last_challenge_at": stamp,
                "last_challenge_result": "replaced" if result.promoted else "kept"}
        kept.update({f"last_challenge_{k}": f"{result.champion_metrics[k]:.6f}" for k in COMPARED})
        for key, value in kept.items():
            client.set_model_version_tag(name, result.champion_version, key, value)


def promote(
    holdout: Dataset, tracking_uri: str, name: str, challenger_version: str | None = None,
    threshold: float = 0.7,
) -> PromotionResult:
    """Score challenger (default: latest version) and champion on ``holdout``; move ``champion`` if better.

    Raises:
        InputError: the holdout lacks a class, or the challenger version does not exist.
        ModelError: the registry has no versions or a version cannot be loaded.

    """
    described = _check_holdout(holdout)
    mlflow.set_tracking_uri(tracking_uri)
    client = MlflowClient(tracking_uri)
    champion, versions = _versions(client, name)
    challenger = str(challenger_version) if challenger_version is not None else versions[-1]
    if challenger not in versions:
        raise InputError(f"{name} has no version {challenger} (versions: {', '.join(versions)})")
    ch_metrics = score_version(name, challenger, holdout, threshold)
    if challenger == champion:
        return PromotionResult(challenger, champion, ch_metrics, ch_metrics, False,
                               f"v{challenger} is already the champion", described)
    cp_metrics = score_version(name, champion, holdout, threshold) if champion else None
    better = is_better(ch_metrics, cp_metrics)
    result = PromotionResult(challenger, champion, ch_metrics, cp_metrics, better,
                             _reason(ch_metrics, cp_metrics, better), described)
    if better:
        client.set_registered_model_alias(name, CHAMPION, challenger)
    _record(client, name, result)
    return result
