"""Bad documents fail themselves, never the submission: status incomplete, errors say why."""

import shutil
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from tradeverify.pipeline import verify_submission

from ..conftest import SAMPLES

CLEAN = SAMPLES / "submissions" / "clean_digital"


def _encrypted(path: Path) -> None:
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 720, "BILL OF LADING")
    c.save()


BREAKERS = {
    "corrupt": ("bill_of_lading.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj <<>> garbage")),
    "empty": ("bill_of_lading.pdf", lambda p: p.write_bytes(b"")),
    "encrypted": ("bill_of_lading.pdf", _encrypted),
    "unsupported": ("bill_of_lading.docx", lambda p: p.write_bytes(b"PK\x03\x04 not a document")),
}
CODES = {"corrupt": "document_corrupt", "empty": "document_empty",
         "encrypted": "document_encrypted", "unsupported": "unsupported_file_type"}


@pytest.fixture()
def submission(tmp_path: Path) -> Path:
    dest = tmp_path / "sub"
    shutil.copytree(CLEAN, dest)
    (dest / "bill_of_lading.pdf").unlink()
    return dest


@pytest.mark.parametrize("kind", sorted(BREAKERS))
def test_bad_document_fails_alone(kind: str, submission: Path, engine) -> None:
    name, make = BREAKERS[kind]
    make(submission / name)
    report = verify_submission(submission, engine)
    assert report.status == "incomplete"
    assert report.risk.score is not None  # the other four documents were still used
    bad = next(d for d in report.documents if d.file.endswith(name))
    assert [e.code for e in bad.errors] == [CODES[kind]]
    assert any(e.code == CODES[kind] and name in (e.message + str(e.file)) for e in report.errors)
    assert any(e.code == "document_missing" and "bill of lading" in e.message for e in report.errors)
    assert len([d for d in report.documents if d.fields]) == 4


def test_missing_document(submission: Path, engine) -> None:
    report = verify_submission(submission, engine)
    assert report.status == "incomplete"
    assert [e.code for e in report.errors] == ["document_missing"]
    assert report.risk.score is not None
    check = next(c for c in report.checks if c.name == "vessel_at_port_of_loading")
    assert check.status == "unknown"  # no B/L: the vessel check cannot pass


def test_nothing_readable_is_failed(tmp_path: Path, engine) -> None:
    (tmp_path / "a.pdf").write_bytes(b"not a pdf at all")
    report = verify_submission(tmp_path, engine)
    assert report.status == "failed"
    assert report.risk.score is None and report.risk.band is None
