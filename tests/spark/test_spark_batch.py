"""``tradeverify batch --engine spark`` on a real Spark session (local[2]): same rows as local, resumable."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from tradeverify.batch import batch_to_file, submission_folders
from tradeverify.cli import main
from tradeverify.config import Settings
from tradeverify.spark_batch import spark_runner

from ..conftest import SAMPLES

pytestmark = pytest.mark.spark
MASTER = "local[2]"


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return {r["submission_id"]: r for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # A throw-away registry: the batch records what it financed, as a bank's run does.
    return Settings(work_dir=tmp_path_factory.mktemp("work"))


def test_spark_rows_equal_the_local_engine(tmp_path: Path, settings: Settings) -> None:
    folders = submission_folders(SAMPLES / "submissions")
    local = batch_to_file(folders, settings.model_copy(update={"record_submissions": False}),
                          tmp_path / "local.csv")
    spark = batch_to_file(folders, settings.model_copy(update={"record_submissions": False}),
                          tmp_path / "spark.jsonl", runner=spark_runner(MASTER),
                          reports_dir=tmp_path / "reports")
    assert len(spark) == len(folders) == 12
    assert sorted(spark, key=lambda r: r["submission_id"]) == sorted(local, key=lambda r: r["submission_id"])
    lines = (tmp_path / "spark.jsonl").read_text().splitlines()
    assert len(lines) == 12
    assert {json.loads(x)["submission_id"] for x in lines} == {r["submission_id"] for r in local}
    report = json.loads((tmp_path / "reports" / f"{local[1]['submission_id']}.json").read_text())
    assert report["risk"]["band"] == local[1]["band"]


def test_a_corrupt_submission_fails_alone_and_resume_skips_what_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "in"
    for name in ("clean_digital", "fraud_watchlist_hit", "fraud_route_risk"):
        shutil.copytree(SAMPLES / "submissions" / name, root / name)
    (root / "broken").mkdir()
    (root / "broken" / "submission.json").write_text("{not json")
    out = tmp_path / "rows.csv"
    argv = ["batch", str(root), "--out", str(out), "--engine", "spark", "--master", MASTER]
    # First run on two submissions only (as if stopped), then resume on all four.
    partial = tmp_path / "first"
    for name in ("clean_digital", "fraud_watchlist_hit"):
        shutil.copytree(root / name, partial / name)
    with pytest.raises(SystemExit) as first:
        main(["batch", str(partial), "--out", str(out), "--engine", "spark", "--master", MASTER])
    assert first.value.code == 0 and len(_rows(out)) == 2
    with pytest.raises(SystemExit) as second:
        main([*argv, "--resume"])
    assert second.value.code == 0
    rows = _rows(out)
    assert len(rows) == 4 and len(out.read_text().splitlines()) == 5  # header + 4: nothing twice
    broken = next(r for r in rows.values() if r["status"] == "failed")
    assert broken["errors"] == "1" and broken["score"] == ""
    assert {r["status"] for r in rows.values()} == {"scored", "failed"}
    capsys.readouterr()


def test_unknown_engine_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(SAMPLES / "submissions"), "--out", str(tmp_path / "r.csv"), "--engine", "dask"])
    assert exc.value.code == 2
    assert "local or spark" in capsys.readouterr().err
