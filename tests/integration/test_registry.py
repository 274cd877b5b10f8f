"""Duplicate financing across submissions and banks, through the service's own registry."""

import json
import shutil
from pathlib import Path

import pytest

from tradeverify.config import Settings
from tradeverify.pipeline import Engine, verify_submission

from ..conftest import SAMPLES


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    return Engine.load(Settings(work_dir=tmp_path))


def _present(tmp_path: Path, sid: str, bank: str) -> Path:
    dest = tmp_path / sid
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(SAMPLES / "submissions" / "clean_digital", dest)
    meta = json.loads((dest / "submission.json").read_text())
    (dest / "submission.json").write_text(json.dumps({**meta, "submission_id": sid, "bank_id": bank}))
    return dest


def test_same_bill_presented_again_is_caught(tmp_path: Path, engine: Engine) -> None:
    first = verify_submission(_present(tmp_path, "A-1", "BANK001"), engine)
    assert first.red_flags == [] and first.risk.band == "low"
    again = verify_submission(_present(tmp_path, "A-1", "BANK001"), engine)  # a re-run, not a reuse
    assert again.red_flags == []

    other_bank = verify_submission(_present(tmp_path, "B-7", "BANK002"), engine)
    flag = next(f for f in other_bank.red_flags if f.code == "DUPLICATE_DOCUMENT")
    assert flag.evidence == {"this_bank_submissions": [], "other_banks": 1}  # A-1 is not revealed
    assert other_bank.risk.band == "high"

    same_bank = verify_submission(_present(tmp_path, "A-2", "BANK001"), engine)
    flag = next(f for f in same_bank.red_flags if f.code == "DUPLICATE_DOCUMENT")
    assert flag.evidence == {"this_bank_submissions": ["A-1"], "other_banks": 1}


def test_registry_stores_fingerprints_only(tmp_path: Path, engine: Engine) -> None:
    verify_submission(_present(tmp_path, "A-1", "BANK001"), engine)
    expected = json.loads((SAMPLES / "expected" / "clean_digital.json").read_text())["fields"]
    raw = engine.settings.submissions_registry().read_bytes()
    for value in (expected["bill_of_lading"]["bl_number"], expected["commercial_invoice"]["invoice_number"]):
        assert value.encode() not in raw


def test_recording_can_be_switched_off(tmp_path: Path) -> None:
    engine = Engine.load(Settings(work_dir=tmp_path, record_submissions=False))
    verify_submission(_present(tmp_path, "A-1", "BANK001"), engine)
    report = verify_submission(_present(tmp_path, "B-1", "BANK002"), engine)
    assert report.red_flags == [] and not (tmp_path / "registry.sqlite").exists()
