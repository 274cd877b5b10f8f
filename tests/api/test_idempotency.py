"""Idempotency-Key on POST /v1/verify: a retry gets the first report, verified and registered once."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tradeverify.config import Settings
from tradeverify.pipeline import Engine
from tradeverify.service import verifying
from tradeverify.service.app import create_app
from tradeverify.service.audit import AuditLog
from tradeverify.service.keys import KeyStore

from ..conftest import SAMPLES

CLEAN = SAMPLES / "submissions" / "clean_digital"


@pytest.fixture()
def service(tmp_path: Path):  # noqa: ANN201
    settings = Settings(work_dir=tmp_path, registry_path=tmp_path / "registry.sqlite")
    engine = Engine.load(settings)  # a registry of this test's own
    keys = KeyStore.at(tmp_path / "service.sqlite")
    heads = {bank: {"Authorization": f"Bearer {keys.create(bank)[1]}"} for bank in ("BANK002", "BANKB")}
    with TestClient(create_app(settings, engine, keys)) as client:
        yield client, heads, tmp_path


def body(only: str = "*.pdf") -> list:
    meta = {k: v for k, v in json.loads((CLEAN / "submission.json").read_text()).items() if k != "bank_id"}
    docs = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(CLEAN.glob(only))]
    return docs + [("submission", ("submission.json", json.dumps(meta).encode(), "application/json"))]


def post(client: TestClient, headers: dict, key: str | None, files: list | None = None):  # noqa: ANN201
    extra = {"Idempotency-Key": key} if key else {}
    return client.post("/v1/verify?record=true", files=files or body(), headers={**headers, **extra})


def test_a_retry_returns_the_first_report_and_registers_once(service) -> None:
    client, heads, work = service
    first, again = post(client, heads["BANK002"], "k-1"), post(client, heads["BANK002"], "k-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and first.json()["risk"]["band"] == "low"
    with sqlite3.connect(work / "registry.sqlite") as conn:
        ids = {r[0] for r in conn.execute("SELECT submission_id FROM document_registry")}
    assert ids == {first.json()["submission_id"]}
    assert [e["action"] for e in AuditLog(f"sqlite:///{work / 'service.sqlite'}").entries()] == ["verify"]
    # Without the key, the same request is a second presentation: caught as a duplicate.
    third = post(client, heads["BANK002"], None).json()
    assert "DUPLICATE_DOCUMENT" in {f["code"] for f in third["red_flags"]}


def test_the_same_key_with_another_request_is_409(service) -> None:
    client, heads, _ = service
    assert post(client, heads["BANK002"], "k-2").status_code == 200
    other = post(client, heads["BANK002"], "k-2", body("commercial_invoice.pdf"))
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_conflict"


def test_keys_are_per_bank(service) -> None:
    client, heads, _ = service
    a, b = post(client, heads["BANK002"], "shared"), post(client, heads["BANKB"], "shared")
    assert a.status_code == b.status_code == 200
    assert a.json()["submission_id"] != b.json()["submission_id"]


def test_a_key_whose_request_failed_can_be_used_again(service, monkeypatch: pytest.MonkeyPatch) -> None:
    client, heads, _ = service

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(verifying, "verify_files", broken)
    with pytest.raises(RuntimeError):
        post(client, heads["BANK002"], "k-3")
    monkeypatch.undo()
    assert post(client, heads["BANK002"], "k-3").status_code == 200


def _crash_after_registering(service, key: str, age_seconds: float) -> str:
    """Leave what a process killed mid-request leaves: the key claimed, the fingerprints registered."""
    client, heads, work = service
    first = post(client, heads["BANK002"], key).json()
    with sqlite3.connect(work / "service.sqlite") as conn:  # forget the finished request
        conn.execute("DELETE FROM submissions")
        conn.execute("UPDATE idempotency SET submission_id = NULL, created_at = ?",
                     ((datetime.now(UTC) - timedelta(seconds=age_seconds)).isoformat(),))
    return str(first["submission_id"])


def test_a_key_left_by_a_killed_request_is_taken_over_once_stale(service) -> None:
    client, heads, work = service
    sid = _crash_after_registering(service, "k-crash", age_seconds=901)
    retry = post(client, heads["BANK002"], "k-crash")
    assert retry.status_code == 200
    # The same server id: what the killed attempt registered is replaced, not a duplicate.
    assert retry.json()["submission_id"] == sid and retry.json()["red_flags"] == []
    with sqlite3.connect(work / "registry.sqlite") as conn:
        assert {r[0] for r in conn.execute("SELECT submission_id FROM document_registry")} == {sid}


def test_a_key_whose_request_may_still_run_is_409(service) -> None:
    client, heads, _ = service
    _crash_after_registering(service, "k-busy", age_seconds=5)
    resp = post(client, heads["BANK002"], "k-busy")
    assert resp.status_code == 409 and "still running" in resp.json()["error"]["message"]
