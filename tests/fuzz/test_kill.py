"""Kill trials: SIGKILL a batch worker or the batch itself at random points, 20 times.

Marked ``hostile`` (``make test-hostile``, run by ``.ci/run``). Each trial starts
``tradeverify batch`` in a session of its own, kills a worker or the main process at a seeded
random moment, resumes when the main process was killed, and asserts: the output is byte for
byte the uninterrupted run's, no process of the trial's session outlives its main process, and
the registry holds exactly the submissions the output holds.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import SAMPLES

pytestmark = pytest.mark.hostile
NAMES = ("clean_digital", "clean_processing", "fraud_price_deviation", "fraud_vessel_not_at_port",
         "fraud_container_invalid", "fraud_route_risk", "fraud_watchlist_hit", "fraud_voyage_implausible")
TRIALS = 20
CLI = str(Path(sys.executable).parent / "tradeverify")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kill") / "in"
    for name in NAMES:
        shutil.copytree(SAMPLES / "submissions" / name, root / name)
    return root


def _env(work: Path) -> dict[str, str]:
    return {**os.environ, "TRADEVERIFY_WORK_DIR": str(work),
            "TRADEVERIFY_REGISTRY_PATH": str(work / "registry.sqlite")}


def _start(inbox: Path, work: Path, resume: bool = False) -> subprocess.Popen[bytes]:
    args = [CLI, "batch", str(inbox), "--out", str(work / "out.csv")] + (["--resume"] if resume else [])
    return subprocess.Popen(args, env=_env(work), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _registry(work: Path) -> set[str]:
    with sqlite3.connect(work / "registry.sqlite") as conn:
        return {r[0] for r in conn.execute("SELECT DISTINCT submission_id FROM document_registry")}


def _session(sid: int) -> list[int]:
    """Return the live processes of a session (zombies excluded)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                pids.append(int(entry.name))
    return pids


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


@pytest.fixture(scope="module")
def reference(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, set[str]]:
    work = tmp_path_factory.mktemp("reference")
    proc = _start(inbox, work)
    assert proc.wait(timeout=600) == 0, proc.stderr.read() if proc.stderr else ""
    return (work / "out.csv").read_bytes(), _registry(work)


@pytest.mark.parametrize("trial", range(TRIALS))
def test_kill_trial(trial: int, inbox: Path, reference: tuple[bytes, set[str]], tmp_path: Path) -> None:
    rng = random.Random(trial)
    kill_main = trial % 2 == 0
    proc = _start(inbox, tmp_path)
    time.sleep(rng.uniform(2.0, 14.0))
    if kill_main:
        os.kill(proc.pid, signal.SIGKILL)
    else:
        workers = _children(proc.pid)
        if workers:
            os.kill(rng.choice(workers), signal.SIGKILL)
    proc.wait(timeout=600)
    deadline = time.monotonic() + 5
    while _session(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _session(proc.pid), "processes outlived the batch"
    if kill_main and (proc.returncode != 0):
        again = _start(inbox, tmp_path, resume=True)
        assert again.wait(timeout=600) == 0, again.stderr.read() if again.stderr else ""
    else:
        assert proc.returncode == 0
    rows, registry = reference
    assert (tmp_path / "out.csv").read_bytes() == rows
    assert _registry(tmp_path) == registry
