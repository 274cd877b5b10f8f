"""Officers' decisions as training rows: read from an export, refused when they cannot mean the
same, mixed in with their weight, and a weight that changes what the model learns."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tradeverify.errors import InputError
from tradeverify.features.spec import FEATURE_NAMES, FEATURE_VERSION
from tradeverify_train.model.dataset import Dataset
from tradeverify_train.model.feedback import mixed, read_feedback
from tradeverify_train.model.train import fit_model

FAST = {"num_threads": 1, "learning_rate": 0.2, "num_leaves": 4, "min_data_in_leaf": 5}


def _row(sid: str, label: int | None, value: float = 1.0, version: str = FEATURE_VERSION,
         features: bool = True) -> dict:
    values = {n: (None if i == 1 else value) for i, n in enumerate(FEATURE_NAMES)}
    return {"submission_id": sid, "label": label, "typology": "PRICE_DEVIATION" if label else "",
            "feature_version": version if features else None, "features": values if features else None,
            "outcome": {1: "confirm_fraud", 0: "clear", None: "escalate"}[label]}


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_labelled_rows_are_read_and_the_rest_counted(tmp_path: Path) -> None:
    fb = read_feedback(_write(tmp_path / "f.jsonl", [
        _row("A", 1, 2.0), _row("B", 0), _row("C", None), _row("D", 1, features=False)]))
    assert fb.data.ids == ["feedback:A", "feedback:B"]
    assert fb.data.y.tolist() == [1, 0] and fb.data.typology == ["PRICE_DEVIATION", ""]
    assert fb.data.x.shape == (2, len(FEATURE_NAMES))
    assert fb.data.x[0, 0] == 2.0 and np.isnan(fb.data.x[0, 1])  # unknown stays unknown
    assert (fb.skipped_unlabelled, fb.skipped_without_features) == (1, 1)


@pytest.mark.parametrize("content", ["not json\n", json.dumps({"label": 3, "features": {}}) + "\n",
                                     json.dumps(_row("A", 1, version="0")) + "\n"])
def test_a_row_that_cannot_mean_the_same_is_refused(tmp_path: Path, content: str) -> None:
    (tmp_path / "f.jsonl").write_text(content)
    with pytest.raises(InputError):
        read_feedback(tmp_path / "f.jsonl")


def test_feedback_weighs_what_it_is_given_and_changes_the_model() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, len(FEATURE_NAMES)))
    y = (rng.uniform(size=300) < 0.3).astype(np.int64)
    x[y == 1, 0] += 2.0
    world = Dataset([f"S{i}" for i in range(300)], x, y, ["PRICE_DEVIATION" if v else "" for v in y])
    # Officers cleared 30 deals that look like the world's frauds: the generator was wrong there.
    fx = rng.normal(size=(30, len(FEATURE_NAMES)))
    fx[:, 0] += 2.0
    cleared = Dataset([f"feedback:F{i}" for i in range(30)], fx, np.zeros(30, dtype=np.int64), [""] * 30)
    light, heavy = mixed(world, cleared, 1.0), mixed(world, cleared, 20.0)
    assert heavy.weight is not None and heavy.weight.tolist() == [1.0] * 300 + [20.0] * 30
    assert len(heavy.ids) == 330 and heavy.ids[-1] == "feedback:F29"
    probe = rng.normal(size=(50, len(FEATURE_NAMES)))
    probe[:, 0] += 2.0
    scores = {w: float(np.mean(fit_model(d, FAST, seed=0, folds=3, max_rounds=60).model.predict_proba(probe)))
              for w, d in ((1, light), (20, heavy))}
    assert scores[20] < scores[1] - 0.1  # the heavier the decisions, the more the model follows them
    with pytest.raises(InputError):
        mixed(world, cleared, 0.0)


def test_an_officers_correction_is_a_positive_example_of_its_field(tmp_path: Path) -> None:
    import shutil

    from tradeverify.config import Settings
    from tradeverify.domain import CANONICAL_FIELDS
    from tradeverify_train.nlp.field_train import correction_examples

    from ..conftest import SAMPLES

    sample = SAMPLES / "submissions" / "fraud_vessel_not_at_port" / "bill_of_lading.pdf"
    shutil.copy(sample, tmp_path / "bl.pdf")
    (tmp_path / "bl.json").write_text(json.dumps({
        "doc_type": "bill_of_lading", "fields": {"vessel_name": "UNITY STAR"},
        "unannotated": [f for f in CANONICAL_FIELDS["bill_of_lading"] if f != "vessel_name"]}))
    features, labels = correction_examples([tmp_path], Settings(), weight=3)
    assert labels and set(labels) == {"vessel_name"} and len(labels) % 3 == 0
    assert len(features) == len(labels) and all(features[0] == f for f in features[:3])
