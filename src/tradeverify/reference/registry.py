"""Duplicate-financing registries: fingerprint lookups (shared) and the service's own record.

Two sources answer the same queries: the ``document_registry`` reference table (fingerprints the
banks' consortium shares, loaded like any feed) and :class:`SubmissionRegistry`, a SQLite file
where every verified submission records its own fingerprints, so the next submission that
presents the same B/L or invoice, here or at another bank of the same service, is caught. Both
are read through SQLAlchemy, so the record can live in a SQLite file or in the service database.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import (
    Column,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from tradeverify.db import open_database, sqlite_file
from tradeverify.errors import DatabaseError, ReferenceDataError
from tradeverify.reference.fingerprints import (
    bill_fingerprint,
    contract_fingerprint,
    invoice_fingerprint,
    leg_fingerprints,
)
from tradeverify.reference.schemas import TABLES

Row = dict[str, object]
FP_COLUMNS = ("number_fp", "voyage_fp", "cargo_fp")
_REGISTRY_COLUMNS = (", ".join(f"{c.name} {c.sql_type}" for c in TABLES["document_registry"])
                     + ", UNIQUE (bank_id, submission_id, doc_type)")


class Lookup(Protocol):
    """What the duplicate matcher asks of a registry."""

    def registry_by(self, column: str, fingerprint: str) -> list[Row]: ...  # noqa: D102

    def registry_by_containers(self, fingerprints: tuple[str, ...]) -> list[Row]: ...  # noqa: D102

    def registry_legs(self, goods_fp: str) -> list[Row]: ...  # noqa: D102


registry_metadata = MetaData()
registry_table = Table(
    "document_registry", registry_metadata,
    Column("submission_id", Text, nullable=False),
    Column("bank_id", Text, nullable=False),
    Column("submitted_at", Text, nullable=False),
    Column("doc_type", Text, nullable=False),
    Column("number_fp", Text, nullable=False, index=True),
    *(Column(name, Text) for name in ("voyage_fp", "cargo_fp", "container_fps", "seller_fp", "buyer_fp")),
    Column("goods_fp", Text, index=True),
    UniqueConstraint("bank_id", "submission_id", "doc_type", name="uq_registry_submission"),
)


class RegistryQueries:
    """Fingerprint queries over a ``document_registry`` table on ``self.engine``."""

    engine: Engine

    def registry_by(self, column: str, fingerprint: str) -> list[Row]:
        """Return registry rows whose ``number_fp``, ``voyage_fp`` or ``cargo_fp`` equals a value."""
        if column not in FP_COLUMNS:
            raise ValueError(f"not a fingerprint column: {column}")
        return self._registry(registry_table.c[column] == fingerprint)

    def registry_by_containers(self, fingerprints: tuple[str, ...]) -> list[Row]:
        """Return earlier B/L rows that share at least one container fingerprint."""
        if not fingerprints:
            return []
        t = registry_table.c
        padded = literal("|") + t.container_fps + literal("|")
        return self._registry((t.doc_type == "bill_of_lading")
                              & or_(*(padded.like(f"%|{c}|%") for c in fingerprints)))

    def registry_legs(self, goods_fp: str) -> list[Row]:
        """Return earlier trade legs (seller_fp, buyer_fp) in the same goods."""
        t = registry_table.c
        return self._registry((t.goods_fp == goods_fp) & t.seller_fp.is_not(None) & t.buyer_fp.is_not(None))

    def _registry(self, where: Any) -> list[Row]:
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(select(registry_table).where(where))]


class CombinedLookup:
    """Several registries answering as one (the shared table and the service's record)."""

    def __init__(self, sources: Sequence[Lookup]) -> None:
        self.sources = list(sources)

    def registry_by(self, column: str, fingerprint: str) -> list[Row]:
        """Return the rows of every source."""
        return [r for s in self.sources for r in s.registry_by(column, fingerprint)]

    def registry_by_containers(self, fingerprints: tuple[str, ...]) -> list[Row]:
        """Return the rows of every source."""
        return [r for s in self.sources for r in s.registry_by_containers(fingerprints)]

    def registry_legs(self, goods_fp: str) -> list[Row]:
        """Return the trade legs of every source."""
        return [r for s in self.sources for r in s.registry_legs(goods_fp)]


class SubmissionRegistry(RegistryQueries):
    """The service's own, writable record of presented documents.

    ``where`` is a SQLite file (the default, ``<work_dir>/registry.sqlite``, created and brought
    up to date here) or a database URL (``TRADEVERIFY_REGISTRY_URL``, e.g. the service database
    on PostgreSQL, so workers on several machines share one registry; its table is a migration).
    """

    def __init__(self, where: Path | str) -> None:
        try:
            if isinstance(where, Path):
                self.engine = sqlite_file(where)
                with self.engine.begin() as conn:
                    _prepare_file(conn)
            else:
                self.engine = open_database(where)
        except (OSError, SQLAlchemyError, DatabaseError) as exc:
            raise ReferenceDataError(f"cannot open the submissions registry {where}: {exc}") from exc
        self.where = where
        self._lock = threading.Lock()  # API threads share this engine; writes go one at a time

    def record(self, meta: dict[str, Any], docs: Any, key: str) -> int:
        """Record a submission's B/L, invoice and sale-leg fingerprints; return the rows written.

        ``docs`` is the submission's :class:`~tradeverify.match.evidence.SubmissionDocs`.
        Re-verifying the same submission replaces its rows instead of adding duplicates.
        """
        return self.insert(registry_rows(meta, docs, key))

    def insert(self, rows: list[list[Any]]) -> int:
        """Write rows made by :func:`registry_rows`, replacing the submission's earlier ones."""
        names = [c.name for c in TABLES["document_registry"]]
        values = [dict(zip(names, row, strict=True)) for row in rows]
        t = registry_table.c
        with self._lock, self.engine.begin() as conn:
            for v in values:
                same = (t.bank_id == v["bank_id"], t.submission_id == v["submission_id"],
                        t.doc_type == v["doc_type"])
                conn.execute(delete(registry_table).where(*same))
            if values:
                conn.execute(insert(registry_table), values)
        return len(values)

    def withdraw(self, bank_id: str, submission_id: str) -> int:
        """Remove one bank's records of a submission (never another bank's); return the rows removed."""
        t = registry_table.c
        with self._lock, self.engine.begin() as conn:
            done = conn.execute(delete(registry_table).where(t.bank_id == bank_id,
                                                             t.submission_id == submission_id))
        return int(done.rowcount)


def _prepare_file(conn: Connection) -> None:
    """Create a registry file's table, or bring one written by an older release up to date."""
    conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS document_registry ({_REGISTRY_COLUMNS})")
    have = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(document_registry)")}
    for col in TABLES["document_registry"]:
        if col.name not in have:
            conn.exec_driver_sql(f"ALTER TABLE document_registry ADD COLUMN {col.name} {col.sql_type}")
    _key_by_bank(conn)
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_number ON document_registry (number_fp)")


def _key_by_bank(conn: Connection) -> None:
    """Rebuild a registry keyed by (submission_id, doc_type) alone, as older releases wrote it.

    Submission ids are each bank's own: keyed without the bank, one bank re-sending another's
    id replaced the other bank's fingerprints.
    """
    (sql,) = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'document_registry'").one()
    if "UNIQUE (bank_id, submission_id, doc_type)" in sql:
        return
    cols = ", ".join(c.name for c in TABLES["document_registry"])
    conn.exec_driver_sql("ALTER TABLE document_registry RENAME TO document_registry_old")
    conn.exec_driver_sql(f"CREATE TABLE document_registry ({_REGISTRY_COLUMNS})")
    conn.exec_driver_sql(f"INSERT OR REPLACE INTO document_registry ({cols}) "
                         f"SELECT {cols} FROM document_registry_old")
    conn.exec_driver_sql("DROP TABLE document_registry_old")


class DeferredRegistry(RegistryQueries):
    """Reads a registry, but keeps what it is asked to record for the caller to write later.

    A batch worker verifies with it; the batch's main process writes the rows together with the
    submission's output row, so the registry never holds a submission the output lacks.
    """

    def __init__(self, registry: SubmissionRegistry) -> None:
        self.engine = registry.engine
        self.pending: list[list[Any]] = []

    def record(self, meta: dict[str, Any], docs: Any, key: str) -> int:
        """Keep the rows instead of writing them."""
        self.pending = registry_rows(meta, docs, key)
        return len(self.pending)

    def take(self) -> list[list[Any]]:
        """Return the rows kept since the last call, and forget them."""
        rows, self.pending = self.pending, []
        return rows


def registry_rows(meta: dict[str, Any], docs: Any, key: str) -> list[list[Any]]:
    """Return one submission's registry rows, in the table's column order."""
    base = {"submission_id": str(meta.get("submission_id", "")),
            "bank_id": str(meta.get("bank_id") or ""),
            "submitted_at": str(meta.get("submitted_at") or date.today().isoformat())}
    rows = [r for r in (_bill_row(docs, key), _invoice_row(docs, key), _sale_row(docs, key)) if r]
    cols = [c.name for c in TABLES["document_registry"]]
    return [[{**base, **r}.get(c) for c in cols] for r in rows]


def _bill_row(docs: Any, key: str) -> Row | None:
    number = docs.get("bill_of_lading", "bl_number")
    if not number:
        return None
    fp = bill_fingerprint(key, number, docs.get("bill_of_lading", "imo_number"),
                          docs.get("bill_of_lading", "shipped_on_board_date"),
                          docs.get("bill_of_lading", "gross_weight_kg"),
                          docs.get("bill_of_lading", "container_numbers") or [])
    return {"doc_type": "bill_of_lading", "number_fp": fp.number, "voyage_fp": fp.voyage,
            "cargo_fp": fp.cargo, "container_fps": "|".join(fp.containers)}


def _invoice_row(docs: Any, key: str) -> Row | None:
    number = docs.get("commercial_invoice", "invoice_number")
    if not number:
        return None
    issuer = docs.get("commercial_invoice", "seller_name") or ""
    leg = leg_fingerprints(key, issuer, docs.get("commercial_invoice", "buyer_name"),
                           docs.get("commercial_invoice", "hs_code"))
    return {"doc_type": "commercial_invoice", "number_fp": invoice_fingerprint(key, issuer, number),
            "voyage_fp": None, "cargo_fp": None, "container_fps": None, **leg}


def _sale_row(docs: Any, key: str) -> Row | None:
    """Return the onward sale (applicant -> buyer) as a trade leg, for the circular-trade check."""
    number, seller = docs.get("sales_contract", "contract_number"), docs.get("sales_contract", "seller_name")
    if not (number and seller):
        return None
    leg = leg_fingerprints(key, seller, docs.get("sales_contract", "buyer_name"),
                           docs.get("sales_contract", "hs_code"))
    return {"doc_type": "sales_contract", "number_fp": contract_fingerprint(key, seller, number),
            "voyage_fp": None, "cargo_fp": None, "container_fps": None, **leg}
