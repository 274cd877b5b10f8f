"""Reasons cover the score: what pushed it up is told, including checks that could not run."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tradeverify.features.spec import FEATURE_NAMES, FEATURES
from tradeverify.report.reasons import COVERAGE, UNVERIFIED, reasons

FAMILIES = {f.name: f.family for f in FEATURES}


def _push(contrib: np.ndarray) -> float:
    """The upward push: the positive family sums."""
    totals: dict[str, float] = {}
    for f, c in zip(FEATURES, contrib, strict=True):
        totals[f.family] = totals.get(f.family, 0.0) + float(c)
    return sum(t for t in totals.values() if t > 0)


@pytest.mark.parametrize("seed", range(40))
def test_reasons_account_for_most_of_the_upward_push(seed: int) -> None:
    rng = np.random.default_rng(seed)
    contrib = rng.normal(0.0, 0.6, len(FEATURES)) * (rng.random(len(FEATURES)) < 0.4)
    values = [math.nan if rng.random() < 0.3 else float(rng.normal()) for _ in FEATURES]
    told = reasons(contrib, values, facts={})
    assert sum(r.contribution for r in told) >= COVERAGE * _push(contrib) - 1e-3
    assert all(r.message and r.contribution > 0 for r in told)


def test_a_push_from_an_unread_input_is_told_not_dropped() -> None:
    values = [0.0] * len(FEATURES)
    gap = FEATURE_NAMES.index("pol_call_gap_hours")
    values[gap] = math.nan  # the B/L's on-board date was not read: the vessel check could not run
    contrib = np.zeros(len(FEATURES))
    contrib[gap] = 2.5
    told = reasons(contrib, values, facts={})
    assert [r.code for r in told] == [UNVERIFIED]
    assert "vessel not at port" in told[0].message and "could not be read" in told[0].message
    assert told[0].contribution == pytest.approx(2.5)


def test_context_is_a_reason_only_when_the_rest_does_not_cover_the_score() -> None:
    values = [0.0] * len(FEATURES)
    context = next(i for i, f in enumerate(FEATURES) if f.family == "CONTEXT")
    price = FEATURE_NAMES.index("price_abs_z")
    contrib = np.zeros(len(FEATURES))
    contrib[context], contrib[price] = 0.3, 3.0
    assert [r.code for r in reasons(contrib, values, facts={})] == ["PRICE_DEVIATION"]
    contrib[context], contrib[price] = 3.0, 0.3
    assert {r.code for r in reasons(contrib, values, facts={})} == {"CONTEXT", "PRICE_DEVIATION"}
