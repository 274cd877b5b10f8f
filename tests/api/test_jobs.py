"""Asynchronous jobs: 202 at once, a worker verifies, the result is stored once whatever happens.

The worker here is ``service.worker.run_job`` called in the test's process on the same database
(the worker processes themselves are tested in tests/integration/test_worker_process.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import pickle
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from tradeverify.config import Settings
from tradeverify.service.app import create_app
from tradeverify.service.audit import AuditLog
from tradeverify.service.jobs import jobs
from tradeverify.service.keys import KeyStore
from tradeverify.service.queue import JsonSerializer, make_huey
from tradeverify.service.store import submissions
from tradeverify.service.webhooks import bank_secret
from tradeverify.service.worker import open_context, run_job

from .test_submissions import CLEAN, FRAUD

SECRET = "test-webhook-secret"


@pytest.fixture()
def service(tmp_path: Path, engine):  # noqa: ANN201 - (client, headers, settings, worker context)
    settings = Settings(work_dir=tmp_path, registry_path=tmp_path / "registry.sqlite",
                        webhook_secret=SECRET, webhook_allow_private=True, job_lease_seconds=30)
    keys = KeyStore.at(tmp_path / "service.sqlite")
    heads = {name: {"Authorization": f"Bearer {keys.create(bank, role)[1]}"} for name, bank, role in (
        ("a", "BANK002", "submitter"), ("a_reader", "BANK002", "reader"), ("b", "BANKB", "admin"))}
    with TestClient(create_app(settings, engine, keys)) as client:
        yield client, heads, settings, open_context(settings, engine)


def _body(folder: Path) -> list:
    body = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(folder.glob("*.pdf"))]
    meta = json.dumps({k: v for k, v in json.loads((folder / "submission.json").read_text()).items()
                       if k != "bank_id"}).encode()
    return body + [("submission", ("submission.json", meta, "application/json"))]


def _submit(client: TestClient, headers: dict, folder: Path = CLEAN, **kw) -> dict:
    resp = client.post("/v1/jobs", files=_body(folder), headers=headers, **kw)
    assert resp.status_code == 202, resp.text
    return resp.json()


def _count(ctx, table, **where) -> int:
    query = select(func.count()).select_from(table)
    for k, v in where.items():
        query = query.where(table.c[k] == v)
    with ctx.store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_a_job_is_accepted_then_verified_by_a_worker(service) -> None:
    client, heads, settings, ctx = service
    job = _submit(client, heads["a"])
    assert job["status"] == "queued" and job["report_url"] is None
    assert client.get(f"/v1/jobs/{job['job_id']}/report", headers=heads["a"]).status_code == 409
    assert make_huey(settings).pending_count() == 1  # on the queue, for a worker to take
    assert run_job(settings, job["job_id"], ctx) == "done"
    done = client.get(f"/v1/jobs/{job['job_id']}", headers=heads["a_reader"]).json()
    assert done["status"] == "done" and done["attempts"] == 1
    report = client.get(done["report_url"], headers=heads["a_reader"]).json()
    assert report["submission_id"] == job["submission_id"] and report["risk"]["band"] == "low"
    assert client.get(f"/v1/jobs/{job['job_id']}/report", headers=heads["a"]).json() == report
    actions = [(e["action"], e["object_id"]) for e in AuditLog(settings.service_url()).entries()]
    assert actions[:2] == [("submit_job", job["job_id"]), ("verify", job["submission_id"])]


def test_another_banks_job_is_not_found(service) -> None:
    client, heads, settings, ctx = service
    job = _submit(client, heads["a"])
    for method, path in (("get", ""), ("get", "/report"), ("delete", "")):
        resp = getattr(client, method)(f"/v1/jobs/{job['job_id']}{path}", headers=heads["b"])
        assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"
    assert client.delete(f"/v1/jobs/{job['job_id']}", headers=heads["a_reader"]).status_code == 403
    assert client.post("/v1/jobs", files=_body(CLEAN), headers=heads["a_reader"]).status_code == 403
    assert client.get(f"/v1/jobs/{job['job_id']}").status_code == 401


def test_a_cancelled_job_is_never_run_and_a_done_one_cannot_be_cancelled(service) -> None:
    client, heads, settings, ctx = service
    first, second = _submit(client, heads["a"]), _submit(client, heads["a"], FRAUD)
    resp = client.delete(f"/v1/jobs/{first['job_id']}", headers=heads["a"])
    assert resp.status_code == 200 and resp.json()["status"] == "cancelled"
    assert run_job(settings, first["job_id"], ctx) == "skipped"
    assert run_job(settings, second["job_id"], ctx) == "done"
    resp = client.delete(f"/v1/jobs/{second['job_id']}", headers=heads["a"])
    assert resp.status_code == 409 and resp.json()["error"]["code"] == "job_state_conflict"
    assert _count(ctx, submissions, bank_id="BANK002") == 1


def test_a_job_whose_worker_died_runs_again_and_is_stored_once(service) -> None:
    client, heads, settings, ctx = service
    job = _submit(client, heads["a"], params={"record": "true"})
    assert run_job(settings, job["job_id"], ctx) == "done"
    # As if the worker had died after storing: the job is still "running" with a lapsed lease.
    with ctx.store.engine.begin() as conn:
        conn.execute(update(jobs).where(jobs.c.job_id == job["job_id"])
                     .values(status="running", lease_until=time.time() - 1))
    assert ctx.jobs.stalled(queued_for=600) == [job["job_id"]]
    assert run_job(settings, job["job_id"], ctx) == "done"
    assert _count(ctx, submissions, submission_id=job["submission_id"]) == 1
    verified = [e for e in AuditLog(settings.service_url()).entries() if e["action"] == "verify"]
    assert len(verified) == 1
    with sqlite3.connect(ctx.engine.registry.where) as conn:  # the engine's own registry file
        rows = conn.execute("SELECT count(*) FROM document_registry WHERE submission_id = ?",
                            (job["submission_id"],)).fetchone()[0]
    assert rows == 3  # B/L, invoice, sale leg: replaced on the second run, not added
    report = client.get(f"/v1/jobs/{job['job_id']}/report", headers=heads["a"]).json()
    assert report["risk"]["band"] == "low"  # its own first run is not a duplicate of it
    assert client.get(f"/v1/jobs/{job['job_id']}", headers=heads["a"]).json()["attempts"] == 2


def test_a_job_that_keeps_killing_its_worker_fails_after_its_attempts(service) -> None:
    client, heads, settings, ctx = service
    job = _submit(client, heads["a"])
    with ctx.store.engine.begin() as conn:
        conn.execute(update(jobs).where(jobs.c.job_id == job["job_id"]).values(
            status="running", lease_until=time.time() - 1, attempts=settings.job_max_attempts))
    assert run_job(settings, job["job_id"], ctx) == "skipped"
    shown = client.get(f"/v1/jobs/{job['job_id']}", headers=heads["a"]).json()
    assert shown["status"] == "failed" and shown["error"]["code"] == "worker_crashed"


def test_a_running_job_is_not_taken_twice(service) -> None:
    client, heads, settings, ctx = service
    job = _submit(client, heads["a"])
    assert ctx.jobs.claim(job["job_id"]) is not None
    assert ctx.jobs.claim(job["job_id"]) is None  # leased: a second delivery does nothing
    assert ctx.jobs.stalled(queued_for=600) == []


def test_idempotency_key_gives_the_same_job(service) -> None:
    client, heads, settings, ctx = service
    key = {"Idempotency-Key": "job-retry-1", **heads["a"]}
    first, again = _submit(client, key), _submit(client, key)
    assert again["job_id"] == first["job_id"]
    assert _count(ctx, jobs) == 1
    other = client.post("/v1/jobs", files=_body(FRAUD), headers=key)
    assert other.status_code == 409



def test_a_retry_sends_a_queued_job_again_whose_message_was_lost(service) -> None:
    client, heads, settings, ctx = service
    key = {"Idempotency-Key": "job-retry-lost", **heads["a"]}
    huey = make_huey(settings)
    first = _submit(client, key)
    huey.storage.flush_queue()  # the API died after writing the job, before its message was kept
    assert huey.pending_count() == 0
    assert _submit(client, key)["job_id"] == first["job_id"]
    assert huey.pending_count() == 1  # the retry put it on the queue again
    assert run_job(settings, first["job_id"], ctx) == "done"
    assert _submit(client, key)["status"] == "done"
    assert huey.pending_count() == 1  # a finished job is not sent again

class _Receiver(BaseHTTPRequestHandler):
    calls: list[tuple[dict, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).calls.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_a_finished_job_calls_its_signed_webhook(service) -> None:
    client, heads, settings, ctx = service
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/hook"
        job = _submit(client, heads["a"], data={"callback_url": url})
        assert run_job(settings, job["job_id"], ctx) == "done"
    finally:
        server.shutdown()
    (headers, body), = _Receiver.calls
    secret = bank_secret(SECRET, "BANK002")  # the bank's own, not the service's
    assert secret != SECRET and secret != bank_secret(SECRET, "BANKB")
    expected = hmac.new(secret.encode(), headers["X-Tradeverify-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-Tradeverify-Signature"] == f"sha256={expected}"
    assert json.loads(body) == {"job_id": job["job_id"], "status": "done",
                                "submission_id": job["submission_id"]}
    shown = client.get(f"/v1/jobs/{job['job_id']}", headers=heads["a"]).json()
    assert shown["webhook"] == "delivered 204"


def test_a_callback_url_must_be_an_absolute_web_url(service) -> None:
    client, heads, settings, ctx = service
    for bad in ("file:///etc/passwd", "gopher://x", "/relative"):
        resp = client.post("/v1/jobs", files=_body(CLEAN), data={"callback_url": bad}, headers=heads["a"])
        assert resp.status_code == 400, bad


def test_queue_messages_are_json_and_a_pickled_one_is_refused(tmp_path: Path) -> None:
    huey = make_huey(Settings(work_dir=tmp_path))
    task = huey.task(name="probe")(lambda job_id: job_id)
    task("job-1")
    raw = huey.storage.dequeue()
    assert json.loads(raw)["message"]["args"] == ["job-1"]
    assert huey.deserialize_task(raw).args == ("job-1",)
    with pytest.raises(ValueError):
        JsonSerializer().deserialize(pickle.dumps({"value": 1}))


def test_openapi_documents_the_job_routes(service) -> None:
    client, heads, settings, ctx = service
    paths = client.get("/openapi.json").json()["paths"]
    assert {"202", "400", "401", "403", "409", "413", "429"} <= set(paths["/v1/jobs"]["post"]["responses"])
    assert {"200", "404", "409"} <= set(paths["/v1/jobs/{job_id}"]["delete"]["responses"])
    assert paths["/v1/jobs/{job_id}/report"]["get"]["security"]
