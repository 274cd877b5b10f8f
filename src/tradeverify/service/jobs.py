"""Asynchronous verification jobs: their state lives in the service database, owned by one bank.

The database, not the queue, is the record of a job. The queue (``service/queue.py``) only
delivers job ids to workers, and a message can be lost (a worker killed mid-job has already taken
it off the queue) or delivered twice. So:

- a worker *claims* a job with one conditional UPDATE: only a ``queued`` job, or a ``running``
  one whose lease ran out, can be claimed, so two deliveries never run it at once;
- the claim is a lease the worker renews while it runs; a killed worker's lease runs out and the
  job is taken again (:meth:`JobStore.stalled` lists what to send again), at most
  ``max_attempts`` times;
- finishing writes the stored submission, the job's ``done`` state and the audit entry in one
  transaction under a submission id fixed when the job was created, so a job run twice is
  stored once.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from tradeverify.db import open_database
from tradeverify.errors import JobStateError, NotFoundError
from tradeverify.service.keys import Principal

JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
metadata = MetaData()
jobs = Table(
    "jobs", metadata,
    Column("job_id", String(40), primary_key=True),
    Column("bank_id", String(64), nullable=False, index=True),
    Column("key_id", String(16), nullable=False),
    Column("role", String(16), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("submission_id", String(80), nullable=False, unique=True),
    Column("meta", Text, nullable=False),  # submission.json as the server completed it
    Column("documents", Text, nullable=False),  # JSON list of {name, bytes, sha256}
    Column("record", Boolean, nullable=False),
    Column("callback_url", Text),
    Column("attempts", Integer, nullable=False),
    Column("lease_until", Float),  # epoch seconds; None unless running
    Column("error", Text),  # JSON {code, message, file} of a failed job
    Column("webhook", String(200)),  # outcome of the completion webhook
    Column("created_at", String(40), nullable=False, index=True),
    Column("updated_at", String(40), nullable=False),
)
PUBLIC = ("job_id", "status", "submission_id", "attempts", "created_at", "updated_at", "webhook")


@dataclass(frozen=True)
class Job:
    """A claimed job: what a worker needs to run it."""

    job_id: str
    bank_id: str
    key_id: str
    role: str
    submission_id: str
    meta: dict[str, Any]
    documents: list[dict[str, Any]]
    record: bool
    callback_url: str | None
    attempts: int


def _now() -> str:
    return datetime.now(UTC).isoformat()


class JobStore:
    """The jobs table."""

    def __init__(self, url: str, lease_seconds: float = 60.0, max_attempts: int = 3) -> None:
        self.engine: Engine = open_database(url)
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts

    def create(self, conn: Connection, who: Principal, meta: dict[str, Any], documents: list[dict[str, Any]],
               record: bool, callback_url: str | None = None) -> str:
        """Create a queued job for ``who`` in the caller's transaction; return its id."""
        job_id, now = f"job-{uuid.uuid4().hex}", _now()
        conn.execute(insert(jobs).values(
            job_id=job_id, bank_id=who.bank_id, key_id=who.key_id, role=who.role,
            status="queued", submission_id=meta["submission_id"], meta=json.dumps(meta),
            documents=json.dumps(documents), record=record, callback_url=callback_url,
            attempts=0, lease_until=None, error=None, webhook=None, created_at=now,
            updated_at=now))
        return job_id

    def get(self, bank_id: str, job_id: str) -> dict[str, Any]:
        """Return one of the bank's jobs as the API shows it; NotFoundError for any other."""
        with self.engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.job_id == job_id,
                                                  jobs.c.bank_id == bank_id)).first()
        if row is None:
            raise NotFoundError(f"no job {job_id!r}")
        shown = {k: getattr(row, k) for k in PUBLIC}
        shown["error"] = json.loads(row.error) if row.error else None
        return shown

    def of_submission(self, bank_id: str, submission_id: str) -> dict[str, Any] | None:
        """Return the job of one of the bank's submissions, as :meth:`get` shows it, or None."""
        with self.engine.connect() as conn:
            job_id = conn.execute(select(jobs.c.job_id).where(
                jobs.c.submission_id == submission_id, jobs.c.bank_id == bank_id)).scalar()
        return None if job_id is None else self.get(bank_id, job_id)

    def claim(self, job_id: str) -> Job | None:
        """Take a job to run (a lease of ``lease_seconds``); None when it is not free to take.

        A job past its attempts is marked failed instead of being run once more.
        """
        now = time.time()
        free = or_(jobs.c.status == "queued",
                   (jobs.c.status == "running") & (jobs.c.lease_until < now))
        with self.engine.begin() as conn:
            taken = conn.execute(update(jobs).where(jobs.c.job_id == job_id, free).values(
                status="running", attempts=jobs.c.attempts + 1, lease_until=now + self.lease_seconds,
                updated_at=_now()))
            if taken.rowcount != 1:
                return None
            row = conn.execute(select(jobs).where(jobs.c.job_id == job_id)).one()
        if row.attempts > self.max_attempts:
            self.fail(job_id, {"code": "worker_crashed", "file": None, "message":
                               f"the job's worker stopped {row.attempts - 1} times before finishing"})
            return None
        return Job(row.job_id, row.bank_id, row.key_id, row.role, row.submission_id,
                   json.loads(row.meta), json.loads(row.documents), bool(row.record),
                   row.callback_url, row.attempts)

    def renew(self, job_id: str) -> bool:
        """Extend a running job's lease; False when the job is no longer running."""
        with self.engine.begin() as conn:
            done = conn.execute(update(jobs).where(jobs.c.job_id == job_id, jobs.c.status == "running")
                                .values(lease_until=time.time() + self.lease_seconds))
        return done.rowcount == 1

    def finish(self, conn: Connection, job_id: str) -> None:
        """Mark a job done inside the caller's transaction (with its stored submission)."""
        conn.execute(update(jobs).where(jobs.c.job_id == job_id).values(
            status="done", lease_until=None, updated_at=_now()))

    def fail(self, job_id: str, error: dict[str, Any]) -> None:
        """Mark a job failed with the error a client sees."""
        with self.engine.begin() as conn:
            conn.execute(update(jobs).where(jobs.c.job_id == job_id).values(
                status="failed", lease_until=None, error=json.dumps(error), updated_at=_now()))

    def cancel(self, bank_id: str, job_id: str) -> None:
        """Cancel one of the bank's queued jobs; JobStateError once it runs or ended."""
        self.get(bank_id, job_id)  # NotFoundError for another bank's job
        with self.engine.begin() as conn:
            done = conn.execute(update(jobs).where(
                jobs.c.job_id == job_id, jobs.c.bank_id == bank_id, jobs.c.status == "queued")
                .values(status="cancelled", updated_at=_now()))
        if done.rowcount != 1:
            raise JobStateError(f"job {job_id!r} is {self.get(bank_id, job_id)['status']}; "
                                "only a queued job can be cancelled")

    def set_webhook(self, job_id: str, outcome: str) -> None:
        """Record how the completion webhook went."""
        with self.engine.begin() as conn:
            conn.execute(update(jobs).where(jobs.c.job_id == job_id).values(webhook=outcome[:200]))

    def stalled(self, queued_for: float) -> list[str]:
        """Return jobs to deliver again: running past their lease, or queued longer than ``queued_for`` s.

        A queued job can have lost its message (the API stopped between writing the job and
        enqueueing it); sending it again is harmless, since only one claim succeeds.
        """
        now = time.time()
        cutoff = datetime.fromtimestamp(now - queued_for, UTC).isoformat()
        query = select(jobs.c.job_id).where(or_(
            (jobs.c.status == "running") & (jobs.c.lease_until < now),
            (jobs.c.status == "queued") & (jobs.c.updated_at < cutoff)))
        with self.engine.begin() as conn:
            ids = [r.job_id for r in conn.execute(query)]
            if ids:  # sent again now: not again before another ``queued_for``
                conn.execute(update(jobs).where(jobs.c.job_id.in_(ids), jobs.c.status == "queued")
                             .values(updated_at=_now()))
        return ids
