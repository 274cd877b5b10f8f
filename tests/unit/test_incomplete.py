"""Missing evidence is never reassurance: the incomplete band, its reason, training damage."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from tradeverify.domain import Check, ErrorInfo
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.model.risk import RiskModel
from tradeverify.report.incomplete import incomplete_reason, merge_reasons, unknown_mask
from tradeverify_train.model.dataset import damage

from ..conftest import SAMPLES, make_document


@pytest.fixture(scope="module")
def model() -> RiskModel:
    return RiskModel.load(SAMPLES.parent / "models" / "risk")


def test_nothing_dropped_leaves_the_score(model: RiskModel) -> None:
    x = np.full((1, len(FEATURE_NAMES)), np.nan)
    contrib = model.contributions(x)[0]
    kept = model.proba_without(x, contrib, np.zeros(len(FEATURE_NAMES), dtype=bool))
    assert kept == pytest.approx(float(model.predict_proba(x)[0]), abs=1e-9)


def test_dropping_upward_pushes_never_raises_the_score(model: RiskModel) -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        x = rng.normal(size=(1, len(FEATURE_NAMES)))
        x[0, rng.random(len(FEATURE_NAMES)) < 0.4] = np.nan
        contrib = model.contributions(x)[0]
        assert model.proba_without(x, contrib, unknown_mask(list(x[0]))) <= model.predict_proba(x)[0] + 1e-9


def test_unknown_mask_marks_unknowns_and_the_incomplete_family() -> None:
    values = [0.0] * len(FEATURE_NAMES)
    values[0] = math.nan
    mask = unknown_mask(values)
    assert mask[0] and mask[FEATURE_NAMES.index("documents_missing")]
    assert not mask[1] and mask.sum() == 3  # imo, documents_missing, low_confidence_share


def test_reason_names_what_is_missing_and_what_did_not_run() -> None:
    errors = [ErrorInfo(code="document_corrupt", message="bl.pdf: damaged PDF (EOF)", file="bl.pdf")]
    checks = [Check(name="vessel_at_port_of_loading", status="unknown"), Check(name="price", status="pass")]
    reason = incomplete_reason(errors, checks, 0.12)
    assert reason.code == "INCOMPLETE"
    assert "bl.pdf: damaged PDF (EOF)" in reason.message
    assert "Checks that could not run: vessel_at_port_of_loading." in reason.message
    assert "supports a score of 0.12" in reason.message
    merged = merge_reasons(reason, [reason.model_copy(update={"message": "model's"})])
    assert merged == [reason]


def test_training_damage_is_seeded_and_of_every_kind() -> None:
    docs = [make_document("commercial_invoice", invoice_number="I-1", total_amount=10.0, currency="USD"),
            make_document("bill_of_lading", bl_number="B-1", vessel_name="X", imo_number="9070204")]
    seen = set()
    for seed in range(30):
        a, b = damage(docs, random.Random(seed)), damage(docs, random.Random(seed))
        assert [d.model_dump() for d in a] == [d.model_dump() for d in b]
        if len(a) == 1:
            seen.add("removed")
        elif any(d.errors and not d.fields for d in a):
            seen.add("unreadable")
        else:
            assert sorted(len(d.fields) for d in a) in ([2, 4], [2, 3])  # one kept two fields
            seen.add("thin")
    assert seen == {"removed", "unreadable", "thin"}
    assert [d.model_dump() for d in docs][0]["fields"]["invoice_number"]["value"] == "I-1"  # untouched
