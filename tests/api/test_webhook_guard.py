"""Webhooks are requests the server makes on a client's word: no internal address, no redirect,
and a secret of each bank's own (OWASP API7, server-side request forgery)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tradeverify.errors import InputError
from tradeverify.service.webhooks import bank_secret, check_callback, deliver


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://169.254.169.254/latest/meta-data",
    "http://10.0.0.7/hook", "http://192.168.1.1/", "http://[::1]/hook", "http://0.0.0.0/",
    "http://100.64.0.1/", "http://[fd00::1]/", "http://224.0.0.1/",
])
def test_a_callback_to_an_internal_address_is_refused(url: str) -> None:
    with pytest.raises(InputError, match="not a public address"):
        check_callback(url, "s", require_https=False)
    assert check_callback(url, "s", require_https=False, allow_private=True) == url


def test_a_callback_must_resolve_carry_no_credentials_and_be_https_in_production() -> None:
    with pytest.raises(InputError, match="cannot be resolved"):
        check_callback("https://no-such-host.invalid/hook", "s", require_https=True)
    with pytest.raises(InputError, match="without credentials"):
        check_callback("https://user:pw@example.com/hook", "s", require_https=True)
    with pytest.raises(InputError, match="https"):
        check_callback("http://93.184.216.34/hook", "s", require_https=True)
    assert check_callback("https://93.184.216.34/hook", "s", require_https=True)  # a public address


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []
    redirect_to = ""

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        type(self).hits.append(self.path)
        self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/hook" and self.redirect_to:
            self.send_response(307)
            self.send_header("Location", self.redirect_to)
        else:
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def receiver() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_redirect_is_the_answer_never_followed(receiver: str) -> None:
    _Recorder.redirect_to = f"{receiver}/internal-admin"
    outcome = deliver(f"{receiver}/hook", "s", {"job_id": "j"}, allow_private=True)
    _Recorder.redirect_to = ""
    assert outcome == "refused 307"
    assert "/internal-admin" not in _Recorder.hits


def test_delivery_checks_the_address_again_and_sends_nothing_inside(receiver: str) -> None:
    outcome = deliver(f"{receiver}/hook", "s", {"job_id": "j"})  # allowed when queued, not now
    assert outcome.startswith("not sent:") and "127.0.0.1" in outcome
    assert _Recorder.hits == []


def test_each_bank_has_its_own_webhook_secret(tmp_path: Path) -> None:
    assert bank_secret("service", "BANKA") != bank_secret("service", "BANKB")
    assert bank_secret("service", "BANKA") == bank_secret("service", "BANKA")

    def show(secret: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "TRADEVERIFY_WORK_DIR": str(tmp_path), "TRADEVERIFY_WEBHOOK_SECRET": secret}
        return subprocess.run([sys.executable, "-m", "tradeverify", "keys", "webhook-secret", "--bank",
                               "BANKA"], env=env, capture_output=True, text=True, timeout=120)

    shown = show("service")
    assert shown.returncode == 0 and shown.stdout.strip() == bank_secret("service", "BANKA")
    none = show("")
    assert none.returncode == 6 and "no TRADEVERIFY_WEBHOOK_SECRET" in none.stderr
