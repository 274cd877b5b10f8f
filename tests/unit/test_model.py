import json
from pathlib import Path

import numpy as np
import pytest

from tradeverify.model.calibration import Calibrator
from tradeverify_train.model.metrics import expected_calibration_error, recall_at_fpr


def test_calibrator_json_roundtrip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    raw = rng.uniform(size=500)
    labels = (rng.uniform(size=500) < raw**2).astype(int)
    cal = Calibrator.fit(raw, labels)
    cal.save(tmp_path / "c.json")
    assert json.loads((tmp_path / "c.json").read_text())["kind"] == "isotonic"
    again = Calibrator.load(tmp_path / "c.json")
    np.testing.assert_allclose(again(raw), cal(raw))
    out = cal(np.linspace(0, 1, 50))
    # Strictly increasing: isotonic plateaus are tie-broken by the raw score, so ranking survives.
    assert (np.diff(out) > 0).all() and out.min() >= 0 and out.max() <= 1
    assert np.abs(out - np.interp(np.linspace(0, 1, 50), cal.x, cal.y)).max() <= 1e-6


@pytest.mark.parametrize(("y", "p", "expected"), [
    ([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 1.0),
    ([0, 0, 1, 1], [0.9, 0.2, 0.8, 0.1], 0.0),
])
def test_recall_at_fpr(y: list[int], p: list[float], expected: float) -> None:
    assert recall_at_fpr(np.array(y), np.array(p)) == expected


def test_ece_perfect_and_bad() -> None:
    y = np.array([0, 1] * 50)
    assert expected_calibration_error(y, np.full(100, 0.5)) == pytest.approx(0.0)
    assert expected_calibration_error(y, np.full(100, 0.95)) == pytest.approx(0.45)
