"""Identity and tenancy on the REST API (issue "A service banks can put on their network", item 1).

The attacks the issue lists, each tried and each failing for the attacker: no key, a wrong or
revoked key, a reader submitting, a body that names another bank, another bank re-sending a
bank's documents under its id (no id revealed, nothing overwritten), a retry that flags itself,
and a caller who presents only a B/L to poison another bank's later deal.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tradeverify.config import Settings
from tradeverify.pipeline import Engine
from tradeverify.service.app import create_app
from tradeverify.service.keys import KeyStore

from ..conftest import SAMPLES

CLEAN = SAMPLES / "submissions" / "clean_digital"


@pytest.fixture()
def world(tmp_path: Path) -> tuple[TestClient, dict[str, str], Settings]:
    settings = Settings(work_dir=tmp_path, registry_path=tmp_path / "registry.sqlite")
    keys = KeyStore.at(tmp_path / "service.sqlite")
    tokens = {name: keys.create(bank, role)[1] for name, bank, role in (
        ("a", "BANKA", "submitter"), ("b", "BANKB", "submitter"), ("a_reader", "BANKA", "reader"))}
    _, revoked = keys.create("BANKA", "submitter")
    keys.revoke(revoked.split("_")[1])
    tokens["revoked"] = revoked
    client = TestClient(create_app(settings, Engine.load(settings), keys))
    client.__enter__()
    yield client, tokens, settings
    client.__exit__(None, None, None)


def files(folder: Path, meta: dict | None = None, only: str = "*.pdf") -> list:
    docs = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(folder.glob(only))]
    meta = meta if meta is not None else {k: v for k, v in json.loads(
        (folder / "submission.json").read_text()).items() if k != "bank_id"}
    return docs + [("submission", ("submission.json", json.dumps(meta).encode(), "application/json"))]


def post(client: TestClient, token: str | None, body: list, record: bool = False):  # noqa: ANN201
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"/v1/verify?record={str(record).lower()}", files=body, headers=headers)


@pytest.mark.parametrize("token", [None, "tv_0000000000000000_wrong", "not-a-key", "revoked"])
def test_no_valid_key_is_401(world, token: str | None) -> None:
    client, tokens, _ = world
    resp = post(client, tokens.get(token or "", token), files(CLEAN))
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "unauthenticated"


def test_a_reader_may_not_submit(world) -> None:
    client, tokens, _ = world
    resp = post(client, tokens["a_reader"], files(CLEAN))
    assert resp.status_code == 403 and "reader" in resp.json()["error"]["message"]


def test_the_bank_comes_from_the_key_not_the_body(world) -> None:
    client, tokens, _ = world
    meta = {**json.loads((CLEAN / "submission.json").read_text()), "bank_id": "BANKA"}
    resp = post(client, tokens["b"], files(CLEAN, meta))
    assert resp.status_code == 403 and "BANKB" in resp.json()["error"]["message"]


def _registry(settings: Settings) -> list[tuple[str, str]]:
    with sqlite3.connect(settings.submissions_registry()) as conn:
        return sorted(conn.execute("SELECT bank_id, submission_id FROM document_registry").fetchall())


def test_another_bank_cannot_overwrite_or_read_a_banks_records(world) -> None:
    client, tokens, settings = world
    first = post(client, tokens["a"], files(CLEAN), record=True).json()
    assert first["risk"]["band"] == "low"
    before = _registry(settings)
    assert {bank for bank, _ in before} == {"BANKA"}
    # Bank B presents the same documents under the same client id: it is caught, learns no id.
    second = post(client, tokens["b"], files(CLEAN), record=True).json()
    assert second["risk"]["band"] == "high"
    assert "DUPLICATE_DOCUMENT" in {f["code"] for f in second["red_flags"]}
    assert first["submission_id"] not in json.dumps(second)
    assert first["client_reference"] == second["client_reference"]  # same client id, no effect
    after = _registry(settings)
    assert set(before) <= set(after) and {bank for bank, _ in after} == {"BANKA", "BANKB"}
    # A third bank presenting A's B/L is still caught: A's fingerprints were not replaced.
    third = post(client, tokens["b"], files(CLEAN, only="bill_of_lading.pdf")).json()
    assert "DUPLICATE_DOCUMENT" in {f["code"] for f in third["red_flags"]}


def test_a_plain_retry_is_not_its_own_duplicate(world) -> None:
    client, tokens, _ = world
    for _ in range(2):
        report = post(client, tokens["a"], files(CLEAN)).json()
        assert report["risk"]["band"] == "low" and not report["red_flags"]


def test_a_bl_alone_does_not_poison_a_later_deal(world) -> None:
    client, tokens, _ = world
    post(client, tokens["b"], files(CLEAN, {"submission_id": "ATTACKER"}, only="bill_of_lading.pdf"))
    report = post(client, tokens["a"], files(CLEAN)).json()
    assert report["risk"]["band"] == "low" and not report["red_flags"]


@pytest.mark.parametrize("meta, words", [
    ({"bank_id": ["BANKA", "BANKB"]}, "bank_id must be a string"),
    ({"submitted_at": "not-a-date"}, "not an ISO date"),
])
def test_malformed_metadata_is_400(world, meta: dict, words: str) -> None:
    client, tokens, _ = world
    resp = post(client, tokens["a"], files(CLEAN, meta))
    assert resp.status_code == 400 and words in resp.json()["error"]["message"]


def test_a_300_byte_filename_is_read_not_500(world) -> None:
    client, tokens, _ = world
    body = [("documents", ("x" * 300 + ".pdf", (CLEAN / "commercial_invoice.pdf").read_bytes(),
                           "application/pdf"))]
    resp = post(client, tokens["a"], body)
    assert resp.status_code == 200 and resp.json()["documents"][0]["doc_type"] == "commercial_invoice"


def _v1_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every (method, path) under /v1 that the app's OpenAPI document lists."""
    paths = client.get("/openapi.json").json()["paths"]
    return [(method.upper(), path) for path, ops in paths.items() if path.startswith("/v1/")
            for method in ops]


def _object_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every (method, path) of the app that names one object by id."""
    return [(method, path) for method, path in _v1_routes(client) if "{" in path]


def test_every_object_route_is_404_to_another_bank_and_leaves_the_object_alone(world) -> None:
    client, tokens, _ = world
    report = post(client, tokens["a"], files(CLEAN), record=True).json()
    own = {"Authorization": f"Bearer {tokens['a']}"}
    job = client.post("/v1/jobs", files=files(CLEAN), headers=own).json()
    ids = {"submission_id": report["submission_id"], "job_id": job["job_id"]}
    routes = _object_routes(client)
    assert len(routes) >= 6  # the list grows with the app; a new route is tried here unasked
    other = {"Authorization": f"Bearer {tokens['b']}"}
    for method, path in routes:
        theirs = client.request(method, path.format(**ids), headers=other)
        missing = client.request(method, path.format(submission_id="api-none", job_id="job-none"),
                                 headers=other)
        assert theirs.status_code == missing.status_code == 404, (method, path, theirs.text)
        shown = theirs.text.replace(ids["submission_id"], "api-none").replace(ids["job_id"], "job-none")
        assert shown == missing.text  # the same answer as for no object: existence is not revealed
    assert client.get(f"/v1/jobs/{job['job_id']}", headers=own).json()["status"] == "queued"  # not cancelled
    assert client.get(f"/v1/submissions/{report['submission_id']}/report", headers=own).json() == report


def test_every_v1_route_needs_a_key(world) -> None:
    client, _, _ = world
    routes = _v1_routes(client)
    assert len(routes) >= 9
    for method, path in routes:
        resp = client.request(method, path.format(submission_id="x", job_id="x"))
        assert resp.status_code == 401, (method, path)
