"""20 SIGKILL trials of asynchronous jobs: 10 of a worker mid-job, 10 of the API mid-request.

Every trial must end with its job done exactly once: one job for the request, one stored
report, one "verify" audit entry, and the registry holding that submission's rows once. A
client whose POST was cut off retries with the same Idempotency-Key, as a client should.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tradeverify.config import Settings
from tradeverify.service.jobs import jobs
from tradeverify.service.keys import KeyStore

from ..integration.test_worker_process import (
    CLEAN,
    SCANNED,
    api,
    job_body,
    kill,
    stored,
    wait_for,
    worker,
    worker_env,
)
from ..servers import free_port

pytestmark = pytest.mark.hostile
LEASE = 2.0
TRIALS = 10


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    work = tmp_path_factory.mktemp("job-kills")
    return Settings(work_dir=work, registry_path=work / "registry.sqlite", job_lease_seconds=LEASE,
                    idempotency_pending_seconds=3.0)


def _registry_rows(settings: Settings, submission_id: str) -> tuple[int, int]:
    """Return the submission's registry rows and its distinct document types among them."""
    with sqlite3.connect(settings.submissions_registry()) as conn:
        rows, kinds = conn.execute("SELECT count(*), count(DISTINCT doc_type) FROM document_registry "
                                   "WHERE submission_id = ?", (submission_id,)).fetchone()
    return int(rows), int(kinds)


def _jobs_of(settings: Settings, submission_id: str) -> int:
    with KeyStore(settings.service_url()).engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(jobs)
                                .where(jobs.c.submission_id == submission_id)).scalar_one())


def _exactly_once(settings: Settings, job: dict) -> None:
    assert job["status"] == "done", job
    sid = job["submission_id"]
    assert stored(settings, sid) == (1, 1)
    assert _jobs_of(settings, sid) == 1
    rows, kinds = _registry_rows(settings, sid)
    assert rows == kinds >= 1  # registered, each document once


@pytest.mark.parametrize("trial", range(TRIALS))
def test_a_worker_killed_mid_job(trial: int, settings: Settings, engine) -> None:
    rng = random.Random(trial)
    with api(settings, engine) as (client, auth):
        with worker(settings, processes=1 + trial % 2) as first:
            job = client.post("/v1/jobs", files=job_body(SCANNED), params={"record": "true"},
                              headers=auth).json()
            wait_for(client, auth, job["job_id"], {"running"})
            time.sleep(rng.uniform(0.0, 1.5))  # somewhere inside OCR, matching or scoring
            kill(first)
        time.sleep(LEASE + 0.2)
        with worker(settings):
            done = wait_for(client, auth, job["job_id"], {"done", "failed"})
    _exactly_once(settings, done)
    print(f"worker trial {trial}: attempts {done['attempts']}")


@contextmanager
def _server(settings: Settings, port: int) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen([sys.executable, "-m", "tradeverify", "serve", "--port", str(port)],
                            env=worker_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not _healthy(port):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError(f"the API on port {port} did not start (exit {proc.poll()})")
            time.sleep(0.1)
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _post(port: int, auth: dict, key: str, out: list) -> None:
    try:
        resp = httpx.post(f"http://127.0.0.1:{port}/v1/jobs?record=true", files=job_body(CLEAN),
                          headers={**auth, "Idempotency-Key": key}, timeout=30)
        out.append(resp)
    except httpx.HTTPError as exc:
        out.append(exc)


def _retry_until_accepted(port: int, auth: dict, key: str) -> dict:
    deadline, answer = time.monotonic() + 60, None
    while time.monotonic() < deadline:
        out: list = []
        _post(port, auth, key, out)
        answer = out[0]
        if isinstance(answer, httpx.Response) and answer.status_code == 202:
            return dict(answer.json())
        time.sleep(0.5)  # 409 while the killed request's key is pending; then it is taken over
    last = answer.text if isinstance(answer, httpx.Response) else repr(answer)
    raise AssertionError(f"key {key} never accepted; last answer: {last}")


@pytest.mark.parametrize("trial", range(TRIALS))
def test_the_api_killed_mid_request(trial: int, settings: Settings, engine) -> None:
    rng = random.Random(100 + trial)
    auth = {"Authorization": f"Bearer {KeyStore(settings.service_url()).create('BANK002')[1]}"}
    port, key = free_port(), f"trial-{trial}"
    with worker(settings):
        with _server(settings, port) as server:
            out: list = []
            sender = threading.Thread(target=_post, args=(port, auth, key, out))
            sender.start()
            time.sleep(rng.uniform(0.0, 0.4))  # during the upload, the transaction or the answer
            os.killpg(server.pid, signal.SIGKILL)
            sender.join()
        with _server(settings, port):
            assert not (settings.work_dir / "uploads" / str(server.pid)).exists()  # swept at start
            job = _retry_until_accepted(port, auth, key)
            with TestClient(_app(settings, engine)) as client:
                done = wait_for(client, auth, job["job_id"], {"done", "failed"})
    _exactly_once(settings, done)
    first = out[0]
    print(f"API trial {trial}: first answer {getattr(first, 'status_code', type(first).__name__)}")


def _app(settings: Settings, engine):  # noqa: ANN202
    from tradeverify.service.app import create_app

    return create_app(settings, engine, KeyStore(settings.service_url()))

