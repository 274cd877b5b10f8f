"""Rebuild data_samples/ from a seeded world and the packaged model.

Picks, in world order, the first submission of each kind that the packaged model gets right,
copies it with the world's reference tables, and writes its expected.json from ground truth.
Run after `make model`:  .venv/bin/python training/make_samples.py
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from tradeverify.config import get_settings
from tradeverify.domain import RiskReport
from tradeverify.pipeline import Engine, verify_submission
from tradeverify_train.synth.generate import WorldConfig, generate_world

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data_samples"
WORLD = ROOT / "out" / "worlds" / "samples-s4242"
KEY_FIELDS = {
    "commercial_invoice": ("invoice_number", "invoice_date", "total_amount", "currency", "seller_name"),
    "bill_of_lading": ("bl_number", "vessel_name", "imo_number", "port_of_loading",
                       "port_of_discharge", "container_numbers"),
}
Label = dict[str, str]
WANTED: dict[str, Callable[[Label], bool]] = {
    "clean_digital": lambda r: r["is_fraud"] == "0" and r["scanned"] == "0" and not r["lookalike"],
    "clean_scanned": lambda r: r["is_fraud"] == "0" and r["scanned"] == "1",
    "fraud_vessel_not_at_port": lambda r: r["typology"] == "VESSEL_NOT_AT_PORT" and r["scanned"] == "0",
    "fraud_duplicate_document": lambda r: r["typology"] == "DUPLICATE_DOCUMENT" and r["scanned"] == "0",
    "fraud_price_deviation": lambda r: r["typology"] == "PRICE_DEVIATION" and r["scanned"] == "0",
    "fraud_watchlist_hit": lambda r: r["typology"] == "WATCHLIST_HIT" and r["scanned"] == "0",
    "fraud_container_invalid": lambda r: r["typology"] == "CONTAINER_INVALID" and r["scanned"] == "0",
    "fraud_voyage_implausible": lambda r: r["typology"] == "VOYAGE_IMPLAUSIBLE" and r["scanned"] == "0",
    "fraud_route_risk": lambda r: r["typology"] == "ROUTE_RISK" and r["scanned"] == "0",
    "fraud_circular_trade": lambda r: r["typology"] == "CIRCULAR_TRADE" and r["scanned"] == "0",
    "fraud_template_clone": lambda r: r["typology"] == "TEMPLATE_CLONE" and r["scanned"] == "0",
    "clean_processing": lambda r: r["is_fraud"] == "0" and r["scanned"] == "0"
    and r["trade_model"] == "entrusted_processing",
}


# Samples that must show their hard rule firing, not only the model's reason.
HARD_RULE_SAMPLES = {"fraud_duplicate_document", "fraud_watchlist_hit", "fraud_container_invalid"}


def _right(name: str, report: RiskReport, label: Label) -> bool:
    score = report.risk.score or 0.0
    if label["is_fraud"] == "0":
        return score < 0.3 and not report.red_flags and report.status == "scored"
    flags = {f.code for f in report.red_flags}
    if name in HARD_RULE_SAMPLES and label["typology"] not in flags:
        return False
    return score > 0.7 and label["typology"] in flags | {r.code for r in report.reasons}


def _expected(label: Label, report: RiskReport, truth: Path) -> dict[str, object]:
    fields = {}
    for stem, names in KEY_FIELDS.items():
        data = json.loads((truth / f"{stem}.json").read_text())
        fields[stem] = {"file": data["file"], **{n: data["fields"][n] for n in names}}
    return {"band": "high" if label["is_fraud"] == "1" else "low",
            "typology": label["typology"] or None,
            "red_flags": sorted({f.code for f in report.red_flags}),
            "expected_codes": [label["typology"]] if label["typology"] else [],
            "fields": fields}


def main() -> None:
    """Generate the sample world, pick the samples and write data_samples/."""
    if not (WORLD / "labels.csv").exists():
        generate_world(WORLD, WorldConfig(n=160, seed=4242, fraud_rate=0.6, scanned_rate=0.15))
    engine = Engine.load(get_settings(), WORLD / "reference")
    labels = list(csv.DictReader((WORLD / "labels.csv").open()))
    shutil.rmtree(SAMPLES, ignore_errors=True)
    shutil.copytree(WORLD / "reference", SAMPLES / "reference", ignore=shutil.ignore_patterns(".*"))
    for name, wanted in WANTED.items():
        for label in filter(wanted, labels):
            sid = label["submission_id"]
            report = verify_submission(WORLD / "submissions" / sid, engine)
            if _right(name, report, label):
                shutil.copytree(WORLD / "submissions" / sid, SAMPLES / "submissions" / name)
                expected = _expected(label, report, WORLD / "truth" / sid)
                (SAMPLES / "expected").mkdir(exist_ok=True)
                (SAMPLES / "expected" / f"{name}.json").write_text(json.dumps(expected, indent=1) + "\n")
                print(f"{name}: {sid} score={report.risk.score} flags={expected['red_flags']}")
                break
        else:
            print(f"{name}: no submission of this kind is scored right by the packaged model")


if __name__ == "__main__":
    main()
