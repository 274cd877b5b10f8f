"""Golden submissions: data_samples/submissions/<name> against data_samples/expected/<name>.json."""

import json

import pytest

from tradeverify.extract.document import extract_document
from tradeverify.pipeline import verify_submission
from tradeverify_train.extraction.accuracy import same_value

from ..conftest import SAMPLES, sample_names

NAMES = sample_names()


def test_samples_cover_the_issue() -> None:
    assert {"clean_digital", "clean_scanned"} <= set(NAMES)
    assert len([n for n in NAMES if n.startswith("fraud_")]) >= 2


@pytest.mark.parametrize("name", NAMES)
def test_band_and_red_flag(name: str, engine) -> None:
    expected = json.loads((SAMPLES / "expected" / f"{name}.json").read_text())
    report = verify_submission(SAMPLES / "submissions" / name, engine)
    assert report.status == "scored", report.errors
    assert report.risk.band == expected["band"]
    if expected["band"] == "low":
        assert report.risk.score < 0.3
        assert report.red_flags == []
    else:
        assert report.risk.score > 0.7
        codes = {f.code for f in report.red_flags} | {r.code for r in report.reasons}
        assert set(expected["expected_codes"]) <= codes
    assert {f.code for f in report.red_flags} == set(expected["red_flags"])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("doc", ["commercial_invoice", "bill_of_lading"])
def test_key_fields(name: str, doc: str) -> None:
    expected = json.loads((SAMPLES / "expected" / f"{name}.json").read_text())["fields"][doc]
    result = extract_document(SAMPLES / "submissions" / name / expected.pop("file"))
    assert result.doc_type == doc
    got = {k: result.value(k) for k in expected}
    assert all(same_value(got[k], v) for k, v in expected.items()), (got, expected)
    for key in (k for k, v in expected.items() if v != []):
        field = result.fields[key]
        assert 0 < field.confidence <= 1 and field.page == 1 and field.bbox is not None
