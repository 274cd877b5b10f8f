"""The audit trail: who (key, bank, role) did what to which object, when, on which inputs.

Append-only and hash-chained: each entry's hash covers its own canonical JSON and the previous
entry's hash, so changing, removing or reordering any entry breaks every hash after it, and
:meth:`AuditLog.verify` names the first entry that no longer fits. Entries carry digests of the
inputs (documents, submission.json) and the model version, never the documents themselves.
The chain proves nothing about entries cut off its end: ``tradeverify audit verify`` prints the
head hash, for an operator to keep somewhere the service cannot write.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert, select
from sqlalchemy.engine import Connection, Engine

from tradeverify.db import open_database, transact
from tradeverify.service.keys import Principal

GENESIS = "0" * 64
metadata = MetaData()
audit_log = Table(
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("key_id", String(16), nullable=False),
    Column("bank_id", String(64), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("object_id", String(80), nullable=False),
    Column("details", Text, nullable=False),  # canonical JSON: model version, input digests, outcome
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
_FIELDS = ("seq", "at", "key_id", "bank_id", "role", "action", "object_id", "details", "prev_hash")


def _hash(entry: dict[str, Any]) -> str:
    canonical = json.dumps({k: entry[k] for k in _FIELDS}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def digest(data: bytes) -> str:
    """Return the SHA-256 of an input, as the audit trail records it."""
    return hashlib.sha256(data).hexdigest()


def verification_details(report: Any, inputs: list[dict[str, Any]], record: bool) -> dict[str, Any]:
    """Return what the trail keeps of one verification: model, input digests and outcome."""
    return {"model": f"{report.risk.model.name}@{report.risk.model.version}", "inputs": inputs,
            "record": record, "status": report.status, "band": report.risk.band,
            "score": report.risk.score, "client_reference": report.client_reference}


@dataclass(frozen=True)
class ChainCheck:
    """The result of verifying the chain."""

    entries: int
    broken_at: int | None  # the first seq whose hash or link does not fit; None when intact

    @property
    def intact(self) -> bool:
        """Return whether every entry fits."""
        return self.broken_at is None


class AuditLog:
    """The audit_log table of the service database."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = open_database(url)
        self._lock = threading.Lock()  # one writer at a time keeps seq and the chain in order

    def append(self, who: Principal, action: str, object_id: str, details: dict[str, Any],
               conn: Connection | None = None) -> str:
        """Append one entry and return its hash.

        Given ``conn``, the entry is written in that connection's transaction, so it lands
        together with what it records or not at all. Another process (the API and its workers
        share the trail) taking the same ``seq`` first makes the insert fail; it is retried.
        """
        if conn is not None:
            return self._append(conn, who, action, object_id, details)
        with self._lock:
            return transact(self.engine, lambda own: self._append(own, who, action, object_id, details))

    def _append(self, conn: Connection, who: Principal, action: str, object_id: str,
                details: dict[str, Any]) -> str:
        last = conn.execute(select(audit_log.c.seq, audit_log.c.hash)
                            .order_by(audit_log.c.seq.desc()).limit(1)).first()
        entry: dict[str, Any] = {
            "seq": 1 if last is None else last.seq + 1, "at": datetime.now(UTC).isoformat(),
            "key_id": who.key_id, "bank_id": who.bank_id, "role": who.role, "action": action,
            "object_id": object_id, "details": json.dumps(details, sort_keys=True),
            "prev_hash": GENESIS if last is None else last.hash,
        }
        entry["hash"] = _hash(entry)
        conn.execute(insert(audit_log).values(**entry))
        return str(entry["hash"])

    def entries(self, bank_id: str | None = None) -> list[dict[str, Any]]:
        """Return the entries (of one bank) in order."""
        query = select(audit_log).order_by(audit_log.c.seq)
        if bank_id:
            query = query.where(audit_log.c.bank_id == bank_id)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def verify(self) -> ChainCheck:
        """Recompute the chain from the first entry; report the first that does not fit."""
        prev, count = GENESIS, 0
        for count, entry in enumerate(self.entries(), 1):
            if entry["seq"] != count or entry["prev_hash"] != prev or _hash(entry) != entry["hash"]:
                return ChainCheck(count, entry["seq"])
            prev = entry["hash"]
        return ChainCheck(count, None)
