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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from tradeverify.domain import RiskReport
from tradeverify.errors import IdempotencyConflictError, NotFoundError

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
)
idempotency = Table(
    "idempotency", metadata,
    Column("bank_id", String(64), primary_key=True),
    Column("idempotency_key", String(200), primary_key=True),
    Column("request_sha256", String(64), nullable=False),
    Column("submission_id", String(80)),  # None while the first request is still running
    Column("created_at", String(40), nullable=False),
)
_SUMMARY = ("submission_id", "client_reference", "status", "band", "score", "created_at")


@dataclass(frozen=True)
class Page:
    """One page of a bank's submissions, newest first."""

    items: list[dict[str, Any]]
    next_offset: int | None


class SubmissionStore:
    """Reports in the service database and documents under the work dir."""

    def __init__(self, url: str, documents_dir: Path) -> None:
        self.engine: Engine = create_engine(url)
        metadata.create_all(self.engine)
        self.documents_dir = documents_dir

    def keep_document(self, bank_id: str, sha256: str, source: Path) -> Path:
        """Keep one uploaded document under its digest (once: the same bytes are stored once)."""
        target = self.documents_dir / bank_id / sha256[:2] / sha256
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{sha256}.{os.getpid()}.tmp")
            tmp.write_bytes(source.read_bytes())
            os.replace(tmp, target)
        return target

    def save(self, bank_id: str, report: RiskReport, documents: list[dict[str, Any]]) -> None:
        """Store a verified submission's report and the list of its documents."""
        with self.engine.begin() as conn:
            conn.execute(insert(submissions).values(
                submission_id=report.submission_id, bank_id=bank_id,
                client_reference=report.client_reference, status=report.status,
                band=report.risk.band, score=report.risk.score,
                created_at=datetime.now(UTC).isoformat(), documents=json.dumps(documents),
                report=report.model_dump_json()))

    def claim(self, bank_id: str, key: str, request_sha256: str) -> str | None:
        """Claim an Idempotency-Key for a request; return the submission id of an earlier, finished one.

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
        with self.engine.connect() as conn:
            row = conn.execute(select(idempotency).where(
                idempotency.c.bank_id == bank_id, idempotency.c.idempotency_key == key)).one()
        if row.request_sha256 != request_sha256:
            raise IdempotencyConflictError(f"Idempotency-Key {key!r} was used for a different request")
        if row.submission_id is None:
            raise IdempotencyConflictError(f"the request with Idempotency-Key {key!r} is still running")
        return str(row.submission_id)

    def settle(self, bank_id: str, key: str, submission_id: str | None) -> None:
        """Record the submission a claimed key produced, or free the key when the request failed."""
        where = (idempotency.c.bank_id == bank_id, idempotency.c.idempotency_key == key)
        with self.engine.begin() as conn:
            if submission_id is None:
                conn.execute(delete(idempotency).where(*where))
            else:
                conn.execute(update(idempotency).where(*where).values(submission_id=submission_id))

    def _row(self, bank_id: str, submission_id: str) -> Any:
        with self.engine.connect() as conn:
            row = conn.execute(select(submissions).where(
                submissions.c.submission_id == submission_id, submissions.c.bank_id == bank_id)).first()
        if row is None:
            raise NotFoundError(f"no submission {submission_id!r}")
        return row

    def summary(self, bank_id: str, submission_id: str) -> dict[str, Any]:
        """Return one of the bank's submissions (not its report); NotFoundError for any other."""
        row = self._row(bank_id, submission_id)
        return {**{k: getattr(row, k) for k in _SUMMARY}, "documents": json.loads(row.documents)}

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
