"""Stored submissions: each verified submission's report and documents, owned by one bank.

Reports live in the service database (``submissions`` table, the RiskReport as JSON beside the
columns a bank filters on); documents are kept content-addressed under
``<work_dir>/documents/<bank>/<sha256[:2]>/<sha256>``, never under a client's file name. Every
read takes the caller's bank: another bank's submission is "not found", exactly like one that
does not exist, so ids reveal nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from tradeverify.db import open_database, transact
from tradeverify.domain import RiskReport
from tradeverify.errors import IdempotencyConflictError, NotFoundError
from tradeverify.features.spec import FEATURE_VERSION
from tradeverify.service.audit import AuditLog
from tradeverify.service.keys import Principal

metadata = MetaData()
submissions = Table(
    "submissions", metadata,
    Column("submission_id", String(80), primary_key=True),
    Column("bank_id", String(64), nullable=False, index=True),
    Column("client_reference", String(200)),
    Column("status", String(16), nullable=False),
    Column("band", String(16)),
    Column("score", Float),
    Column("created_at", String(40), nullable=False, index=True),
    Column("documents", Text, nullable=False),  # JSON list of {name, bytes, sha256}
    Column("report", Text, nullable=False),
    Column("trade_model", String(40)),
    Column("red_flags", Integer, nullable=False, server_default="0"),
    Column("review", String(24), nullable=False, server_default="open"),  # service.decisions
    Column("features", Text),  # JSON {"version", "values"}: the row the model scored
)
idempotency = Table(
    "idempotency", metadata,
    Column("bank_id", String(64), primary_key=True),
    Column("idempotency_key", String(200), primary_key=True),
    Column("request_sha256", String(64), nullable=False),
    # What the first request made (a submission id, or a job id on /v1/jobs); None while it runs.
    Column("submission_id", String(80)),
    Column("created_at", String(40), nullable=False),
)
_SUMMARY = ("submission_id", "client_reference", "status", "band", "score", "created_at")
# What the desk's queue filters on besides (also in a submission's summary; the listing keeps its columns).
DESK_COLUMNS = ("trade_model", "red_flags", "review")
BANDS = ("high", "medium", "low")


@dataclass(frozen=True)
class Page:
    """One page of a bank's submissions, newest first."""

    items: list[dict[str, Any]]
    next_offset: int | None


class SubmissionStore:
    """Reports in the service database and documents under the work dir."""

    def __init__(self, url: str, documents_dir: Path) -> None:
        self.engine: Engine = open_database(url)
        self.documents_dir = documents_dir

    def keep_document(self, bank_id: str, sha256: str, source: Path) -> Path:
        """Keep one uploaded document under its digest (once: the same bytes are stored once).

        Written to a temporary name of its own, then renamed: threads and processes keeping the
        same document at once each rename a whole copy (a name per process was shared by two
        threads, and the second rename found nothing: a 500 at 16 clients).
        """
        target = self.documents_dir / bank_id / sha256[:2] / sha256
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{sha256}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(source.read_bytes())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return target

    def save(self, bank_id: str, report: RiskReport, documents: list[dict[str, Any]],
             conn: Connection | None = None) -> bool:
        """Store a verified submission's report and its documents' list, once.

        Returns False when the submission id is already stored (a job run again after its
        worker died), leaving the first copy. Given ``conn``, writes in that transaction.
        """
        if conn is None:
            with self.engine.begin() as own:
                return self.save(bank_id, report, documents, own)
        sid = report.submission_id
        if conn.execute(select(submissions.c.submission_id)
                        .where(submissions.c.submission_id == sid)).first() is not None:
            return False
        conn.execute(insert(submissions).values(
            submission_id=sid, bank_id=bank_id, client_reference=report.client_reference,
            status=report.status, band=report.risk.band, score=report.risk.score,
            created_at=datetime.now(UTC).isoformat(), documents=json.dumps(documents),
            report=report.model_dump_json(), trade_model=report.trade_model,
            red_flags=len(report.red_flags), features=_features_json(report)))
        return True

    def document(self, bank_id: str, sha256: str) -> Path:
        """Return the path of a kept document of the bank (NotFoundError when it is not kept)."""
        path = self.documents_dir / bank_id / sha256[:2] / sha256
        if len(sha256) != 64 or not set(sha256) <= set("0123456789abcdef") or not path.is_file():
            raise NotFoundError(f"no document {sha256[:16]!r}")
        return path

    def claim(self, bank_id: str, key: str, request_sha256: str, stale_after: float = 900.0) -> str | None:
        """Claim an Idempotency-Key for a request; return the object id of an earlier, finished one.

        A claim whose request never finished (its process was killed) is taken over once it is
        ``stale_after`` seconds old, so a retry is not refused forever.

        Raises:
            IdempotencyConflictError: the key was used for a different request, or its first
                request is still running.

        """
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(idempotency).values(
                    bank_id=bank_id, idempotency_key=key, request_sha256=request_sha256,
                    submission_id=None, created_at=datetime.now(UTC).isoformat()))
            return None
        except IntegrityError:
            pass
        where = (idempotency.c.bank_id == bank_id, idempotency.c.idempotency_key == key)
        with self.engine.connect() as conn:
            row = conn.execute(select(idempotency).where(*where)).one()
        if row.request_sha256 != request_sha256:
            raise IdempotencyConflictError(f"Idempotency-Key {key!r} was used for a different request")
        if row.submission_id is not None:
            return str(row.submission_id)
        if datetime.fromisoformat(row.created_at) < datetime.now(UTC) - timedelta(seconds=stale_after):
            with self.engine.begin() as conn:  # compare-and-set: one retry takes it over
                taken = conn.execute(update(idempotency).where(
                    *where, idempotency.c.created_at == row.created_at, idempotency.c.submission_id.is_(None))
                    .values(created_at=datetime.now(UTC).isoformat()))
            if taken.rowcount == 1:
                return None
        raise IdempotencyConflictError(f"the request with Idempotency-Key {key!r} is still running")

    def settle(self, bank_id: str, key: str, object_id: str | None, conn: Connection | None = None) -> None:
        """Record what a claimed key produced, or free the key when the request failed."""
        where = (idempotency.c.bank_id == bank_id, idempotency.c.idempotency_key == key)
        change = (delete(idempotency).where(*where) if object_id is None
                  else update(idempotency).where(*where).values(submission_id=object_id))
        if conn is not None:
            conn.execute(change)
            return
        with self.engine.begin() as own:
            own.execute(change)

    def _row(self, bank_id: str, submission_id: str) -> Any:
        with self.engine.connect() as conn:
            row = conn.execute(select(submissions).where(
                submissions.c.submission_id == submission_id, submissions.c.bank_id == bank_id)).first()
        if row is None:
            raise NotFoundError(f"no submission {submission_id!r}")
        return row

    def summary(self, bank_id: str, submission_id: str) -> dict[str, Any]:
        """Return one of the bank's submissions with its review state (not its report).

        Raises NotFoundError for any other bank's, as for one that does not exist.
        """
        row = self._row(bank_id, submission_id)
        return {**{k: getattr(row, k) for k in (*_SUMMARY, *DESK_COLUMNS)},
                "documents": json.loads(row.documents)}

    def report(self, bank_id: str, submission_id: str) -> RiskReport:
        """Return the stored report of one of the bank's submissions."""
        return RiskReport.model_validate_json(self._row(bank_id, submission_id).report)

    def page(self, bank_id: str, *, status: str | None = None, band: str | None = None,
             since: str | None = None, limit: int = 50, offset: int = 0) -> Page:
        """Return the bank's submissions filtered by status, band and creation time, newest first."""
        c = submissions.c
        query = select(*(getattr(c, k) for k in _SUMMARY)).where(c.bank_id == bank_id)
        for column, value in ((c.status, status), (c.band, band)):
            if value is not None:
                query = query.where(column == value)
        if since is not None:
            query = query.where(c.created_at >= since)
        query = query.order_by(c.created_at.desc(), c.submission_id).limit(limit + 1).offset(offset)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        return Page(rows[:limit], offset + limit if len(rows) > limit else None)


def _features_json(report: RiskReport) -> str | None:
    if report.features is None:
        return None
    return json.dumps({"version": FEATURE_VERSION, "values": report.features})


def store_verified(store: SubmissionStore, audit: AuditLog, who: Principal, report: RiskReport,
                   inputs: list[dict[str, Any]], details: dict[str, Any],
                   then: Callable[[Connection], None] | None = None) -> None:
    """Store a report with its audit entry (and ``then``'s writes) in one transaction.

    Retried as a whole when a concurrent writer fails it (``tradeverify.db.transact``); a report
    already stored (a job run twice) is neither stored nor audited twice.
    """
    def work(conn: Connection) -> None:
        if store.save(who.bank_id, report, inputs, conn):
            audit.append(who, "verify", report.submission_id, details, conn=conn)
        if then is not None:
            then(conn)

    transact(store.engine, work)
