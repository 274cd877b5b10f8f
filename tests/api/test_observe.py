"""Request ids, JSON log lines and Prometheus metrics."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tradeverify.config import Settings
from tradeverify.service.app import create_app
from tradeverify.service.keys import KeyStore
from tradeverify.service.observe import JsonFormatter


@pytest.fixture()
def client(tmp_path: Path, engine):  # noqa: ANN201
    keys = KeyStore.at(tmp_path / "service.sqlite")
    with TestClient(create_app(Settings(work_dir=tmp_path), engine, keys)) as c:
        c.headers["Authorization"] = f"Bearer {keys.create('BANKSECRET', 'reader')[1]}"
        yield c


def test_a_sane_request_id_is_echoed_and_another_is_replaced(client: TestClient) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    fresh = client.get("/healthz", headers={"X-Request-ID": "bad id\n<script>"}).headers["x-request-id"]
    assert len(fresh) == 32 and fresh.isalnum()
    assert len(client.get("/healthz").headers["x-request-id"]) == 32


def test_each_request_is_logged_as_json_with_its_id(client: TestClient,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="tradeverify.requests"):
        client.get("/v1/submissions/api-nope", headers={"X-Request-ID": "req-42"})
    (record,) = [r for r in caplog.records if r.name == "tradeverify.requests"]
    line = json.loads(JsonFormatter().format(record))
    assert line["msg"] == "request" and line["request_id"] == "req-42" and line["status"] == 404
    assert line["route"] == "/v1/submissions/{submission_id}" and line["level"] == "info"


def test_metrics_count_by_route_template_and_never_name_a_bank(client: TestClient) -> None:
    client.get("/healthz")
    client.get("/v1/submissions/api-1")
    client.get("/v1/submissions/api-2")
    text = client.get("/metrics").text
    assert 'tradeverify_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert ('tradeverify_http_requests_total{method="GET",route="/v1/submissions/{submission_id}",'
            'status="404"} 2.0') in text
    assert "tradeverify_jobs_pending 0.0" in text and "tradeverify_verifications_in_flight 0.0" in text
    assert "BANKSECRET" not in text and "api-1" not in text
