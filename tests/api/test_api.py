"""The REST API on the real pipeline (FastAPI TestClient, no network)."""

import json
import time

import pytest
from fastapi.testclient import TestClient

from tradeverify.config import Settings
from tradeverify.pipeline import Engine
from tradeverify.service.app import create_app
from tradeverify.service.keys import KeyStore

from ..conftest import SAMPLES

CLEAN = SAMPLES / "submissions" / "clean_digital"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> KeyStore:
    return KeyStore.at(tmp_path_factory.mktemp("service") / "service.sqlite")


@pytest.fixture(scope="module")
def client(engine, keys: KeyStore):
    _, token = keys.create("BANK002", "submitter")  # the samples' bank
    with TestClient(create_app(engine=engine, keys=keys),
                    headers={"Authorization": f"Bearer {token}"}) as c:
        yield c


def _files(folder):
    docs = [("documents", (p.name, p.read_bytes(), "application/pdf"))
            for p in sorted(folder.glob("*.pdf"))]
    return docs + [("submission", ("submission.json", (folder / "submission.json").read_bytes(),
                                   "application/json"))]


def test_healthz(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["model"] == "tradeverify-risk"


def test_readyz_checks_model_and_database(client: TestClient) -> None:
    resp = client.get("/readyz", headers={"Authorization": ""})
    assert resp.status_code == 200 and resp.json() == {"status": "ready", "model": "ok", "readers": "ok",
                                                   "database": "ok", "queue": "ok"}


def test_readyz_waits_for_the_kept_readers_then_stays_ready(tmp_path) -> None:
    settings = Settings(work_dir=tmp_path, registry_path=tmp_path / "r.sqlite", idle_readers=3)
    engine = Engine.load(settings)
    with TestClient(create_app(settings, engine, KeyStore.at(tmp_path / "service.sqlite"))) as c:
        engine.reader.close()
        engine.reader.warm(3)  # just spawned: a reader imports for a second or more before it is ready
        first = c.get("/readyz")
        assert first.status_code == 503 and first.json()["readers"].startswith("starting:")
        deadline = time.monotonic() + 120
        while c.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "readers never started"
            time.sleep(0.2)
        assert engine.reader.idle_started() == 3
        engine.reader.close()  # no idle reader now, as under load: still ready
        assert c.get("/readyz").json()["readers"] == "ok"


def test_readyz_is_503_when_the_database_is_gone(engine, tmp_path) -> None:
    keys = KeyStore(f"sqlite:///{tmp_path / 'gone' / 'service.sqlite'}".replace("gone/", ""))
    with TestClient(create_app(engine=engine, keys=keys)) as c:
        keys.engine.dispose()
        (tmp_path / "service.sqlite").unlink()
        (tmp_path / "service.sqlite").mkdir()  # a folder where the database file was
        resp = c.get("/readyz")
    assert resp.status_code == 503 and resp.json()["database"].startswith("error")


def test_verify_clean(client: TestClient) -> None:
    resp = client.post("/v1/verify", files=_files(CLEAN))
    assert resp.status_code == 200
    report = resp.json()
    meta = json.loads((CLEAN / "submission.json").read_text())
    assert report["client_reference"] == meta["submission_id"]
    assert report["submission_id"].startswith("api-")  # the server chooses the id
    assert report["status"] == "scored" and report["risk"]["band"] == "low"
    assert len(report["documents"]) == 5


def test_verify_fraud_names_flag(client: TestClient) -> None:
    resp = client.post("/v1/verify", files=_files(SAMPLES / "submissions" / "fraud_duplicate_document"))
    report = resp.json()
    assert report["risk"]["band"] == "high"
    assert "DUPLICATE_DOCUMENT" in {f["code"] for f in report["red_flags"]}


def test_bad_submission_json_is_400(client: TestClient) -> None:
    files = _files(CLEAN)[:1] + [("submission", ("submission.json", b"{not json", "application/json"))]
    resp = client.post("/v1/verify", files=files)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "input_error"


def test_corrupt_document_is_reported_not_500(client: TestClient) -> None:
    resp = client.post("/v1/verify", files=[("documents", ("x.pdf", b"%PDF-1.4 junk", "application/pdf"))])
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == "failed" and body["errors"][0]["code"] == "document_corrupt"


def test_openapi_lists_verify_its_errors_and_the_key(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    verify = spec["paths"]["/v1/verify"]["post"]
    assert {"200", "400", "401", "403", "413", "422", "503"} <= set(verify["responses"])
    assert verify["security"] == [{"HTTPBearer": []}]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
