"""The review desk through the app: sign-in, sessions and CSRF, the queue, a decision and its trail,
four eyes, page images, the printable report, and another bank's submission never shown."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tradeverify.config import Settings
from tradeverify.service.app import create_app
from tradeverify.service.keys import KeyStore
from tradeverify.service.officers import MAX_FAILURES, OfficerStore

from ..conftest import SAMPLES

FRAUD = SAMPLES / "submissions" / "fraud_vessel_not_at_port"
CLEAN = SAMPLES / "submissions" / "clean_digital"
PASSWORD = "a-long-desk-password"


def _verify(client: TestClient, token: str, folder: Path) -> str:
    body = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(folder.glob("*.pdf"))]
    meta = {k: v for k, v in json.loads((folder / "submission.json").read_text()).items() if k != "bank_id"}
    body.append(("submission", ("submission.json", json.dumps(meta).encode(), "application/json")))
    resp = client.post("/v1/verify", files=body, headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["submission_id"])


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, username: str, bank: str = "BANK002", password: str = PASSWORD):  # noqa: ANN201
    page = client.get("/desk/login")
    return client.post("/desk/login", data={"bank": bank, "username": username, "password": password,
                                            "csrf": _csrf(page.text), "next": "/desk"})


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, engine):  # noqa: ANN201 - the verified samples
    """Two banks' submissions verified once for the module: (work dir, keys, ids)."""
    work = tmp_path_factory.mktemp("desk")
    settings = Settings(work_dir=work, registry_path=work / "registry.sqlite", desk_secure_cookies=False)
    keys = KeyStore.at(work / "service.sqlite")
    officers = OfficerStore(keys.url)
    for bank, name in (("BANK002", "alice"), ("BANK002", "bob"), ("BANKB", "eve")):
        officers.add(bank, name, PASSWORD, name.title())
    with TestClient(create_app(settings, engine, keys)) as client:
        ids = {"fraud": _verify(client, keys.create("BANK002")[1], FRAUD),
               "clean": _verify(client, keys.create("BANK002")[1], CLEAN),
               "theirs": _verify(client, keys.create("BANKB")[1], CLEAN)}
    return work, keys, ids


def _client(stored, engine, **settings_: object) -> TestClient:
    work, keys, _ = stored
    settings = Settings(work_dir=work, registry_path=work / "registry.sqlite", desk_secure_cookies=False,
                        **settings_)
    return TestClient(create_app(settings, engine, keys))


@pytest.fixture()
def desk(stored, engine):  # noqa: ANN201 - (client, ids)
    with _client(stored, engine) as client:
        yield client, stored[2]


def test_the_desk_asks_for_sign_in_and_keeps_the_page_asked_for(desk) -> None:
    client, ids = desk
    resp = client.get(f"/desk/submissions/{ids['fraud']}", follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == f"/desk/login?next=/desk/submissions/{ids['fraud']}"
    assert client.get("/desk/audit", follow_redirects=False).status_code == 303


def test_sign_in_sets_a_strict_http_only_cookie_and_a_wrong_password_is_refused(desk) -> None:
    client, _ = desk
    wrong = sign_in(client, "alice", password="not-the-password")
    assert wrong.status_code == 401 and "wrong bank, user name or password" in wrong.text
    other_bank = sign_in(client, "alice", bank="BANKB")
    assert other_bank.status_code == 401  # officers belong to one bank
    resp = sign_in(client, "alice")
    assert resp.status_code == 200 and "Submissions of BANK002" in resp.text
    cookie = next(h for h in resp.history[0].headers.get_list("set-cookie") if h.startswith("tv_desk="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/desk" in cookie


def test_sign_in_without_the_forms_token_is_refused(desk) -> None:
    client, _ = desk
    resp = client.post("/desk/login", data={"bank": "BANK002", "username": "alice", "password": PASSWORD,
                                            "csrf": "forged"})
    assert resp.status_code == 403 and "tv_desk=" not in resp.headers.get("set-cookie", "")


def test_repeated_wrong_passwords_lock_the_account(stored, engine, tmp_path: Path) -> None:
    officers = OfficerStore(stored[1].url)
    officers.add("BANK002", "mallory", PASSWORD)
    with _client(stored, engine) as client:
        for _ in range(MAX_FAILURES):
            assert sign_in(client, "mallory", password="guess-guess-guess").status_code == 401
        assert sign_in(client, "mallory").status_code == 401  # locked: the right password fails too


def test_the_queue_lists_the_banks_own_riskiest_first_and_filters(desk) -> None:
    client, ids = desk
    sign_in(client, "alice")
    page = client.get("/desk").text
    listed = re.findall(r'href="/desk/submissions/([^"]+)"', page)
    assert listed == [ids["fraud"], ids["clean"]]  # high before low; bank B's never
    assert 'band-high">high: 1<' in page and 'band-low">low: 1<' in page
    high = client.get("/desk?band=high").text
    assert re.findall(r'href="/desk/submissions/([^"]+)"', high) == [ids["fraud"]]
    assert client.get("/desk?band=severe").status_code == 400
    assert client.get("/desk?until=2000-01-01").text.count('href="/desk/submissions/') == 0


def test_another_banks_submission_and_pages_are_not_found(desk) -> None:
    client, ids = desk
    sign_in(client, "alice")
    assert client.get(f"/desk/submissions/{ids['theirs']}").status_code == 404
    assert client.get(f"/desk/submissions/{ids['theirs']}/documents/1/pages/1.png").status_code == 404
    assert client.get(f"/desk/submissions/{ids['theirs']}/report.html").status_code == 404


def test_the_submission_page_draws_each_field_at_its_box_over_a_rendered_page(desk) -> None:
    client, ids = desk
    sign_in(client, "alice")
    resp = client.get(f"/desk/submissions/{ids['fraud']}")
    assert resp.status_code == 200
    assert "default-src 'none'" in resp.headers["content-security-policy"]
    assert "VESSEL_NOT_AT_PORT" in resp.text  # the reason, with its evidence sentence
    boxes = re.findall(r'class="box (conf-\w+)" href="#(f-\d+-\w+)"', resp.text)
    assert len(boxes) > 20 and all(f'id="{target}"' in resp.text for _, target in boxes)
    images = re.findall(r'src="(/desk/submissions/[^"]+\.png)"', resp.text)
    assert len(images) == 5
    png = client.get(images[0])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(images[0].replace("/pages/1.png", "/pages/9.png")).status_code == 404
    assert "Port calls of UNITY STAR" in resp.text  # the reference facts the check cites


def test_a_decision_with_a_correction_is_recorded_in_the_trail(desk, stored) -> None:
    client, ids = desk
    page = sign_in(client, "alice")
    sid = ids["fraud"]
    form = client.get(f"/desk/submissions/{sid}").text
    resp = client.post(f"/desk/submissions/{sid}/decisions", data={
        "csrf": _csrf(form), "outcome": "confirm_fraud", "typology": "VESSEL_NOT_AT_PORT",
        "comment": "the vessel was elsewhere", "correction_field_0": "02-packing_list.pdf|gross_weight_kg",
        "correction_value_0": "26,120"})
    assert resp.status_code == 200 and "decision recorded" in resp.text
    assert 'id="review-state">confirmed fraud<' in resp.text
    audit = client.get("/desk/audit").text
    assert "decide" in audit and sid in audit and "the vessel was elsewhere" in audit
    assert "Chain intact" in audit
    assert page.status_code == 200
    row = client.app.state.decisions.of_submission("BANK002", sid)[-1]  # type: ignore[attr-defined]
    assert row["username"] == "alice" and row["state"] == "final"
    assert row["corrections"] == [{"file": "02-packing_list.pdf", "field": "gross_weight_kg",
                                   "value": "26,120", "was": row["corrections"][0]["was"],
                                   "normalized": 26120.0}]


@pytest.mark.parametrize(("data", "status"), [
    ({"outcome": "confirm_fraud"}, 400),  # no typology
    ({"outcome": "clear", "typology": "PRICE_DEVIATION"}, 400),
    ({"outcome": "approve"}, 400),
    ({"outcome": "clear", "correction_field_0": "00-bill_of_lading.pdf|invoice_total",
      "correction_value_0": "1"}, 400),
    ({"outcome": "clear", "correction_field_0": "02-packing_list.pdf|gross_weight_kg",
      "correction_value_0": "heavy"}, 400),  # a typo never becomes a training example
])
def test_a_decision_the_submission_cannot_take_is_refused_and_not_recorded(desk, data, status) -> None:
    client, ids = desk
    sign_in(client, "alice")
    sid = ids["clean"]
    csrf = _csrf(client.get(f"/desk/submissions/{sid}").text)
    before = len(client.app.state.decisions.of_submission("BANK002", sid))  # type: ignore[attr-defined]
    resp = client.post(f"/desk/submissions/{sid}/decisions", data={"csrf": csrf, **data})
    assert resp.status_code == status
    assert len(client.app.state.decisions.of_submission("BANK002", sid)) == before  # type: ignore[attr-defined]


def test_a_post_without_the_sessions_token_is_refused(desk) -> None:
    client, ids = desk
    sign_in(client, "alice")
    resp = client.post(f"/desk/submissions/{ids['clean']}/decisions", data={"outcome": "clear", "csrf": "x"})
    assert resp.status_code == 403
    assert client.post("/desk/logout", data={}).status_code == 403


def test_four_eyes_needs_a_second_officer_who_is_not_the_first(stored, engine) -> None:
    sid = stored[2]["clean"]
    with _client(stored, engine, desk_four_eyes=True) as client:
        sign_in(client, "alice")
        csrf = _csrf(client.get(f"/desk/submissions/{sid}").text)
        page = client.post(f"/desk/submissions/{sid}/decisions", data={"csrf": csrf, "outcome": "clear"}).text
        assert 'id="review-state">awaiting second<' in page
        decision = client.app.state.decisions.of_submission("BANK002", sid)[-1]  # type: ignore[attr-defined]
        again = client.post(f"/desk/submissions/{sid}/decisions", data={"csrf": csrf, "outcome": "escalate"})
        assert again.status_code == 409  # one decision at a time
        self_confirm = client.post(f"/desk/decisions/{decision['decision_id']}/confirm", data={"csrf": csrf})
        assert self_confirm.status_code == 403
    with _client(stored, engine, desk_four_eyes=True) as client:
        sign_in(client, "bob")
        csrf = _csrf(client.get(f"/desk/submissions/{sid}").text)
        done = client.post(f"/desk/decisions/{decision['decision_id']}/confirm", data={"csrf": csrf})
        assert done.status_code == 200 and 'id="review-state">cleared<' in done.text
        assert "confirmed by bob" in done.text
        trail = client.app.state.audit.entries("BANK002")  # type: ignore[attr-defined]
        confirmed = next(e for e in reversed(trail) if e["action"] == "confirm_decision")
        assert json.loads(confirmed["details"]) == {"decision_id": decision["decision_id"], "officer": "bob",
                                                    "outcome": "clear"}


def test_signing_out_or_disabling_the_officer_ends_the_session(stored, engine) -> None:
    officers = OfficerStore(stored[1].url)
    officers.add("BANK002", "carol", PASSWORD)
    with _client(stored, engine) as client:
        page = sign_in(client, "carol")
        assert client.post("/desk/logout", data={"csrf": _csrf(page.text)}).status_code == 200
        assert client.get("/desk", follow_redirects=False).status_code == 303
        sign_in(client, "carol")
        officers.disable("BANK002", "carol")
        assert client.get("/desk", follow_redirects=False).status_code == 303


def test_the_printable_report_is_one_file_with_its_pages_and_decisions(desk) -> None:
    client, ids = desk
    sign_in(client, "alice")
    resp = client.get(f"/desk/submissions/{ids['fraud']}/report.html")
    assert resp.status_code == 200 and "attachment" in resp.headers["content-disposition"]
    assert resp.text.count('src="data:image/png;base64,') == 5 and "/desk/" not in resp.text
    assert "<script" not in resp.text


def test_an_officer_uploads_a_submission_and_lands_on_it(desk) -> None:
    client, _ = desk
    page = sign_in(client, "bob")
    files = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(CLEAN.glob("*.pdf"))]
    resp = client.post("/desk/upload", files=files, data={
        "csrf": _csrf(page.text), "trade_model": "offshore_resale", "applicant": "Shenzhen Lumen Industries",
        "client_reference": "DESK-UPLOAD-1"})
    assert resp.status_code == 200 and "Submission DESK-UPLOAD-1" in resp.text
    assert resp.history[0].headers["location"].startswith("/desk/submissions/api-")


def test_decisions_export_as_labelled_rows_with_the_scored_features(desk, stored, monkeypatch,
                                                                    capsys) -> None:
    from tradeverify.cli import main
    from tradeverify.config import get_settings
    from tradeverify.features.spec import FEATURE_NAMES, FEATURE_VERSION

    client, ids = desk
    sign_in(client, "alice")
    sid = ids["fraud"]
    csrf = _csrf(client.get(f"/desk/submissions/{sid}").text)
    client.post(f"/desk/submissions/{sid}/decisions", data={
        "csrf": csrf, "outcome": "confirm_fraud", "typology": "VESSEL_NOT_AT_PORT", "comment": "export",
        "correction_field_0": "00-bill_of_lading.pdf|vessel_name", "correction_value_0": "UNITY STAR"})
    out = stored[0] / "feedback.jsonl"
    monkeypatch.setenv("TRADEVERIFY_WORK_DIR", str(stored[0]))
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as done:
            main(["feedback", "export", "--out", str(out), "--bank", "BANK002",
                  "--documents", str(stored[0] / "corrections")])
    finally:
        get_settings.cache_clear()
    assert done.value.code == 0 and "confirmed fraud" in capsys.readouterr().out
    rows = {r["submission_id"]: r for r in map(json.loads, out.read_text().splitlines())}
    row = rows[sid]
    assert (row["label"], row["typology"], row["officer"]) == (1, "VESSEL_NOT_AT_PORT", "alice")
    assert row["feature_version"] == FEATURE_VERSION and sorted(row["features"]) == sorted(FEATURE_NAMES)
    assert row["corrections"][0]["field"] == "vessel_name" and row["band"] == "high"
    assert ids["theirs"] not in rows  # another bank's decisions are not this bank's export
    truth = json.loads((stored[0] / "corrections" / f"{sid}__00-bill_of_lading.json").read_text())
    assert truth["fields"] == {"vessel_name": "UNITY STAR"} and "bl_number" in truth["unannotated"]
    kept = (stored[0] / "corrections" / f"{sid}__00-bill_of_lading.pdf").read_bytes()
    assert kept == (FRAUD / "bill_of_lading.pdf").read_bytes()
