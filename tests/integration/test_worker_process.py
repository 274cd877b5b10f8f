"""`tradeverify worker` as a real process: jobs from the SQLite queue and from Redis, and a worker
killed with SIGKILL mid-job whose job another worker finishes, stored exactly once.

The 20 kill trials of the issue (worker and API) are in tests/fuzz/test_job_kill_trials.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tradeverify.config import Settings
from tradeverify.service.app import create_app
from tradeverify.service.audit import AuditLog
from tradeverify.service.keys import KeyStore
from tradeverify.service.store import submissions

from ..conftest import SAMPLES
from ..servers import redis_server

CLEAN = SAMPLES / "submissions" / "clean_digital"
SCANNED = SAMPLES / "submissions" / "clean_scanned"
LEASE = 2.0


def worker_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a worker process use these settings."""
    env = {**os.environ, "TRADEVERIFY_WORK_DIR": str(settings.work_dir),
           "TRADEVERIFY_REGISTRY_PATH": str(settings.submissions_registry()),
           "TRADEVERIFY_JOB_LEASE_SECONDS": str(settings.job_lease_seconds),
           "TRADEVERIFY_JOB_REDELIVER_SECONDS": str(settings.job_redeliver_seconds),
           "TRADEVERIFY_IDEMPOTENCY_PENDING_SECONDS": str(settings.idempotency_pending_seconds)}
    if settings.queue_url:
        env["TRADEVERIFY_QUEUE_URL"] = settings.queue_url
    return env


@contextmanager
def worker(settings: Settings, processes: int = 1) -> Iterator[subprocess.Popen]:
    """Run `tradeverify worker` in its own process group; kill the group when done."""
    proc = subprocess.Popen([sys.executable, "-m", "tradeverify", "worker", "--processes", str(processes)],
                            env=worker_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        yield proc
    finally:
        kill(proc)


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL the worker and every process it started."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    if proc.stderr:
        proc.stderr.close()


def job_body(folder: Path) -> list:
    body = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(folder.glob("*.pdf"))]
    meta = {k: v for k, v in json.loads((folder / "submission.json").read_text()).items() if k != "bank_id"}
    return body + [("submission", ("submission.json", json.dumps(meta).encode(), "application/json"))]


def wait_for(client: TestClient, auth: dict, job_id: str, statuses: set[str], timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=auth).json()
        if job["status"] in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not {statuses} within {timeout} s: {job}")


def stored(settings: Settings, submission_id: str) -> tuple[int, int]:
    """Return how many times a submission is stored and audited as verified."""
    engine = KeyStore(settings.service_url()).engine
    with engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(submissions)
                            .where(submissions.c.submission_id == submission_id)).scalar_one()
    audited = [e for e in AuditLog(settings.service_url()).entries()
               if e["action"] == "verify" and e["object_id"] == submission_id]
    return int(rows), len(audited)


@contextmanager
def api(settings: Settings, engine) -> Iterator[tuple[TestClient, dict]]:
    keys = KeyStore(settings.service_url())
    auth = {"Authorization": f"Bearer {keys.create('BANK002', 'submitter')[1]}"}
    with TestClient(create_app(settings, engine, keys)) as client:
        yield client, auth


def _settings(tmp_path: Path, **kw) -> Settings:
    return Settings(work_dir=tmp_path, registry_path=tmp_path / "registry.sqlite",
                    job_lease_seconds=LEASE, **kw)


def test_a_worker_process_runs_a_job_from_the_sqlite_queue(tmp_path: Path, engine) -> None:
    settings = _settings(tmp_path)
    with api(settings, engine) as (client, auth), worker(settings):
        job = client.post("/v1/jobs", files=job_body(CLEAN), headers=auth).json()
        done = wait_for(client, auth, job["job_id"], {"done", "failed"})
        assert done["status"] == "done"
        assert client.get(done["report_url"], headers=auth).json()["risk"]["band"] == "low"


def test_a_worker_process_runs_a_job_from_redis(tmp_path: Path, engine) -> None:
    with redis_server() as url:
        settings = _settings(tmp_path, queue_url=url)
        with api(settings, engine) as (client, auth), worker(settings):
            job = client.post("/v1/jobs", files=job_body(CLEAN), headers=auth).json()
            assert wait_for(client, auth, job["job_id"], {"done", "failed"})["status"] == "done"


def test_a_job_whose_worker_is_killed_mid_job_completes_once(tmp_path: Path, engine) -> None:
    settings = _settings(tmp_path)
    with api(settings, engine) as (client, auth):
        with worker(settings) as first:
            job = client.post("/v1/jobs", files=job_body(SCANNED), params={"record": "true"},
                              headers=auth).json()
            wait_for(client, auth, job["job_id"], {"running"})
            kill(first)
        time.sleep(LEASE + 0.2)  # the dead worker's lease runs out
        with worker(settings):
            done = wait_for(client, auth, job["job_id"], {"done", "failed"})
    assert done["status"] == "done" and done["attempts"] == 2
    assert stored(settings, job["submission_id"]) == (1, 1)
