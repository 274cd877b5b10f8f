"""Resource limits of the REST API (issue "A service banks can put on their network", item 6)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi.testclient import TestClient  # noqa: F401 - the type client_for returns

from tradeverify.config import Settings
from tradeverify.service.app import create_app
from tradeverify.service.keys import KeyStore

from ..conftest import SAMPLES

INVOICE = SAMPLES / "submissions" / "clean_digital" / "commercial_invoice.pdf"


def client_for(tmp_path: Path, engine, **limits: int) -> TestClient:
    settings = Settings(work_dir=tmp_path, registry_path=tmp_path / "registry.sqlite", **limits)
    keys = KeyStore.at(tmp_path / "service.sqlite")
    _, token = keys.create("BANK002")
    return TestClient(create_app(settings, engine, keys), headers={"Authorization": f"Bearer {token}"})


def invoice(n: int = 1) -> list:
    return [("documents", (f"invoice{i}.pdf", INVOICE.read_bytes(), "application/pdf")) for i in range(n)]


def test_body_over_the_limit_is_413(tmp_path: Path, engine) -> None:
    client = client_for(tmp_path, engine, max_request_bytes=INVOICE.stat().st_size * 2)
    with client:
        resp = client.post("/v1/verify", files=invoice(3))
        assert resp.status_code == 413 and resp.json()["error"]["code"] == "document_too_large"
        assert client.post("/v1/verify", files=invoice(1)).status_code == 200


def test_too_many_documents_is_413(tmp_path: Path, engine) -> None:
    client = client_for(tmp_path, engine, max_files_per_request=2)
    with client:
        resp = client.post("/v1/verify", files=invoice(3))
        assert resp.status_code == 413 and "3 documents in one request" in resp.json()["error"]["message"]


def test_rate_limit_is_429_with_retry_after(tmp_path: Path, engine) -> None:
    client = client_for(tmp_path, engine, rate_per_minute=2)
    with client:
        assert [client.post("/v1/verify", files=invoice()).status_code for _ in range(2)] == [200, 200]
        resp = client.post("/v1/verify", files=invoice())
        assert resp.status_code == 429 and resp.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(resp.headers["Retry-After"]) <= 30


def test_past_the_inflight_cap_is_503_with_retry_after(tmp_path: Path, engine) -> None:
    client = client_for(tmp_path, engine, max_inflight=0)
    with client:
        resp = client.post("/v1/verify", files=invoice())
        assert resp.status_code == 503 and resp.json()["error"]["code"] == "service_busy"
        assert resp.headers["Retry-After"] == "5"
        assert client.get("/healthz").status_code == 200
        # refused before the body is read: a malformed multipart body is not even parsed (else 400)
        garbage = client.post("/v1/verify", content=b"--x\r\nnot multipart",
                              headers={"Content-Type": "multipart/form-data; boundary=zz"})
        assert garbage.status_code == 503
        assert client.post("/v1/jobs", files=invoice()).status_code == 202  # jobs queue, never busy


def test_the_inflight_slot_is_given_back_on_every_path(tmp_path: Path, engine) -> None:
    client = client_for(tmp_path, engine, max_inflight=1)
    with client:
        assert client.post("/v1/verify", files=[("documents", ("x.pdf", b"junk", "application/pdf"))],
                           params={"nope": "1"}).status_code == 400
        assert client.post("/v1/verify", content=b"x", headers={
            "Content-Type": "multipart/form-data; boundary=zz"}).status_code == 400
        assert client.app.state.inflight.running == 0
        assert client.post("/v1/verify", files=invoice()).status_code == 200


def test_uploads_of_dead_processes_are_swept_and_each_request_cleans_up(tmp_path: Path, engine) -> None:
    left = tmp_path / "uploads" / "99999999" / "tmpabc"
    left.mkdir(parents=True)
    (left / "client-document.pdf").write_bytes(b"%PDF-1.4 left by a killed process")
    client = client_for(tmp_path, engine)
    with client:
        assert not (tmp_path / "uploads" / "99999999").exists()
        assert client.post("/v1/verify", files=invoice()).status_code == 200
        assert not any((tmp_path / "uploads").rglob("*.pdf"))


@pytest.mark.parametrize("status", ["413", "429", "503"])
def test_openapi_documents_the_limit_errors(tmp_path: Path, engine, status: str) -> None:
    client = client_for(tmp_path, engine)
    with client:
        assert status in client.get("/openapi.json").json()["paths"]["/v1/verify"]["post"]["responses"]


def _call_without_reading(app, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """Send one POST /v1/verify straight to the ASGI app; return its status and body reads."""
    reads, sent = [0], []

    async def receive() -> dict:
        reads[0] += 1
        return {"type": "http.request", "body": b"x" * 65536, "more_body": reads[0] < 1000}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/v1/verify", "raw_path": b"/v1/verify",
             "query_string": b"", "headers": [(b"content-type", b"multipart/form-data; boundary=x"),
                                              *headers], "http_version": "1.1", "scheme": "http",
             "server": ("test", 80), "client": ("127.0.0.1", 1), "root_path": ""}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], reads[0]


def test_an_anonymous_upload_is_refused_before_its_body_is_read(tmp_path: Path, engine) -> None:
    with client_for(tmp_path, engine) as client:
        assert _call_without_reading(client.app, []) == (401, 0)
        assert _call_without_reading(client.app, [(b"authorization", b"Bearer tv_nope_nope")]) == (401, 0)
        resp = client.post("/v1/verify", files=invoice(), headers={"Authorization": ""})
        assert resp.status_code == 401 and resp.headers["www-authenticate"] == "Bearer"
        assert resp.json()["error"]["code"] == "unauthenticated"


def test_a_malformed_multipart_body_gets_the_error_body_of_every_error(tmp_path: Path, engine) -> None:
    with client_for(tmp_path, engine) as client:
        resp = client.post("/v1/verify", content=b"--x\r\n1.5--x--\r\n",
                           headers={"Content-Type": "multipart/form-data; boundary=x"})
        assert resp.status_code == 400 and resp.json()["error"]["code"] == "input_error"
        assert client.get("/v1/nowhere").json()["error"]["code"] == "not_found"
