"""The packaged model does not take an unknown value for evidence of fraud (issue 17, item 2).

A feature the model never saw unknown in training gets no learned direction for a missing
value, and LightGBM then reads it as 0: "counterparty incorporated 0 days before the contract"
for a counterparty the registry simply does not list. Each check's evidence is blanked in turn
on an honest sample deal; none may band it high.
"""

from __future__ import annotations

import numpy as np
import pytest

from tradeverify.features.builder import build_evidence, feature_vector
from tradeverify.features.spec import FEATURES
from tradeverify.pipeline import Engine, read_submission, verify_submission

from ..conftest import SAMPLES

BLANKABLE = [i for i, f in enumerate(FEATURES) if f.family not in ("CONTEXT", "INCOMPLETE", "ANOMALY")]


@pytest.fixture(scope="module")
def honest_row(engine: Engine) -> np.ndarray:
    folder = SAMPLES / "submissions" / "clean_digital"
    report = verify_submission(folder, engine)
    meta = {**read_submission(folder)[0], "submission_id": report.submission_id}
    ev = build_evidence(meta, report.documents, engine.store, engine.settings)
    return np.asarray([feature_vector(ev)], dtype=float)


def test_the_sample_is_scored_low(engine: Engine, honest_row: np.ndarray) -> None:
    assert engine.model.predict_proba(honest_row)[0] < 0.1


@pytest.mark.parametrize("column", BLANKABLE, ids=[FEATURES[i].name for i in BLANKABLE])
def test_one_unknown_feature_does_not_band_an_honest_deal_high(
    engine: Engine, honest_row: np.ndarray, column: int,
) -> None:
    row = honest_row.copy()
    row[0, column] = np.nan
    assert engine.model.predict_proba(row)[0] < engine.settings.band_high


def test_each_unknown_family_keeps_the_honest_deal_out_of_high(engine: Engine, honest_row: np.ndarray,
                                                               ) -> None:
    for family in sorted({FEATURES[i].family for i in BLANKABLE}):
        row = honest_row.copy()
        row[0, [i for i in BLANKABLE if FEATURES[i].family == family]] = np.nan
        assert engine.model.predict_proba(row)[0] < engine.settings.band_high, family
