"""Is a challenger better than the champion on one holdout? A paired bootstrap and calibration margins.

A point difference in PR-AUC on one holdout says little: 0.0015 on 77 positives is noise, and a
model can rank slightly better while its probabilities, which banks read as risk, get worse. So a
challenger replaces the champion only when the paired bootstrap interval of its PR-AUC gain lies
above zero and it is not worse in Brier score or ECE beyond the stated margins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import average_precision_score


@dataclass(frozen=True)
class Policy:
    """When a challenger replaces the champion (defaults used by ``tradeverify model promote``)."""

    resamples: int = 1000
    confidence: float = 0.95
    brier_margin: float = 0.005  # how much worse in Brier score a challenger may be
    ece_margin: float = 0.02  # and in expected calibration error
    feedback_margin: float = 0.02  # how much lower a PR-AUC on officers' held-out decisions
    seed: int = 0


@dataclass(frozen=True)
class Comparison:
    """The challenger's PR-AUC gain over the champion, its interval, and the verdict."""

    delta: float
    low: float
    high: float
    better: bool
    reason: str


def paired_bootstrap(y: np.ndarray, challenger: np.ndarray, champion: np.ndarray,
                     policy: Policy) -> tuple[float, float, float]:
    """Return the PR-AUC gain and its percentile interval, resampling rows within each class.

    Both models are scored on the same resampled rows (paired), and each resample keeps the
    holdout's count of fraudulent and clean rows, so no resample lacks a class.
    """
    rng = np.random.default_rng(policy.seed)
    positive, negative = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    deltas = np.empty(policy.resamples)
    for i in range(policy.resamples):
        rows = np.concatenate([rng.choice(positive, len(positive)), rng.choice(negative, len(negative))])
        deltas[i] = (average_precision_score(y[rows], challenger[rows])
                     - average_precision_score(y[rows], champion[rows]))
    tail = (1.0 - policy.confidence) / 2
    delta = float(average_precision_score(y, challenger) - average_precision_score(y, champion))
    return delta, float(np.quantile(deltas, tail)), float(np.quantile(deltas, 1.0 - tail))


def compare(y: np.ndarray, challenger: np.ndarray, champion: np.ndarray,
            metrics: tuple[dict[str, float], dict[str, float]], policy: Policy) -> Comparison:
    """Decide whether the challenger's probabilities beat the champion's on holdout labels ``y``.

    ``metrics`` are (challenger's, champion's) holdout metrics with ``brier`` and ``ece``.
    """
    delta, low, high = paired_bootstrap(y, challenger, champion, policy)
    told = f"pr_auc {delta:+.4f}, {policy.confidence:.0%} CI [{low:+.4f}, {high:+.4f}]"
    for key, margin in (("brier", policy.brier_margin), ("ece", policy.ece_margin)):
        ours, theirs = metrics[0][key], metrics[1][key]
        if ours - theirs > margin:
            return Comparison(delta, low, high, False, f"{key} {ours:.4f} is worse than the "
                              f"champion's {theirs:.4f} by more than {margin:g}; {told}")
    if low > 0:
        return Comparison(delta, low, high, True, f"{told} lies above 0")
    verdict = "includes 0: not clearly better" if high >= 0 else "lies below 0: worse"
    return Comparison(delta, low, high, False, f"{told} {verdict}")
