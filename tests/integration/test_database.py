"""The service database: Alembic migrations on SQLite and on a real PostgreSQL server, and the
whole job path (API, queue, worker, stored report, audit trail) with PostgreSQL as database and
as broker."""

from __future__ import annotations

import json
import multiprocessing
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, create_engine, inspect, text

from tradeverify.config import Settings
from tradeverify.db import current_revision, open_database
from tradeverify.reference.registry import registry_metadata
from tradeverify.service import audit, decisions, jobs, keys, officers, store
from tradeverify.service.app import create_app
from tradeverify.service.audit import AuditLog
from tradeverify.service.keys import KeyStore, Principal
from tradeverify.service.worker import open_context, run_job

from ..conftest import SAMPLES
from ..db_children import append_many, open_in_child
from ..servers import postgres_server

HEAD = "0004"
CLEAN = SAMPLES / "submissions" / "clean_digital"


def _live_metadata() -> MetaData:
    """The tables as the code queries them, all in one MetaData."""
    combined = MetaData()
    for meta in (keys.metadata, audit.metadata, store.metadata, jobs.metadata, registry_metadata,
                 officers.metadata, decisions.metadata):
        for table in meta.tables.values():
            table.to_metadata(combined)
    return combined


def _drift(url: str) -> list:
    engine = open_database(url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), _live_metadata())
    # SQLite reports no difference a migration could fix beyond these; anything else is drift.
    return [d for d in diffs if not (isinstance(d, tuple) and d[0] == "remove_table"
                                     and d[1].name == "alembic_version")]


@pytest.fixture(scope="module")
def pg_url():  # noqa: ANN201 - a fresh database on a real server, for this module
    with postgres_server() as url:
        yield url


def test_a_new_sqlite_database_is_migrated_to_the_head_and_matches_the_code(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'service.sqlite'}"
    assert current_revision(open_database(url)) == HEAD
    assert _drift(url) == []


def test_postgres_is_migrated_to_the_same_schema(pg_url: str) -> None:
    assert current_revision(open_database(pg_url)) == HEAD
    assert _drift(pg_url) == []


def test_a_database_from_before_migrations_is_adopted_in_place(tmp_path: Path) -> None:
    db = tmp_path / "service.sqlite"
    old = create_engine(f"sqlite:///{db}")
    keys.metadata.create_all(old)  # what releases before migrations wrote: api_keys alone
    with old.begin() as conn:
        conn.execute(keys.api_keys.insert().values(
            key_id="00aa", bank_id="BANKOLD", role="reader", name="", secret_sha256="x" * 64,
            created_at=datetime(2026, 1, 1)))
    store_ = KeyStore(f"sqlite:///{db}")
    assert [k.bank_id for k in store_.list()] == ["BANKOLD"]
    tables = set(inspect(store_.engine).get_table_names())
    assert {"audit_log", "submissions", "idempotency", "jobs", "document_registry"} <= tables


def test_submissions_stored_before_the_desk_get_its_columns_from_their_report(tmp_path: Path) -> None:
    from tradeverify.db import upgrade

    url = f"sqlite:///{tmp_path / 'service.sqlite'}"
    old = create_engine(url)
    with old.begin() as conn:
        upgrade(conn, "0003")
        conn.execute(text(
            "INSERT INTO submissions (submission_id, bank_id, status, band, score, created_at, documents, "
            "report) VALUES ('S1', 'B', 'scored', 'high', 0.9, '2026-01-01', '[]', :r)"),
            {"r": json.dumps({"red_flags": [{"code": "A"}, {"code": "B"}]})})
    engine = open_database(url)
    assert current_revision(engine) == HEAD
    with engine.connect() as conn:
        row = conn.execute(text("SELECT red_flags, review, trade_model, features FROM submissions")).one()
    assert tuple(row) == (2, "open", None, None)


def test_processes_opening_a_new_database_together_migrate_it_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'service.sqlite'}"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert pool.map(open_in_child, [url] * 4) == [HEAD] * 4


def test_audit_trail_on_postgres_stays_one_chain_under_concurrent_writers(pg_url: str) -> None:
    log = AuditLog(pg_url)
    who = Principal("k1", "BANKPG", "admin")
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        pool.starmap(append_many, [(pg_url, i) for i in range(3)])
    log.append(who, "probe", "x", {})
    check = log.verify()
    assert check.intact and check.entries >= 31


def test_a_job_on_postgres_database_and_broker(pg_url: str, tmp_path: Path) -> None:
    from tradeverify.pipeline import Engine

    broker = pg_url.replace("postgresql+psycopg://", "postgresql://")
    settings = Settings(work_dir=tmp_path, registry_path=tmp_path / "registry.sqlite",
                        database_url=pg_url, queue_url=broker)
    engine = Engine.load(settings)  # a registry of its own: other tests record the same sample
    key_store = KeyStore(pg_url)
    token = key_store.create("BANK002", "submitter")[1]
    body = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(CLEAN.glob("*.pdf"))]
    meta = {k: v for k, v in json.loads((CLEAN / "submission.json").read_text()).items() if k != "bank_id"}
    body.append(("submission", ("submission.json", json.dumps(meta).encode(), "application/json")))
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings, engine, key_store)) as client:
        assert client.get("/readyz").json()["queue"] == "ok"
        job = client.post("/v1/jobs", files=body, headers=auth).json()
        queue = client.app.state.queue  # type: ignore[attr-defined]
        message = queue.huey.dequeue()  # the message a worker would take from PostgreSQL
        assert message.args == (job["job_id"],)
        assert run_job(settings, message.args[0], open_context(settings, engine)) == "done"
        report = client.get(f"/v1/jobs/{job['job_id']}/report", headers=auth)
    assert report.status_code == 200 and report.json()["risk"]["band"] == "low"
    assert AuditLog(pg_url).verify().intact


def test_the_registry_in_postgres_catches_a_second_presentation(pg_url: str, tmp_path: Path) -> None:
    from tradeverify.pipeline import Engine, read_submission, verify_files

    engine = Engine.load(Settings(work_dir=tmp_path, registry_url=pg_url))
    meta, files = read_submission(CLEAN)
    first = verify_files(files, {**meta, "submission_id": "PG-1", "bank_id": "BANKA"}, engine, record=True)
    second = verify_files(files, {**meta, "submission_id": "PG-2", "bank_id": "BANKB"}, engine, record=True)
    assert first.red_flags == [] and "DUPLICATE_DOCUMENT" in {f.code for f in second.red_flags}
    registry = engine.registry
    assert registry.withdraw("BANKB", "PG-1") == 0  # another bank's record is not B's to remove
    assert registry.withdraw("BANKA", "PG-1") == 3
