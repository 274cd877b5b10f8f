"""The promotion policy: a paired bootstrap interval on the PR-AUC gain and calibration margins."""

from __future__ import annotations

import numpy as np
import pytest

from tradeverify_train.model.compare import Policy, compare, paired_bootstrap
from tradeverify_train.model.metrics import evaluate

POLICY = Policy(resamples=400)


def _posterior(y: np.ndarray, separation: float, seed: int) -> np.ndarray:
    """A calibrated score: the exact posterior of a unit-variance signal shifted for frauds."""
    signal = y * separation + np.random.default_rng(seed).normal(size=len(y))
    prior = np.log(0.25 / 0.75)
    return 1 / (1 + np.exp(-(prior + separation * signal - separation ** 2 / 2)))


def _holdout(n: int = 400, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels and a fairly good, calibrated champion score."""
    y = (np.random.default_rng(seed).uniform(size=n) < 0.25).astype(int)
    return y, _posterior(y, 1.2, seed + 1)


def _metrics(y: np.ndarray, *scores: np.ndarray) -> tuple[dict[str, float], dict[str, float]]:
    a, b = (evaluate(y, p, [""] * len(y), 0.7) for p in scores)
    return a, b


def test_a_clearly_better_challenger_is_promoted() -> None:
    y, champion = _holdout()
    challenger = _posterior(y, 2.5, 11)  # a stronger signal, as well calibrated
    got = compare(y, challenger, champion, _metrics(y, challenger, champion), POLICY)
    assert got.better and got.low > 0 and got.low <= got.delta <= got.high
    assert "lies above 0" in got.reason


def test_a_gain_within_the_noise_is_not_promoted() -> None:
    y, champion = _holdout()
    jitter = np.random.default_rng(5).normal(scale=0.01, size=len(y))
    challenger = np.clip(champion + jitter, 0, 1)
    got = compare(y, challenger, champion, _metrics(y, challenger, champion), POLICY)
    assert not got.better and got.low < 0 < got.high
    assert "includes 0" in got.reason


def test_same_ranking_worse_calibration_is_refused() -> None:
    y, champion = _holdout()
    challenger = champion ** 0.25  # the same order, probabilities pushed towards 1
    ours, theirs = _metrics(y, challenger, champion)
    assert ours["pr_auc"] == pytest.approx(theirs["pr_auc"])
    got = compare(y, challenger, champion, (ours, theirs), POLICY)
    assert not got.better and got.reason.startswith("brier")


def test_the_interval_is_seeded_and_keeps_both_classes() -> None:
    y, champion = _holdout(n=60, seed=2)
    challenger = np.clip(champion + 0.1 * y, 0, 1)
    first = paired_bootstrap(y, challenger, champion, POLICY)
    assert first == paired_bootstrap(y, challenger, champion, POLICY)
    assert first != paired_bootstrap(y, challenger, champion, Policy(resamples=400, seed=1))
