"""Duplicate financing across submissions and banks, through the service's own registry."""

import json
import shutil
import sqlite3
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


def test_another_bank_cannot_hide_behind_a_banks_submission_id(tmp_path: Path, engine: Engine) -> None:
    """Bank B re-sends bank A's documents under A's own id: caught, and A's rows are kept."""
    verify_submission(_present(tmp_path, "A-1", "BANK001"), engine)
    impostor = verify_submission(_present(tmp_path, "A-1", "BANK002"), engine)
    assert "DUPLICATE_DOCUMENT" in {f.code for f in impostor.red_flags}
    with sqlite3.connect(engine.settings.submissions_registry()) as conn:
        banks = sorted({r[0] for r in conn.execute("SELECT bank_id FROM document_registry "
                                                   "WHERE submission_id = 'A-1'")})
    assert banks == ["BANK001", "BANK002"]


def test_an_older_registry_is_rekeyed_by_bank(tmp_path: Path) -> None:
    from tradeverify.reference.registry import _REGISTRY_COLUMNS, SubmissionRegistry

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute(f"CREATE TABLE document_registry ({_REGISTRY_COLUMNS.split(', UNIQUE')[0]}, "
                     "UNIQUE (submission_id, doc_type))")
        conn.execute("INSERT INTO document_registry (submission_id, bank_id, doc_type, number_fp) "
                     "VALUES ('A-1', 'BANK001', 'bill_of_lading', 'fp')")
    registry = SubmissionRegistry(path)
    assert registry.registry_by("number_fp", "fp")[0]["bank_id"] == "BANK001"
    with sqlite3.connect(path) as conn:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'document_registry'").fetchone()
    assert "UNIQUE (bank_id, submission_id, doc_type)" in sql
