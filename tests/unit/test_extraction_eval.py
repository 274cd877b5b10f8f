"""Extraction evaluation: TP/FP/FN per field, P/R/F1 arithmetic, slices, MLflow, the CLI command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from tradeverify.config import Settings
from tradeverify.errors import InputError
from tradeverify_train.extraction.accuracy import field_counts, prf
from tradeverify_train.extraction.evaluation import (
    ARTIFACT,
    EXPERIMENT,
    evaluate_extraction,
    flat_metrics,
    log_to_mlflow,
    summarize,
)
from tradeverify_train.synth.generate import WorldConfig, generate_world

# --- one field -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("got", "want", "counts"),
    [
        ("INV-1", "INV-1", (1, 0, 0)),  # right
        ("INV-1", "INV-2", (0, 1, 1)),  # wrong: a FP and a FN
        ("INV-1", None, (0, 1, 0)),  # extracted, not in the truth
        (None, "INV-1", (0, 0, 1)),  # missed
        ("", "INV-1", (0, 0, 1)),  # an empty string is no value
        (None, None, (0, 0, 0)),
        (None, [], (0, 0, 0)),  # bulk cargo: no container list on either side
        ([], [], (0, 0, 0)),
        (1130600.0000001, 1130600.0, (1, 0, 0)),  # numbers to 1e-6 relative
        (1130602.0, 1130600.0, (0, 1, 1)),
        (["MSCU1", "MSCU2"], ["MSCU2", "MSCU1"], (0, 1, 1)),  # lists in order
        ([{"quantity": 2.0, "unit": "MT"}], [{"quantity": 2, "unit": "MT"}], (1, 0, 0)),
    ],
)
def test_field_counts(got: Any, want: Any, counts: tuple[int, int, int]) -> None:
    assert field_counts(got, want) == counts


@pytest.mark.parametrize(
    ("tp", "fp", "fn", "expected"),
    [
        (8, 2, 0, (0.8, 1.0, 16 / 18)),
        (3, 1, 2, (0.75, 0.6, 6 / 9)),  # harmonic mean 2PR/(P+R) = 2tp/(2tp+fp+fn)
        (5, 0, 0, (1.0, 1.0, 1.0)),
        (0, 0, 4, (None, 0.0, 0.0)),  # nothing extracted: precision undefined
        (0, 3, 0, (0.0, None, 0.0)),  # nothing to extract: recall undefined
        (0, 0, 0, (None, None, None)),
    ],
)
def test_prf(tp: int, fp: int, fn: int, expected: tuple[float | None, ...]) -> None:
    got = prf(tp, fp, fn)
    assert tuple(got) == ("precision", "recall", "f1")
    assert list(got.values()) == [pytest.approx(v) if v is not None else None for v in expected]


# --- hand-made world -------------------------------------------------------------------------------


def _truth(world: Path, sid: str, stem: str, doc_type: str, fields: dict[str, Any], *, scanned: bool = False,
           layout: str = "A", role: str | None = None) -> None:
    folder = world / "truth" / sid
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".png" if scanned else ".pdf"
    record = {"file": stem + suffix, "scanned": scanned, "doc_type": doc_type, "layout": layout,
              "contract_role": role, "fields": fields}
    (folder / f"{stem}.json").write_text(json.dumps(record))


def _doc(file: str, doc_type: str, fields: dict[str, Any], role: str | None = None) -> dict[str, Any]:
    return {"file": file, "doc_type": doc_type, "contract_role": role,
            "fields": {k: {"value": v, "raw": str(v), "confidence": 1.0} for k, v in fields.items()}}


@pytest.fixture()
def hand_made(tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    """Two submissions: digital S1 (B/L, contract), scanned S2 (B/L misread as an invoice, list missing)."""
    _truth(tmp_path, "S1", "bill_of_lading", "bill_of_lading",
           {"bl_number": "BL1", "vessel_name": "CAPE IRIS", "container_numbers": []})
    _truth(tmp_path, "S1", "sales_contract", "sales_contract",
           {"contract_number": "SC1", "quantity": 100.0}, layout="B", role="sales")
    _truth(tmp_path, "S2", "bill_of_lading", "bill_of_lading",
           {"bl_number": "BL2", "vessel_name": "NORD STAR"}, scanned=True, layout="B")
    _truth(tmp_path, "S2", "packing_list", "packing_list", {"invoice_number": "INV2"}, scanned=True)
    rows = [
        {"submission_id": "S1", "documents": [
            _doc("bill_of_lading.pdf", "bill_of_lading", {"bl_number": "BL1", "vessel_name": "CAPE IRIS",
                                                            "voyage_number": "057N"}),
            _doc("sales_contract.pdf", "sales_contract", {"contract_number": "SC1", "quantity": 99.0},
                 role="purchase"),
        ]},
        {"submission_id": "S2", "documents": [
            _doc("bill_of_lading.png", "commercial_invoice", {"bl_number": "BL2"}),
        ]},
    ]  # fmt: skip
    return tmp_path, rows


def test_summarize_counts_every_slice(hand_made: tuple[Path, list[dict[str, Any]]]) -> None:
    world, rows = hand_made
    kinds = summarize(world, rows)["kinds"]
    assert list(kinds) == ["digital", "scanned", "all"]
    bl = kinds["digital"]["doc_types"]["bill_of_lading"]
    # bl_number and vessel right, voyage_number not in the truth, bulk container list ignored
    assert {k: (v["tp"], v["fp"], v["fn"]) for k, v in bl["fields"].items()} == {
        "bl_number": (1, 0, 0), "vessel_name": (1, 0, 0), "voyage_number": (0, 1, 0)}
    contract = kinds["digital"]["doc_types"]["sales_contract"]["overall"]
    assert (contract["tp"], contract["fp"], contract["fn"]) == (1, 1, 1)
    assert contract["contract_role_accuracy"] == 0.0
    digital = kinds["digital"]["overall"]
    assert (digital["tp"], digital["fp"], digital["fn"], digital["documents"]) == (3, 2, 1, 2)
    assert digital["precision"] == pytest.approx(3 / 5) and digital["recall"] == pytest.approx(3 / 4)
    assert digital["f1"] == pytest.approx(6 / 9)
    scanned = kinds["scanned"]
    assert scanned["overall"]["doc_type_accuracy"] == 0.0  # misread type, and a missing document
    # Fields of the misread B/L count under its true type; the missing list's field is a FN.
    assert scanned["doc_types"]["bill_of_lading"]["fields"]["vessel_name"]["fn"] == 1
    assert scanned["doc_types"]["packing_list"]["fields"]["invoice_number"]["precision"] is None
    every = kinds["all"]["overall"]
    assert (every["tp"], every["fp"], every["fn"], every["documents"]) == (4, 2, 3, 4)
    assert {k: v["documents"] for k, v in kinds["all"]["layouts"].items()} == {"A": 2, "B": 2}
    assert kinds["all"]["doc_types"]["bill_of_lading"]["layouts"]["B"]["tp"] == 1


def test_flat_metric_names(hand_made: tuple[Path, list[dict[str, Any]]]) -> None:
    metrics = flat_metrics(summarize(*hand_made))
    assert metrics["f1_digital_all"] == pytest.approx(6 / 9)
    assert metrics["recall_scanned_bill_of_lading_bl_number"] == 1.0
    assert metrics["doc_type_accuracy_scanned_all"] == 0.0
    assert metrics["f1_all_layout_A"] == pytest.approx(4 / 6)  # S1 B/L (2, 1, 0) + S2 list (0, 0, 1)
    assert metrics["f1_all_layout_B"] == pytest.approx(4 / 7)  # S1 contract (1, 1, 1) + S2 B/L (1, 0, 1)
    assert "precision_scanned_packing_list_invoice_number" not in metrics  # undefined: left out
    assert all(isinstance(v, float) for v in metrics.values())


def test_not_a_world(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no submissions/ folder"):
        evaluate_extraction(tmp_path, Settings())


# --- a tiny generated world, end to end -----------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    world = tmp_path_factory.mktemp("extraction_world")
    generate_world(world, WorldConfig(n=3, seed=4242, fraud_rate=0.0, scanned_rate=0.0))
    return world


def test_generated_world_end_to_end(tiny_world: Path) -> None:
    result = evaluate_extraction(tiny_world, Settings(workers=2), fresh=True)
    assert list(result["kinds"]) == ["digital", "all"] and not result["cache_reused"]
    overall = result["kinds"]["digital"]["overall"]
    assert overall["documents"] == 15 and overall["doc_type_accuracy"] == 1.0
    truths = [json.loads(p.read_text()) for p in (tiny_world / "truth").rglob("*.json")]
    values = sum(1 for t in truths for v in t["fields"].values() if v not in (None, "", []))
    assert overall["tp"] + overall["fn"] == values  # every truth value counted once
    assert overall["f1"] > 0.9
    per_type = result["kinds"]["digital"]["doc_types"]
    assert set(per_type) == {"bill_of_lading", "commercial_invoice", "packing_list", "sales_contract"}
    assert sum(t["overall"]["documents"] for t in per_type.values()) == 15
    assert (tiny_world / "extracted.jsonl").is_file()  # cached beside the world
    assert evaluate_extraction(tiny_world, Settings()) == {**result, "cache_reused": True}


def test_log_to_mlflow(tiny_world: Path, tmp_path: Path) -> None:
    from mlflow.tracking import MlflowClient

    result = evaluate_extraction(tiny_world, Settings())
    settings = Settings(mlflow_tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    run_id = log_to_mlflow(result, settings)
    client = MlflowClient(settings.tracking_uri())
    run = client.get_run(run_id)
    assert client.get_experiment(run.info.experiment_id).name == EXPERIMENT
    assert run.data.metrics == pytest.approx(flat_metrics(result))
    assert "f1_digital_bill_of_lading_bl_number" in run.data.metrics
    assert [a.path for a in client.list_artifacts(run_id)] == [ARTIFACT]


def test_cli_command(tiny_world: Path) -> None:
    from tradeverify_train.cli_extraction import evaluate_extraction_cmd

    app = typer.Typer()
    app.command("evaluate-extraction")(evaluate_extraction_cmd)
    app.command("noop")(lambda: None)  # two commands: the name is required, as in the real CLI
    runner = CliRunner()
    as_json = runner.invoke(app, ["evaluate-extraction", str(tiny_world), "--json", "--no-mlflow"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["kinds"]["digital"]["overall"]["documents"] == 15
    table = runner.invoke(app, ["evaluate-extraction", str(tiny_world)])
    assert table.exit_code == 0
    for heading in ("overall", "per document type", "worst fields", "digital bill_of_lading"):
        assert heading in table.stdout
    worst = table.stdout.split("worst fields")[1].strip().splitlines()[1:]
    assert len(worst) == 10


def test_a_field_the_truth_never_annotated_is_not_scored() -> None:
    """A receipt dataset's key has no items: reading them is neither right nor wrong."""
    from tradeverify.domain import DocumentResult, ExtractedField
    from tradeverify_train.extraction.golden import golden_outcome

    result = DocumentResult(file="r.jpg", doc_type="commercial_invoice", fields={
        "total_amount": ExtractedField(value=22.0, raw="22.00", confidence=1.0),
        "line_items": ExtractedField(value=[{"amount": 6.0}], raw="6.00", confidence=1.0)})
    truth = {"doc_type": "commercial_invoice", "fields": {"total_amount": 22.0}}
    assert golden_outcome(result, truth, "r").fields["line_items"] == (0, 1, 0)
    outcome = golden_outcome(result, {**truth, "unannotated": ["line_items"]}, "r")
    assert set(outcome.fields) == {"total_amount"}
