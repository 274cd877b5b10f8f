"""The service database: one SQLAlchemy engine per URL and process, migrated by Alembic at open.

Shared by the service (keys, jobs, reports, audit) and the reference registry of earlier
submissions, so it sits below both.

SQLite (``<work_dir>/service.sqlite``) is the embedded default; any SQLAlchemy URL works, and
PostgreSQL is tested against a real server. The schema is owned by the migrations in
``migrations/versions`` (never ``create_all``), so a database written by an older release
is brought forward in place. Opening is safe from several processes at once (the API and its
workers start together): SQLite migrates under a file lock, PostgreSQL under an advisory lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from tradeverify.errors import DatabaseError

MIGRATIONS = Path(__file__).with_name("migrations")
T = TypeVar("T")
_PG_LOCK = 0x7472_6164  # any constant: the advisory lock that serializes migrations


def sqlite_url(path: Path) -> str:
    """Return the URL of a SQLite file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def sqlite_file(path: Path) -> Engine:
    """Return an engine on a SQLite file (created with its folder), in WAL with a busy timeout.

    For files that are not the service database (the submissions registry of batch runs):
    several batch workers and API threads write them at once.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def open_database(url: str) -> Engine:
    """Return this process's engine for ``url``, migrated to the newest schema.

    Raises:
        DatabaseError: the database cannot be reached or migrated.

    """
    return _open(url, os.getpid())  # a forked worker gets its own engine and connections


@cache
def _open(url: str, pid: int) -> Engine:
    try:
        engine = create_engine(url, **_options(url))
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        with _migration_lock(engine) as conn:
            upgrade(conn)
    except (SQLAlchemyError, OSError) as exc:
        raise DatabaseError(f"cannot open the service database {_safe(url)}: {exc}") from exc
    return engine


def _options(url: str) -> dict[str, Any]:
    if make_url(url).get_backend_name() == "sqlite":
        return {"connect_args": {"timeout": 30}}  # the API and its workers write the same file
    return {"pool_pre_ping": True}


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL lets the API read while a worker writes; the busy timeout waits instead of failing."""
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    """Yield a connection that alone may migrate, across processes."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
            yield conn
        return
    database = engine.url.database
    lock_path = Path(f"{database}.migrate.lock") if database and database != ":memory:" else None
    if lock_path is None:
        with engine.begin() as conn:
            yield conn
        return
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if we are killed
        with engine.begin() as conn:
            yield conn


def transact(engine: Engine, work: Callable[[Connection], T], tries: int = 20) -> T:
    """Run ``work`` in one transaction, again when a concurrent writer made it fail.

    The audit trail's next entry number is read then written: another process (the API and its
    workers share the trail) taking it first fails the insert, or SQLite reports the database
    busy; the whole transaction is tried again, so what it writes lands together or not at all.
    """
    for attempt in range(tries):
        try:
            with engine.begin() as conn:
                return work(conn)
        except (IntegrityError, OperationalError):
            if attempt == tries - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def upgrade(conn: Connection, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` on an open connection."""
    from alembic import command  # 0.16 s of imports, paid only when a database is migrated
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """Return the schema revision the database is at (None before the first migration)."""
    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except SQLAlchemyError:
            return None
    return None if row is None else str(row[0])


def _safe(url: str) -> str:
    """Return the URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)
