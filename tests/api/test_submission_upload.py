"""POST /v1/submissions: documents or one zip, stored under the server's id, verified by a worker.

A zip is hostile input like any document: a bomb, a path outside the folder, too many members,
an encrypted member, a corrupt member or no zip at all each get a typed error (400/413) and
leave nothing behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tradeverify.config import Settings
from tradeverify.service.app import create_app
from tradeverify.service.keys import KeyStore
from tradeverify.service.worker import open_context, run_job

from .test_submissions import CLEAN

LIMIT = 2 * 1024 * 1024


@pytest.fixture()
def service(tmp_path: Path, engine):  # noqa: ANN201 - (client, headers, settings, worker context)
    settings = Settings(work_dir=tmp_path, registry_path=tmp_path / "registry.sqlite",
                        max_file_bytes=LIMIT, max_files_per_request=6)
    keys = KeyStore.at(tmp_path / "service.sqlite")
    heads = {name: {"Authorization": f"Bearer {keys.create(bank, role)[1]}"} for name, bank, role in (
        ("a", "BANK002", "submitter"), ("a_reader", "BANK002", "reader"), ("b", "BANKB", "admin"))}
    with TestClient(create_app(settings, engine, keys)) as client:
        yield client, heads, settings, open_context(settings, engine)


def _meta() -> bytes:
    meta = json.loads((CLEAN / "submission.json").read_text())
    return json.dumps({k: v for k, v in meta.items() if k != "bank_id"}).encode()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _clean_zip(**extra: bytes) -> bytes:
    members = {f"deal/{p.name}": p.read_bytes() for p in sorted(CLEAN.glob("*.pdf"))}
    return _zip({**members, "deal/submission.json": _meta(), **extra})


def _post_zip(client: TestClient, headers: dict, data: bytes, **kw):  # noqa: ANN202
    return client.post("/v1/submissions", files=[("archive", ("deal.zip", data, "application/zip"))],
                       headers=headers, **kw)


def _leftovers(settings: Settings) -> list[Path]:
    return [p for p in (settings.work_dir / "uploads").rglob("*") if p.is_file()]


def test_documents_are_stored_then_verified_and_read_back(service) -> None:
    client, heads, settings, ctx = service
    body = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(CLEAN.glob("*.pdf"))]
    meta = ("submission", ("s.json", _meta(), "application/json"))
    resp = client.post("/v1/submissions", files=[*body, meta], headers=heads["a"])
    assert resp.status_code == 202, resp.text
    job = resp.json()
    sid = job["submission_id"]
    assert resp.headers["location"] == f"/v1/submissions/{sid}" and sid.startswith("api-")
    pending = client.get(f"/v1/submissions/{sid}", headers=heads["a_reader"]).json()
    assert pending["status"] == "queued" and pending["job_id"] == job["job_id"]
    early = client.get(f"/v1/submissions/{sid}/report", headers=heads["a_reader"])
    assert early.status_code == 409 and "queued" in early.json()["error"]["message"]
    assert run_job(settings, job["job_id"], ctx) == "done"
    done = client.get(f"/v1/submissions/{sid}", headers=heads["a_reader"]).json()
    assert done["status"] == "scored" and done["band"] == "low" and len(done["documents"]) == len(body)
    report = client.get(f"/v1/submissions/{sid}/report", headers=heads["a_reader"]).json()
    assert report["submission_id"] == sid and report["risk"]["band"] == "low"


def test_a_zip_with_its_submission_json_is_read_like_the_parts(service) -> None:
    client, heads, settings, ctx = service
    resp = _post_zip(client, heads["a"], _clean_zip(**{"__MACOSX/._x.pdf": b"junk", ".DS_Store": b"x"}))
    assert resp.status_code == 202, resp.text
    job = resp.json()
    assert run_job(settings, job["job_id"], ctx) == "done"
    summary = client.get(f"/v1/submissions/{job['submission_id']}", headers=heads["a"]).json()
    digests = sorted(d["sha256"] for d in summary["documents"])
    assert digests == sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in CLEAN.glob("*.pdf"))
    report = client.get(f"/v1/submissions/{job['submission_id']}/report", headers=heads["a"]).json()
    assert report["client_reference"] == json.loads(_meta())["submission_id"]
    assert report["risk"]["band"] == "low"
    assert _leftovers(settings) == []


def test_member_names_never_become_paths(service, tmp_path: Path) -> None:
    client, heads, settings, ctx = service
    pdf = next(iter(sorted(CLEAN.glob("*.pdf")))).read_bytes()
    resp = _post_zip(client, heads["a"], _zip({"../../../../escaped.pdf": pdf, "/abs/x.pdf": pdf}))
    assert resp.status_code == 202, resp.text
    assert not list(tmp_path.parent.glob("escaped.pdf")) and not Path("/abs/x.pdf").exists()
    stored = [p.name for p in (settings.work_dir / "documents").rglob("*") if p.is_file()]
    assert stored and all(len(name) == 64 for name in stored)  # content addresses only


@pytest.mark.parametrize(("members", "status", "words"), [
    ({"bomb.pdf": b"\0" * (LIMIT + 1)}, 413, "once unzipped"),
    ({f"d{i}.pdf": b"%PDF-1.4" for i in range(7)}, 413, "above the limit of 6"),
    ({"submission.json": b"{}"}, 400, "no documents"),
    ({"a.pdf": b"%PDF", "submission.json": b"[1, 2]"}, 400, "JSON object"),
    ({"a.pdf": b"%PDF", "x/submission.json": b"{}", "y/submission.json": b"{}"}, 400, "one at most"),
])
def test_a_zip_past_a_limit_or_malformed_is_refused(service, members: dict, status: int, words: str) -> None:
    client, heads, settings, _ = service
    resp = _post_zip(client, heads["a"], _zip(members))
    assert resp.status_code == status and words in resp.json()["error"]["message"], resp.text
    assert _leftovers(settings) == []


def test_a_bomb_is_stopped_at_the_limit_not_at_its_claimed_size(service) -> None:
    client, heads, settings, _ = service
    bomb = bytearray(_zip({"bomb.pdf": b"\0" * (20 * LIMIT)}))
    assert len(bomb) < 200_000  # 40 MB of zeros in a small upload
    resp = _post_zip(client, heads["a"], bytes(bomb))
    assert resp.status_code == 413 and resp.json()["error"]["file"] == "bomb.pdf"


def test_not_a_zip_an_encrypted_or_a_corrupt_member_is_400(service) -> None:
    client, heads, _, _ = service
    assert _post_zip(client, heads["a"], b"%PDF-1.4 not a zip").status_code == 400
    sealed = bytearray(_zip({"a.pdf": b"%PDF-1.4 " * 100}))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # mark the member encrypted in both headers
        at = sealed.index(header) + (6 if header == b"PK\x03\x04" else 8)
        sealed[at] |= 0x1
    resp = _post_zip(client, heads["a"], bytes(sealed))
    assert resp.status_code == 400 and "encrypted" in resp.json()["error"]["message"]
    corrupt = bytearray(_zip({"a.pdf": b"%PDF-1.4 " * 1000}))
    corrupt[60:80] = b"\xff" * 20  # inside the compressed data
    bad = _post_zip(client, heads["a"], bytes(corrupt))
    assert bad.status_code == 400 and bad.json()["error"]["file"] == "a.pdf"


def test_nothing_to_verify_or_two_submission_jsons_is_400(service) -> None:
    client, heads, _, _ = service
    none = client.post("/v1/submissions", data={"x": "1"}, headers=heads["a"])
    assert none.status_code == 400 and "no documents" in none.json()["error"]["message"]
    both = client.post("/v1/submissions", headers=heads["a"], files=[
        ("archive", ("d.zip", _clean_zip(), "application/zip")),
        ("submission", ("s.json", _meta(), "application/json"))])
    assert both.status_code == 400 and "both" in both.json()["error"]["message"]


def test_another_bank_sees_nothing_and_a_reader_cannot_submit(service) -> None:
    client, heads, _, _ = service
    job = _post_zip(client, heads["a"], _clean_zip()).json()
    sid = job["submission_id"]
    for route in (f"/v1/submissions/{sid}", f"/v1/submissions/{sid}/report", f"/v1/jobs/{job['job_id']}"):
        assert client.get(route, headers=heads["b"]).status_code == 404, route
    refused = _post_zip(client, heads["a_reader"], _clean_zip())
    assert refused.status_code == 403


def test_an_idempotency_key_queues_one_submission(service) -> None:
    client, heads, _, ctx = service
    keyed = {"Idempotency-Key": "zip-1", **heads["a"]}
    first = _post_zip(client, keyed, _clean_zip()).json()
    again = _post_zip(client, keyed, _clean_zip()).json()
    assert first["job_id"] == again["job_id"] and first["submission_id"] == again["submission_id"]
    other = _post_zip(client, keyed, _zip({"a.pdf": b"%PDF-1.4"}))
    assert other.status_code == 409
