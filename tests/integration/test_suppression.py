"""Suppressed evidence (issue "Hostile documents and crashed batches", done-when 2).

Each fraud sample with any one of its documents made unreadable is not ``low``; each honest sample
with any one document missing is not ``high`` without a red flag. benchmarks/suppression.py prints
the whole table (removed and unreadable, every sample).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeverify.config import Settings
from tradeverify.pipeline import Engine, verify_submission

from ..conftest import SAMPLES
from ..variants import one_document_damaged

FRAUDS = sorted(p.name for p in (SAMPLES / "submissions").iterdir() if p.name.startswith("fraud_"))
HONEST = sorted(p.name for p in (SAMPLES / "submissions").iterdir() if p.name.startswith("clean_"))


@pytest.fixture(scope="module")
def quiet_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine.load(Settings(record_submissions=False, work_dir=tmp_path_factory.mktemp("supp")))


@pytest.mark.parametrize("name", FRAUDS)
def test_an_unreadable_document_never_makes_a_fraud_low(name: str, tmp_path: Path, quiet_engine) -> None:
    for doc, folder in one_document_damaged(SAMPLES / "submissions" / name, tmp_path, "unreadable"):
        report = verify_submission(folder, quiet_engine)
        assert report.status == "incomplete" and report.risk.band in ("medium", "high"), (doc, report.risk)
        assert report.reasons[0].code == "INCOMPLETE" and doc in report.reasons[0].message


@pytest.mark.parametrize("name", HONEST)
def test_a_missing_document_never_makes_an_honest_deal_high_without_a_flag(
        name: str, tmp_path: Path, quiet_engine) -> None:
    for doc, folder in one_document_damaged(SAMPLES / "submissions" / name, tmp_path, "removed"):
        report = verify_submission(folder, quiet_engine)
        assert report.risk.band == "medium" or (report.risk.band == "high" and report.red_flags), (
            doc, report.risk)
