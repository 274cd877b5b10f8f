"""Batches that survive their own crashes (issue "Hostile documents and crashed batches", item 3).

A worker killed mid-batch is replaced and its submission verified again; one that dies on every
try fails alone with ``worker_crashed``; a torn last row is cut and redone on resume; resuming a
finished output exits 0; the registry and the output hold the same submissions.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tradeverify import pipeline
from tradeverify.batch import batch_to_file, submission_folders
from tradeverify.cli import main
from tradeverify.config import Settings

from ..conftest import SAMPLES

NAMES = ("clean_digital", "fraud_price_deviation", "fraud_vessel_not_at_port", "clean_processing")


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    for name in NAMES:
        shutil.copytree(SAMPLES / "submissions" / name, root / name)
    return root


def settings(tmp_path: Path) -> Settings:
    return Settings(work_dir=tmp_path / "work", registry_path=tmp_path / "work" / "registry.sqlite")


def registry_ids(s: Settings) -> set[str]:
    with sqlite3.connect(s.submissions_registry()) as conn:
        return {r[0] for r in conn.execute("SELECT DISTINCT submission_id FROM document_registry")}


@pytest.fixture(scope="module")
def reference_rows(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The uninterrupted run's CSV."""
    tmp = tmp_path_factory.mktemp("ref")
    root = tmp / "in"
    for name in NAMES:
        shutil.copytree(SAMPLES / "submissions" / name, root / name)
    batch_to_file(submission_folders(root), settings(tmp), tmp / "out.csv")
    return (tmp / "out.csv").read_text()


def test_killed_worker_is_replaced_and_its_submission_redone(inbox: Path, tmp_path: Path,
                                                             reference_rows: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings(tmp_path)
    killed: list[int] = []
    marker = tmp_path / "verifying.pid"
    real = pipeline.verify_submission

    def slow_first_time(folder: Path, engine: pipeline.Engine):  # noqa: ANN202 - in the forked worker
        if folder.name == "fraud_price_deviation" and not marker.exists():
            part = marker.with_suffix(".part")  # renamed whole: the killer never reads half a pid
            part.write_text(str(os.getpid()))
            part.rename(marker)  # the first try says which worker runs it, and waits to be killed
            time.sleep(60)
        return real(folder, engine)

    monkeypatch.setattr(pipeline, "verify_submission", slow_first_time)  # forked workers inherit it

    def kill_the_worker_verifying() -> None:
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            if marker.exists():
                pid = int(marker.read_text())
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            time.sleep(0.05)

    killer = threading.Thread(target=kill_the_worker_verifying)
    killer.start()
    batch_to_file(submission_folders(inbox), s, tmp_path / "out.csv")
    killer.join()
    assert killed
    assert (tmp_path / "out.csv").read_text() == reference_rows
    assert registry_ids(s) == {line.split(",")[0] for line in reference_rows.splitlines()[1:]}


def test_submission_that_always_kills_its_worker_fails_alone(inbox: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    real = pipeline.verify_submission

    def deadly(folder: Path, engine: pipeline.Engine):  # noqa: ANN202 - runs in the forked worker
        if folder.name == "clean_processing":
            os._exit(7)
        return real(folder, engine)

    monkeypatch.setattr(pipeline, "verify_submission", deadly)  # forked workers inherit it
    rows = batch_to_file(submission_folders(inbox), settings(tmp_path), tmp_path / "out.csv")
    by_status = {r["submission_id"]: r["status"] for r in rows}
    assert len(rows) == len(NAMES)
    assert sorted(by_status.values()) == ["failed", "scored", "scored", "scored"]
    failed = next(r for r in rows if r["status"] == "failed")
    assert failed["submission_id"] == "clean_processing" and failed["errors"] == 1


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_torn_last_row_is_redone_on_resume(inbox: Path, tmp_path: Path, suffix: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"out{suffix}"
    batch_to_file(submission_folders(inbox), settings(tmp_path), out)
    whole = out.read_bytes()
    lines = whole.splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:-2]) + lines[-2][:9])  # killed inside the next-to-last row's id
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(inbox), "--out", str(out), "--resume"])
    assert exit_.value.code == 0
    assert out.read_bytes() == whole


def test_resume_of_a_finished_output_says_so(inbox: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.csv"
    batch_to_file(submission_folders(inbox), settings(tmp_path), out)
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(inbox), "--out", str(out), "--resume"])
    assert exit_.value.code == 0
    assert f"nothing to do: all {len(NAMES)} submissions are already in {out}" in capsys.readouterr().out


def test_a_worker_that_died_idle_is_replaced_without_counting_against_the_next_submission(
        inbox: Path, tmp_path: Path) -> None:
    from collections import deque

    from tradeverify.batch import _Pool, _step

    folders = submission_folders(inbox)[:1]
    pool = _Pool((settings(tmp_path).model_copy(update={"document_threads": 1}), None, None), deque([0]))
    try:
        dead = pool.start()
        dead.proc.kill()
        dead.proc.join()
        done: dict[int, object] = {}
        while 0 not in done:
            _step(pool, folders, done)
        assert dead not in pool.workers and pool.attempts == {}
        report, _rows = done[0]  # type: ignore[misc]
        assert report["status"] == "scored"
    finally:
        pool.stop()
