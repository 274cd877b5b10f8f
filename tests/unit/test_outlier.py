"""Evidence outliers: the honest range per feature, its score, and the risk model's use of it."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tradeverify.features.spec import FEATURE_NAMES, FEATURES
from tradeverify.model.outlier import OutlierModel
from tradeverify.model.risk import OUTLIER_COLUMN, OUTLIER_SKIP, RiskModel
from tradeverify.report.reasons import reasons
from tradeverify_train.model.dataset import Dataset
from tradeverify_train.model.train import fit_model, outlier_inputs


def _honest(n: int = 400, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, size=(n, 4))
    x[:, 2] = 0.0  # a count no honest deal has above zero
    return x


def test_inside_the_honest_range_scores_zero_and_outside_names_the_feature() -> None:
    model = OutlierModel.fit(_honest())
    inside = np.array([[0.1, -0.5, 0.0, 1.0]])
    assert model.scores(inside)[0] == 0.0
    far = np.array([[0.1, 9.0, 0.0, 1.0]])
    told = model.explain(far[0])
    assert told.feature == 1 and told.score == pytest.approx(float(model.scores(far)[0]))
    assert told.low < -2 and told.high > 2 and told.score > 0.5
    # Any step off a value every honest deal shares is far outside.
    assert model.explain(np.array([0.0, 0.0, 1.0, 0.0])).feature == 2


def test_unknown_values_and_skipped_columns_are_no_evidence() -> None:
    model = OutlierModel.fit(_honest(), skip=frozenset({3}))
    assert model.scores(np.full((1, 4), np.nan))[0] == 0.0
    assert model.scores(np.array([[math.nan, math.nan, math.nan, 50.0]]))[0] == 0.0
    assert model.scores(np.array([[50.0, math.nan, math.nan, math.nan]]))[0] > 0.0


def test_the_ranges_load_as_written(tmp_path: Path) -> None:
    honest = _honest()
    honest[:, 0] = np.nan  # a feature never read: not looked at
    model = OutlierModel.fit(honest, skip=frozenset({3}))
    model.save(tmp_path / "outlier.json")
    loaded = OutlierModel.load(tmp_path / "outlier.json")
    rows = np.random.default_rng(1).normal(0, 3, size=(50, 4))
    assert np.array_equal(loaded.scores(rows), model.scores(rows))
    assert math.isnan(loaded.low[0]) and loaded.skip == frozenset({3})


def _world(seed: int, n: int = 900) -> Dataset:
    """Honest rows and two taught schemes, each bending one feature; other features are noise."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, size=(n, len(FEATURES)))
    x[:, sorted(OUTLIER_SKIP)] = np.nan
    typology = ["" if r < 0.7 else "A" if r < 0.85 else "B" for r in rng.random(n)]
    for i, t in enumerate(typology):
        if t == "A":
            x[i, 0] = rng.normal(6.0, 1.0)
        elif t == "B":
            x[i, 1] = rng.normal(-6.0, 1.0)
    y = np.asarray([int(bool(t)) for t in typology])
    return Dataset([f"D{i}" for i in range(n)], x, y, typology)


def test_training_fills_the_outlier_column_out_of_fold_for_honest_rows() -> None:
    data = _world(3)
    x, final = outlier_inputs(data, seed=0, folds=5)
    fraud = data.y == 1
    assert np.array_equal(x[fraud, OUTLIER_COLUMN], final.scores(data.x[fraud]))
    # Scored by ranges they did not help draw, honest rows look less ordinary than in-sample.
    honest = ~fraud
    assert x[honest, OUTLIER_COLUMN].mean() > final.scores(data.x[honest]).mean()
    assert np.isnan(data.x[:, OUTLIER_COLUMN]).all()  # the caller's rows are left as they were


def test_a_scheme_never_taught_still_scores_above_honest_deals() -> None:
    """A third scheme bends a feature no taught scheme touched: only the outlier input sees it."""
    model: RiskModel = fit_model(_world(4), seed=0, folds=3, outlier=True).model
    assert fit_model(_world(4), seed=0, folds=3).model.outlier is None  # the packaged recipe
    rng = np.random.default_rng(5)
    honest = rng.normal(0.0, 1.0, size=(200, len(FEATURES)))
    honest[:, sorted(OUTLIER_SKIP)] = np.nan
    unseen = honest.copy()
    unseen[:, 7] = rng.normal(8.0, 1.0, size=200)
    p_honest, p_unseen = model.predict_proba(honest), model.predict_proba(unseen)
    assert np.median(p_unseen) > np.median(p_honest) + 0.3
    contrib = model.contributions(unseen[:1])[0]
    values = list(model.prepare(unseen[:1])[0])
    facts = {"outlier": model.explain_outlier(unseen[0])}
    told = reasons(contrib, values, facts)
    # The outlier's push is told as the check of the feature outside the honest range.
    assert told[0].code == FEATURES[7].family and "ANOMALY" not in {r.code for r in told}
    assert FEATURES[7].meaning in told[0].message and "99 % of honest" in told[0].message


def test_what_could_not_be_read_never_raises_the_score() -> None:
    """Training frauds happen to have more low-confidence reads: the model may not learn that."""
    data = _world(6)
    share = FEATURE_NAMES.index("low_confidence_share")
    rng = np.random.default_rng(7)
    data.x[:, share] = np.where(data.y == 1, rng.uniform(0.1, 0.5, len(data.y)), 0.0)
    model = fit_model(data, seed=0, folds=3, outlier=True).model
    rows = np.repeat(data.x[data.y == 0][:50], 2, axis=0)
    rows[1::2, share] = 0.5
    p = model.predict_proba(rows)
    assert (p[1::2] <= p[0::2] + 1e-9).all()
