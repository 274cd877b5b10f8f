"""The CLI end to end, in-process: output, files and exit codes."""

import csv
import json
from pathlib import Path

import pytest

from tradeverify.cli import main

from ..conftest import SAMPLES


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out = capsys.readouterr()
    return int(exit_info.value.code or 0), out.out, out.err


def test_verify_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["verify", str(SAMPLES / "submissions" / "clean_digital"), "--json"], capsys)
    report = json.loads(out)
    assert code == 0
    assert report["status"] == "scored" and report["risk"]["band"] == "low"
    assert {"reasons", "red_flags", "checks", "documents", "errors", "timings_ms"} <= set(report)


def test_verify_text_names_red_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["verify", str(SAMPLES / "submissions" / "fraud_container_invalid")], capsys)
    assert code == 0
    assert "RED FLAG CONTAINER_INVALID" in out and "(high)" in out
    code, out, _ = run(["verify", str(SAMPLES / "submissions" / "fraud_vessel_not_at_port")], capsys)
    assert "reason VESSEL_NOT_AT_PORT" in out and "has no recorded call at" in out


def test_extract_json(capsys: pytest.CaptureFixture[str]) -> None:
    expected = json.loads((SAMPLES / "expected" / "clean_digital.json").read_text())["fields"]
    inv = expected["commercial_invoice"]
    path = SAMPLES / "submissions" / "clean_digital" / inv["file"]
    code, out, _ = run(["extract", str(path), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["doc_type"] == "commercial_invoice"
    assert data["fields"]["invoice_number"]["value"] == inv["invoice_number"]
    assert set(data["fields"]["total_amount"]) >= {"value", "raw", "confidence", "page", "bbox"}


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_batch(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    out_file, reports = tmp_path / f"rows{suffix}", tmp_path / "reports"
    code, out, _ = run(["batch", str(SAMPLES / "submissions"), "--out", str(out_file),
                        "--reports-dir", str(reports)], capsys)
    assert code == 0
    names = sorted(p.name for p in (SAMPLES / "submissions").iterdir())
    if suffix == ".csv":
        rows = list(csv.DictReader(out_file.open()))
    else:
        rows = [json.loads(line) for line in out_file.read_text().splitlines()]
    metas = [json.loads((SAMPLES / "submissions" / n / "submission.json").read_text()) for n in names]
    assert sorted(r["submission_id"] for r in rows) == sorted(m["submission_id"] for m in metas)
    assert all(r["status"] == "scored" and r["band"] in ("low", "high") for r in rows)
    assert len(list(reports.glob("*.json"))) == len(names)
    assert "submission_id" in out and "band" in out  # the summary table


def test_batch_resume_skips_done(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "rows.csv"
    run(["batch", str(SAMPLES / "submissions"), "--out", str(out_file)], capsys)
    first = out_file.read_text()
    kept = first.splitlines()[:2]  # header + one row: as if the batch stopped after one
    out_file.write_text("\n".join(kept) + "\n")
    code, out, _ = run(["batch", str(SAMPLES / "submissions"), "--out", str(out_file), "--resume"], capsys)
    assert code == 0
    rows = list(csv.DictReader(out_file.open()))
    assert sorted(r["submission_id"] for r in rows) == sorted(r["submission_id"] for r in
                                                             csv.DictReader(first.splitlines()))
    assert out.count("\nS4242") == len(rows) - 1  # the summary lists only what ran now


def test_missing_submission_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["verify", "/nonexistent/sub"], capsys)
    assert code == 2 and "submission folder not found" in err and "Traceback" not in err + out


def test_unknown_trade_model_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    source = SAMPLES / "submissions" / "clean_digital"
    for f in source.iterdir():
        (sub / f.name).write_bytes(f.read_bytes())
    meta = json.loads((sub / "submission.json").read_text())
    (sub / "submission.json").write_text(json.dumps({**meta, "trade_model": "offshore_reslae"}))
    code, out, err = run(["verify", str(sub)], capsys)
    assert code == 2 and "unknown trade_model 'offshore_reslae'" in err and "entrusted_processing" in err


def test_nothing_scored_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4 broken")
    code, out, _ = run(["verify", str(tmp_path)], capsys)
    assert code == 3 and "failed" in out


def test_verify_writes_a_printable_report_with_its_pages(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    code, _, err = run(["verify", str(SAMPLES / "submissions" / "clean_scanned"), "--html", str(out)], capsys)
    html = out.read_text()
    assert code == 0 and "printable report written" in err
    assert html.count('src="data:image/png;base64,') == 5  # every page of the five documents
    assert "S4242-000032" in html and "Checks against reference data" in html and "<script" not in html


def test_bad_reference_exit_4(capsys: pytest.CaptureFixture[str]) -> None:
    sub = SAMPLES / "submissions" / "clean_digital"
    code, _, err = run(["verify", str(sub), "--reference", "/nope"], capsys)
    assert code == 4 and "reference folder not found" in err


def test_production_refuses_the_demo_registry_key(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from tradeverify.config import Settings, get_settings
    monkeypatch.setenv("TRADEVERIFY_DEPLOYMENT", "production")
    get_settings.cache_clear()
    try:
        code, _, err = run(["verify", str(SAMPLES / "submissions" / "clean_digital")], capsys)
    finally:
        get_settings.cache_clear()
    assert code == 6 and "demo key" in err
    Settings(deployment="production", registry_key="consortium-secret").check_deployment()


def test_synth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["synth", "--out", str(tmp_path / "w"), "--n", "3", "--seed", "5",
                        "--scanned-rate", "0"], capsys)
    assert code == 0 and "wrote 3 submissions" in out
    assert len(list((tmp_path / "w" / "submissions").iterdir())) == 3


@pytest.mark.parametrize(("rate", "expect_any"), [(0.0, False), (1.0, True)])
def test_synth_lookalike_rate(tmp_path: Path, capsys: pytest.CaptureFixture[str], rate: float,
                              expect_any: bool) -> None:
    code, _, _ = run(["synth", "--out", str(tmp_path / "w"), "--n", "6", "--seed", "5", "--fraud-rate", "0",
                      "--scanned-rate", "0", "--lookalike-rate", str(rate)], capsys)
    with (tmp_path / "w" / "labels.csv").open(newline="") as fh:
        lookalikes = [r["lookalike"] for r in csv.DictReader(fh)]
    assert code == 0 and len(lookalikes) == 6
    assert any(lookalikes) is expect_any


def test_reference_load_needs_explicit_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "wl.csv"
    feed.write_text("kind,value,list\nentity,Example Shell FZE,sanctions\n")
    code, _, err = run(["reference", "load", "watchlists", str(feed)], capsys)
    assert code == 2 and "--reference" in err  # never overwrites the shipped samples by default
    (tmp_path / "ref").mkdir()
    code, out, _ = run(["reference", "load", "watchlists", str(feed), "--reference", str(tmp_path / "ref")],
                       capsys)
    assert code == 0 and "loaded 1 rows into watchlists" in out


def test_evaluate_reports_model_rules_and_trade_models(small_world: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["evaluate", "--world", str(small_world), "--json"], capsys)
    result = json.loads(out)
    assert code == 0 and 0 <= result["pr_auc"] <= 1
    labels = list(csv.DictReader((small_world / "labels.csv").open()))
    models = result["by_trade_model"]
    assert sum(m["n"] for m in models.values()) == len(labels)
    assert {m: v["n_fraud"] for m, v in models.items()} == {
        m: sum(r["is_fraud"] == "1" for r in labels if r["trade_model"] == m) for m in models}
    routes = result["by_route"]
    assert {k: v["n"] for k, v in routes.items() if v["n"]} == {
        k: n for k, n in (("scanned", sum(r["scanned"] == "1" for r in labels)),
                          ("digital", sum(r["scanned"] == "0" for r in labels))) if n}
    assert sum(v["n"] for v in result["by_unknown_features"].values()) == len(labels)
    # A hard red flag can only raise a submission to the high band, never lower it.
    for key, value in result.items():
        if key.startswith("recall_high_"):
            assert result["with_rules"][key] >= value


def test_rates_by_group() -> None:
    import numpy as np

    from tradeverify_train.evaluation import by_group, unknown_buckets

    y = np.array([1, 1, 0, 0, 0, 1, 0])
    p = np.array([0.9, 0.2, 0.8, 0.1, 0.1, 0.95, 0.05])
    models = ["offshore_resale"] * 5 + ["entrusted_processing"] * 2
    got = by_group(y, p, models, 0.7)
    # offshore ranked 0.9 fraud, 0.8 honest, 0.2 fraud: precision 1 then 2/3 -> AP (1 + 2/3) / 2
    assert got["offshore_resale"] == {"n": 5, "n_fraud": 2, "pr_auc": pytest.approx(5 / 6),
                                      "recall_high": 0.5, "fpr_high": 1 / 3}
    assert got["entrusted_processing"] == {"n": 2, "n_fraud": 1, "pr_auc": 1.0, "recall_high": 1.0,
                                           "fpr_high": 0.0}
    x = np.array([[0.0, 1.0], [np.nan, 1.0], [np.nan, np.nan]])
    assert unknown_buckets(x) == ["0", "1-3", "1-3"]
    assert unknown_buckets(np.full((1, 12), np.nan)) == ["9+"]


def test_keys_create_list_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from tradeverify.config import get_settings
    from tradeverify.service.keys import KeyStore

    monkeypatch.setattr(get_settings(), "service_db", tmp_path / "service.sqlite")
    code, out, err = run(["keys", "create", "--bank", "BANKA", "--role", "reader", "--name", "erp"], capsys)
    token = out.strip()
    assert code == 0 and token.startswith("tv_") and "cannot be shown again" in err
    store = KeyStore.at(tmp_path / "service.sqlite")
    assert store.authenticate(token).bank_id == "BANKA"
    assert token.split("_", 2)[2] not in (tmp_path / "service.sqlite").read_bytes().decode("latin-1")
    key_id = token.split("_")[1]
    code, out, _ = run(["keys", "list", "--bank", "BANKA"], capsys)
    assert code == 0 and key_id in out and "reader" in out and "active" in out
    assert run(["keys", "revoke", key_id], capsys)[0] == 0
    assert "revoked" in run(["keys", "list"], capsys)[1]
    assert run(["keys", "revoke", key_id], capsys)[0] == 2  # no longer active
    assert run(["keys", "create", "--bank", "BANK A;drop", "--role", "reader"], capsys)[0] == 2


def test_spark_engine_without_java_is_a_clear_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tradeverify.spark_batch as spark_batch

    monkeypatch.setattr(spark_batch.shutil, "which", lambda name: None)
    code, _, err = run(["batch", str(SAMPLES / "submissions"), "--out", str(tmp_path / "r.csv"),
                        "--engine", "spark"], capsys)
    assert code == 6 and "needs Java 17" in err and "default-jre-headless" in err
