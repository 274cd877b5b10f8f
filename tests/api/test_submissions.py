"""Stored submissions and reports, and every read route tried as the wrong bank (404, never 403)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tradeverify.config import Settings
from tradeverify.service.app import create_app
from tradeverify.service.keys import KeyStore

from ..conftest import SAMPLES

CLEAN = SAMPLES / "submissions" / "clean_digital"
FRAUD = SAMPLES / "submissions" / "fraud_vessel_not_at_port"


@pytest.fixture()
def service(tmp_path: Path, engine):  # noqa: ANN201 - (client, headers per caller, work dir)
    settings = Settings(work_dir=tmp_path, registry_path=tmp_path / "registry.sqlite")
    keys = KeyStore.at(tmp_path / "service.sqlite")
    heads = {name: {"Authorization": f"Bearer {keys.create(bank, role)[1]}"} for name, bank, role in (
        ("a", "BANK002", "submitter"), ("a_reader", "BANK002", "reader"), ("b", "BANKB", "admin"))}
    with TestClient(create_app(settings, engine, keys)) as client:
        yield client, heads, tmp_path


def submit(client: TestClient, headers: dict, folder: Path) -> dict:
    body = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(folder.glob("*.pdf"))]
    meta = json.dumps({k: v for k, v in json.loads((folder / "submission.json").read_text()).items()
                       if k != "bank_id"}).encode()  # the key says which bank
    body.append(("submission", ("submission.json", meta, "application/json")))
    resp = client.post("/v1/verify", files=body, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_a_report_is_stored_and_read_back_by_its_bank(service) -> None:
    client, heads, work = service
    report = submit(client, heads["a"], CLEAN)
    sid = report["submission_id"]
    again = client.get(f"/v1/submissions/{sid}/report", headers=heads["a_reader"])
    assert again.status_code == 200 and again.json() == report
    summary = client.get(f"/v1/submissions/{sid}", headers=heads["a_reader"]).json()
    assert summary["band"] == "low" and summary["client_reference"] == report["client_reference"]
    digests = {d["sha256"] for d in summary["documents"]}
    assert digests == {hashlib.sha256(p.read_bytes()).hexdigest() for p in CLEAN.glob("*.pdf")}
    stored = {p.name for p in (work / "documents" / "BANK002").rglob("*") if p.is_file()}
    assert stored == digests  # content-addressed, never under the client's file names


def test_listing_filters_and_pages_the_banks_own(service) -> None:
    client, heads, _ = service
    clean, fraud = submit(client, heads["a"], CLEAN), submit(client, heads["a"], FRAUD)
    listed = client.get("/v1/submissions", headers=heads["a"]).json()
    assert [i["submission_id"] for i in listed["items"]] == [fraud["submission_id"], clean["submission_id"]]
    high = client.get("/v1/submissions?band=high", headers=heads["a"]).json()["items"]
    assert [i["submission_id"] for i in high] == [fraud["submission_id"]]
    first = client.get("/v1/submissions?limit=1", headers=heads["a"]).json()
    second = client.get(f"/v1/submissions?limit=1&offset={first['next_offset']}", headers=heads["a"]).json()
    assert first["next_offset"] == 1 and second["next_offset"] is None
    assert [i["submission_id"] for i in first["items"] + second["items"]] == [
        fraud["submission_id"], clean["submission_id"]]
    assert client.get("/v1/submissions?since=2999-01-01T00:00:00Z", headers=heads["a"]).json()["items"] == []


@pytest.mark.parametrize("route", ["/v1/submissions/{sid}", "/v1/submissions/{sid}/report"])
def test_another_banks_submission_is_not_found(service, route: str) -> None:
    client, heads, _ = service
    sid = submit(client, heads["a"], CLEAN)["submission_id"]
    theirs = client.get(route.format(sid=sid), headers=heads["b"])  # even as an admin of bank B
    missing = client.get(route.format(sid="api-does-not-exist"), headers=heads["b"])
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"]["code"] == "not_found"
    assert json.dumps(theirs.json()).replace(sid, "X") == json.dumps(missing.json()).replace(
        "api-does-not-exist", "X")  # the same answer: existence is not revealed
    assert client.get("/v1/submissions", headers=heads["b"]).json()["items"] == []


def test_a_reader_reads_but_does_not_submit_and_nothing_reads_without_a_key(service) -> None:
    client, heads, _ = service
    sid = submit(client, heads["a"], CLEAN)["submission_id"]
    assert client.get(f"/v1/submissions/{sid}", headers=heads["a_reader"]).status_code == 200
    assert client.get(f"/v1/submissions/{sid}").status_code == 401
    assert client.get("/v1/submissions").status_code == 401


def test_a_misspelt_query_parameter_or_a_bad_date_is_400_not_ignored(service) -> None:
    client, heads, _ = service
    doc = [("documents", ("a.pdf", b"%PDF-1.4", "application/pdf"))]
    typo = client.post("/v1/verify?recrod=true", files=doc, headers=heads["a"])
    assert typo.status_code == 400 and "'recrod'" in typo.json()["error"]["message"]
    for since in ("0.5", "yesterday"):
        resp = client.get("/v1/submissions", params={"since": since}, headers=heads["a"])
        assert resp.status_code == 400 and "ISO 8601" in resp.json()["error"]["message"]
    ok = client.get("/v1/submissions", params={"since": "2026-01-01T00:00:00Z"}, headers=heads["a"])
    assert ok.status_code == 200


def test_a_bank_withdraws_its_own_registration_and_only_its_own(service) -> None:
    client, heads, work = service
    body = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(CLEAN.glob("*.pdf"))]
    first = client.post("/v1/verify?record=true", files=body, headers=heads["a"]).json()
    sid = first["submission_id"]
    assert client.delete(f"/v1/submissions/{sid}/registration", headers=heads["b"]).status_code == 404
    assert client.delete(f"/v1/submissions/{sid}/registration", headers=heads["a_reader"]).status_code == 403
    again = client.post("/v1/verify", files=body, headers=heads["b"]).json()
    assert "DUPLICATE_DOCUMENT" in {f["code"] for f in again["red_flags"]}  # A's record still stands
    resp = client.delete(f"/v1/submissions/{sid}/registration", headers=heads["a"])
    assert resp.status_code == 200 and resp.json() == {"submission_id": sid, "withdrawn_rows": 3}
    later = client.post("/v1/verify", files=body, headers=heads["b"]).json()
    assert "DUPLICATE_DOCUMENT" not in {f["code"] for f in later["red_flags"]}


def test_the_same_document_kept_by_many_threads_at_once_is_stored_once(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from tradeverify.service.store import SubmissionStore

    store = SubmissionStore(f"sqlite:///{tmp_path / 's.sqlite'}", tmp_path / "documents")
    source = CLEAN / "commercial_invoice.pdf"
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    barrier = Barrier(8)

    def keep(_: int) -> Path:
        barrier.wait()
        return store.keep_document("BANK002", sha, source)

    with ThreadPoolExecutor(8) as pool:
        kept = set(pool.map(keep, range(8)))
    assert len(kept) == 1 and next(iter(kept)).read_bytes() == source.read_bytes()
    assert [p.name for p in (tmp_path / "documents").rglob("*") if p.is_file()] == [sha]
