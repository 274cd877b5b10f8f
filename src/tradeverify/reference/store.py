"""The embedded reference store: SQLite built from a folder of reference CSVs, typed lookups."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import zlib
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from tradeverify.errors import ReferenceDataError
from tradeverify.reference.loaders import read_table
from tradeverify.reference.registry import RegistryQueries
from tradeverify.reference.schemas import INDEXES, TABLES

STORE_FILE = ".store.sqlite"


@dataclass(frozen=True)
class Call:
    """A port call: where a vessel was, from when to when."""

    locode: str
    arrival: datetime
    departure: datetime


@dataclass(frozen=True)
class Benchmark:
    """Monthly unit-value benchmark of an HS code."""

    median: float
    p10: float
    p90: float
    unit: str


def schema_version() -> int:
    """Return a number that changes whenever the tables' or indexes' definitions change."""
    return zlib.crc32(repr((TABLES, INDEXES)).encode()) & 0x7FFFFFFF


def _create(conn: sqlite3.Connection, folder: Path) -> None:
    conn.execute(f"PRAGMA user_version = {schema_version()}")
    for table, columns in TABLES.items():
        cols = ", ".join(f"{c.name} {c.sql_type}" for c in columns)
        conn.execute(f"CREATE TABLE {table} ({cols})")
        path = folder / f"{table}.csv"
        if path.exists():
            marks = ", ".join("?" for _ in columns)
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", read_table(table, path))
    for table, keys in INDEXES.items():
        conn.execute(f"CREATE INDEX ix_{table} ON {table} ({', '.join(keys)})")
    conn.commit()


def _stale(db: Path, folder: Path) -> bool:
    """Return True when a CSV is newer than the store, or the store has another schema."""
    if not db.exists():
        return True
    built = db.stat().st_mtime
    if any(p.stat().st_mtime > built for p in folder.glob("*.csv")):
        return True
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        try:
            return int(conn.execute("PRAGMA user_version").fetchone()[0]) != schema_version()
        except sqlite3.DatabaseError:
            return True


def build_store(folder: Path) -> Path | None:
    """Build (or reuse) the SQLite file beside the CSVs; None when the folder is read-only."""
    db = folder / STORE_FILE
    if not _stale(db, folder):
        return db
    if not os.access(folder, os.W_OK):
        return None
    # Build into a temp file and rename: concurrent workers never see a half-built store.
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(fd)
    try:
        with sqlite3.connect(tmp) as conn:
            _create(conn, folder)
        conn.close()
        os.replace(tmp, db)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return db


class ReferenceStore(RegistryQueries):
    """Typed read-only lookups over the reference tables."""

    def __init__(self, conn: sqlite3.Connection, source: Path) -> None:
        self.conn = conn
        self.source = source
        # The registry queries (shared with the service's own record) speak SQLAlchemy: the same
        # read-only connection, handed out by a pool of one.
        self.engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)

    @classmethod
    def open(cls, folder: Path) -> ReferenceStore:
        """Open the store for a reference folder, building it from the CSVs when needed.

        Raises:
            ReferenceDataError: the folder does not exist or a table is malformed.

        """
        folder = Path(folder)
        if not folder.is_dir():
            raise ReferenceDataError(f"reference folder not found: {folder}")
        db = build_store(folder)
        if db is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            _create(conn, folder)
        else:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
        return cls(conn, folder)

    def count(self, table: str) -> int:
        """Return the number of rows of a table."""
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def vessel(self, imo: str) -> dict[str, object] | None:
        """Return the registry row of a vessel, or None."""
        cur = self.conn.execute("SELECT * FROM vessels WHERE imo = ?", (imo,))
        row = cur.fetchone()
        return None if row is None else dict(zip([d[0] for d in cur.description], row, strict=True))

    def vessels_named(self, name: str) -> list[str]:
        """Return IMO numbers of vessels with exactly this name (case-insensitive)."""
        rows = self.conn.execute("SELECT imo FROM vessels WHERE upper(name) = upper(?)", (name,))
        return [r[0] for r in rows]

    def port_calls(self, imo: str) -> list[Call]:
        """Return a vessel's port calls in time order."""
        return _calls(self, imo)

    def benchmark(self, hs_code: str, month: str) -> Benchmark | None:
        """Return the unit-value benchmark of an HS code for a month (``YYYY-MM``)."""
        row = self.conn.execute(
            "SELECT median_usd, p10_usd, p90_usd, unit FROM price_benchmarks "
            "WHERE hs_code = ? AND month = ?", (hs_code, month),
        ).fetchone()
        return None if row is None else Benchmark(*row)

    def rows(self, table: str, where: str = "1", args: tuple[object, ...] = ()) -> list[dict[str, object]]:
        """Return rows of a table as dicts (``where`` is trusted SQL with ``?`` parameters)."""
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE {where}", args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def companies(self) -> list[dict[str, object]]:
        """Return the company registry (cached: names are fuzzy-matched against all of it)."""
        return _cached_rows(self, "companies")

    def watchlist(self, kind: str) -> list[str]:
        """Return the listed values of one kind (entity, vessel, jurisdiction)."""
        return [str(r["value"]) for r in _cached_rows(self, "watchlists") if r["kind"] == kind]

    def commodity(self, hs_code: str) -> dict[str, object] | None:
        """Return the commodity master row of an HS subheading, or None."""
        found = self.rows("commodities", "hs_code = ?", (hs_code[:6],))
        return found[0] if found else None

    def container_events(self, number: str) -> list[dict[str, object]]:
        """Return a container's carrier events."""
        return self.rows("container_events", "container_number = ?", (number,))

    def customs_countries(self, flow: str) -> frozenset[str]:
        """Return the countries whose declarations of one flow (export, import) the store covers.

        Cached: every submission asks, and the answer scans the whole table.
        """
        return _cached_countries(self, flow)

    def processing_route(self, input_hs: str, output_hs: str) -> tuple[float, float] | None:
        """Return (yield_min, yield_max) of processing one HS subheading into another, or None."""
        found = self.rows("processing_routes", "input_hs = ? AND output_hs = ?",
                          (input_hs[:6], output_hs[:6]))
        return (float(str(found[0]["yield_min"])), float(str(found[0]["yield_max"]))) if found else None

    def port_country(self, locode: str) -> str | None:
        """Return a port's country."""
        found = self.rows("ports", "locode = ?", (locode,))
        return str(found[0]["country"]) if found else None


@lru_cache(maxsize=64)
def _cached_rows(store: ReferenceStore, table: str) -> list[dict[str, object]]:
    return store.rows(table)


@lru_cache(maxsize=64)
def _cached_countries(store: ReferenceStore, flow: str) -> frozenset[str]:
    rows = store.rows("customs_declarations", "flow = ? GROUP BY country", (flow,))
    return frozenset(str(r["country"]) for r in rows)


@lru_cache(maxsize=4096)
def _cached_calls(store: ReferenceStore, imo: str) -> tuple[Call, ...]:
    rows = store.conn.execute(
        "SELECT locode, arrival, departure FROM port_calls WHERE imo = ? ORDER BY arrival", (imo,)
    )
    return tuple(
        Call(loc, datetime.fromisoformat(a), datetime.fromisoformat(d)) for loc, a, d in rows
    )


def _calls(store: ReferenceStore, imo: str) -> list[Call]:
    try:
        return list(_cached_calls(store, imo))
    except sqlite3.Error as exc:
        raise ReferenceDataError(f"port_calls lookup failed: {exc}") from exc
