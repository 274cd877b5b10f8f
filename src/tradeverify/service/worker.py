"""Running one asynchronous job in a worker: the same pipeline as ``POST /v1/verify``.

Each worker process loads the engine once. A job is claimed (a lease renewed while it runs),
its kept documents verified, and its report, ``done`` state and audit entry written in one
transaction under the submission id the job was given at creation; see ``service/jobs.py`` for
why a job run twice is stored once.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tradeverify.config import Settings
from tradeverify.domain import RiskReport
from tradeverify.errors import TradeVerifyError
from tradeverify.pipeline import Engine, verify_files
from tradeverify.service.audit import AuditLog, verification_details
from tradeverify.service.jobs import Job, JobStore
from tradeverify.service.keys import Principal
from tradeverify.service.store import SubmissionStore, store_verified
from tradeverify.service.webhooks import bank_secret, deliver

log = logging.getLogger(__name__)


@dataclass
class WorkerContext:
    """What a worker process opens once: the engine and the service's stores."""

    settings: Settings
    engine: Engine
    jobs: JobStore
    store: SubmissionStore
    audit: AuditLog


def open_context(settings: Settings, engine: Engine | None = None) -> WorkerContext:
    """Open the engine and the stores of the service database named by the settings."""
    url = settings.service_url()
    return WorkerContext(settings, engine or Engine.load(settings),
                         JobStore(url, settings.job_lease_seconds, settings.job_max_attempts),
                         SubmissionStore(url, settings.work_dir / "documents"), AuditLog(url))


_CONTEXTS: dict[tuple[int, int], WorkerContext] = {}


def _context(settings: Settings) -> WorkerContext:
    """Return this process's context (a forked worker opens its own)."""
    key = (id(settings), os.getpid())
    if key not in _CONTEXTS:
        _CONTEXTS[key] = open_context(settings)
    return _CONTEXTS[key]


def run_job(settings: Settings, job_id: str, ctx: WorkerContext | None = None) -> str:
    """Run one job if it is free to take; return what became of it (done, failed, skipped)."""
    ctx = ctx or _context(settings)
    job = ctx.jobs.claim(job_id)
    if job is None:
        log.info("job skipped", extra={"job_id": job_id})  # taken, cancelled or already ended
        return "skipped"
    started = time.perf_counter()
    log.info("job started", extra={"job_id": job_id, "attempt": job.attempts, "bank_id": job.bank_id})
    with _lease(ctx.jobs, job_id):
        try:
            report = _verify(ctx, job)
        except TradeVerifyError as exc:
            ctx.jobs.fail(job_id, exc.to_dict())
            log.warning("job failed", extra={"job_id": job_id, "code": exc.code})
            _notify(ctx, job, "failed")
            return "failed"
    _store_once(ctx, job, report)
    log.info("job done", extra={"job_id": job_id, "status": report.status, "band": report.risk.band,
                                "seconds": round(time.perf_counter() - started, 3)})
    _notify(ctx, job, "done")
    return "done"


@contextmanager
def _lease(jobs: JobStore, job_id: str) -> Iterator[None]:
    """Renew the job's lease in the background while the body runs."""
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(jobs.lease_seconds / 3):
            if not jobs.renew(job_id):
                return

    thread = threading.Thread(target=renew, name=f"lease-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _verify(ctx: WorkerContext, job: Job) -> RiskReport:
    """Verify the job's kept documents under the names they were uploaded with."""
    folder = Path(tempfile.mkdtemp(dir=_uploads(ctx.settings)))
    try:
        paths = []
        for info in job.documents:
            path = folder / info["name"]
            shutil.copyfile(ctx.store.document(job.bank_id, info["sha256"]), path)
            paths.append(path)
        report = verify_files(paths, job.meta, ctx.engine, record=job.record)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report.client_reference = job.meta.get("client_reference")
    return report


def _uploads(settings: Settings) -> Path:
    """Return this process's scratch folder (removed by the API's sweep once the process is gone)."""
    folder = settings.work_dir / "uploads" / str(os.getpid())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store_once(ctx: WorkerContext, job: Job, report: RiskReport) -> None:
    """Store report, audit entry and the job's done state together (once, however often it runs)."""
    who = Principal(job.key_id, job.bank_id, job.role)  # type: ignore[arg-type]
    details = {**verification_details(report, job.documents, job.record), "job_id": job.job_id}
    store_verified(ctx.store, ctx.audit, who, report, job.documents, details,
                   then=lambda conn: ctx.jobs.finish(conn, job.job_id))


def _notify(ctx: WorkerContext, job: Job, status: str) -> None:
    if not job.callback_url or not ctx.settings.webhook_secret:
        return
    secret = bank_secret(ctx.settings.webhook_secret, job.bank_id)
    outcome = deliver(job.callback_url, secret,
                      {"job_id": job.job_id, "status": status, "submission_id": job.submission_id},
                      allow_private=ctx.settings.webhook_allow_private)
    ctx.jobs.set_webhook(job.job_id, outcome)
    log.info("webhook of %s: %s", job.job_id, outcome)
