"""The audit trail: every verification is recorded with who, what and digests; tampering shows."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tradeverify.cli import main
from tradeverify.config import Settings, get_settings
from tradeverify.pipeline import Engine
from tradeverify.service.app import create_app
from tradeverify.service.audit import AuditLog
from tradeverify.service.keys import KeyStore

from ..conftest import SAMPLES

INVOICE = SAMPLES / "submissions" / "clean_digital" / "commercial_invoice.pdf"


@pytest.fixture()
def service(tmp_path: Path) -> tuple[TestClient, dict[str, str], Path]:
    settings = Settings(work_dir=tmp_path, registry_path=tmp_path / "registry.sqlite")
    keys = KeyStore.at(tmp_path / "service.sqlite")
    tokens = {bank: keys.create(bank)[1] for bank in ("BANKA", "BANKB")}
    with TestClient(create_app(settings, Engine.load(settings), keys)) as client:
        yield client, tokens, tmp_path / "service.sqlite"


def _verify(client: TestClient, token: str) -> dict:
    body = [("documents", ("invoice.pdf", INVOICE.read_bytes(), "application/pdf"))]
    resp = client.post("/v1/verify", files=body, headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    return resp.json()


def test_each_verification_is_recorded_and_the_chain_verifies(service) -> None:
    client, tokens, db = service
    a, b = _verify(client, tokens["BANKA"]), _verify(client, tokens["BANKB"])
    log = AuditLog(f"sqlite:///{db}")
    entries = log.entries()
    assert [(e["seq"], e["bank_id"], e["action"], e["object_id"]) for e in entries] == [
        (1, "BANKA", "verify", a["submission_id"]), (2, "BANKB", "verify", b["submission_id"])]
    details = json.loads(entries[0]["details"])
    assert details["inputs"][0]["sha256"] == hashlib.sha256(INVOICE.read_bytes()).hexdigest()
    assert details["model"].startswith("tradeverify-risk@") and details["record"] is False
    assert [e["bank_id"] for e in log.entries("BANKB")] == ["BANKB"]
    assert log.verify().intact and log.verify().entries == 2


@pytest.mark.parametrize("tamper, broken_at", [
    ("UPDATE audit_log SET details = replace(details, 'false', 'true') WHERE seq = 1", 1),
    ("UPDATE audit_log SET bank_id = 'BANKC' WHERE seq = 2", 2),
    ("DELETE FROM audit_log WHERE seq = 2", 3),
])
def test_tampering_is_found_and_named(service, tamper: str, broken_at: int,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    client, tokens, db = service
    for _ in range(3):
        _verify(client, tokens["BANKA"])
    monkeypatch.setattr(get_settings(), "service_db", db)
    with pytest.raises(SystemExit) as intact:
        main(["audit", "verify"])
    assert intact.value.code == 0 and "3 entries" in capsys.readouterr().out
    with sqlite3.connect(db) as conn:
        conn.execute(tamper)
    assert AuditLog(f"sqlite:///{db}").verify().broken_at == broken_at
    with pytest.raises(SystemExit) as broken:
        main(["audit", "verify"])
    assert broken.value.code == 7 and f"broken at entry {broken_at}" in capsys.readouterr().err
