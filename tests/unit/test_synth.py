import csv
import hashlib
import json
from pathlib import Path

import pytest
from stdnum import iso6346

from tradeverify.match.vessel import imo_valid
from tradeverify_train.synth.generate import WorldConfig, generate_world
from tradeverify_train.synth.typologies import TYPOLOGIES


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    cfg = WorldConfig(n=6, seed=7, fraud_rate=0.5, scanned_rate=0.34)
    generate_world(tmp_path / "a", cfg)
    generate_world(tmp_path / "b", cfg)
    generate_world(tmp_path / "c", WorldConfig(n=6, seed=8, fraud_rate=0.5, scanned_rate=0.34))
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_world_layout_and_labels(small_world: Path) -> None:
    rows = list(csv.DictReader((small_world / "labels.csv").open()))
    assert len(rows) == 40
    found = {r["typology"] for r in rows if r["is_fraud"] == "1"}
    assert found <= set(TYPOLOGIES) and len(found) >= 6
    assert all(r["typology"] == "" for r in rows if r["is_fraud"] == "0")
    sub = small_world / "submissions" / rows[0]["submission_id"]
    assert sorted(p.name for p in sub.iterdir()) == [
        "bill_of_lading.pdf", "commercial_invoice.pdf", "packing_list.pdf",
        "purchase_contract.pdf", "sales_contract.pdf", "submission.json"]
    for table in ("ports", "vessels", "port_calls", "container_events", "customs_declarations",
                  "price_benchmarks", "companies", "watchlists", "document_registry"):
        assert (small_world / "reference" / f"{table}.csv").stat().st_size > 0


def test_identifiers_are_valid(small_world: Path) -> None:
    vessels = list(csv.DictReader((small_world / "reference" / "vessels.csv").open()))
    assert vessels and all(imo_valid(v["imo"]) for v in vessels)
    labels = {r["submission_id"]: r["typology"] for r in csv.DictReader((small_world / "labels.csv").open())}
    checked = 0
    for truth in (small_world / "truth").rglob("bill_of_lading.json"):
        if labels[truth.parent.name] == "CONTAINER_INVALID":
            continue  # forged on purpose
        fields = json.loads(truth.read_text())["fields"]
        assert all(iso6346.is_valid(c) for c in fields["container_numbers"])
        checked += len(fields["container_numbers"])
    assert checked > 0


def test_port_calls_follow_sea_distance_and_speed(small_world: Path) -> None:
    from datetime import datetime

    from tradeverify.reference.sea import distance_nm

    speeds = {"container": 22.0, "bulk": 14.0, "tanker": 15.0}
    ref = small_world / "reference"
    kinds = {v["imo"]: v["vessel_type"] for v in csv.DictReader((ref / "vessels.csv").open())}
    calls = list(csv.DictReader((ref / "port_calls.csv").open()))
    for prev, nxt in zip(calls, calls[1:], strict=False):
        if prev["imo"] != nxt["imo"]:
            continue
        leg = datetime.fromisoformat(nxt["arrival"]) - datetime.fromisoformat(prev["departure"])
        hours = leg.total_seconds() / 3600
        # A hidden (AIS-gap) call only makes the observed leg longer, never faster than service speed.
        # Times are kept to the minute: allow two minutes of rounding.
        assert distance_nm(prev["locode"], nxt["locode"]) <= speeds[kinds[prev["imo"]]] * (hours + 1 / 30)


def test_import_declarations_mirror_honest_deals_at_covered_destinations(small_world: Path) -> None:
    from tradeverify_train.synth.world import CUSTOMS_COVERED

    ref = small_world / "reference"
    country = {p["locode"]: p["country"] for p in csv.DictReader((ref / "ports.csv").open())}
    imports = {r["declaration_id"]: r for r in csv.DictReader((ref / "customs_declarations.csv").open())
               if r["flow"] == "import"}
    checked = 0
    for label in csv.DictReader((small_world / "labels.csv").open()):
        if label["is_fraud"] == "1":
            continue  # the feeds record the genuine deal, not what forged documents claim
        sid = label["submission_id"]
        docs = {p.stem: json.loads(p.read_text())["fields"] for p in (small_world / "truth" / sid).iterdir()}
        pod = docs["bill_of_lading"]["port_of_discharge"]
        row = imports.get(f"IM-{sid}")
        assert (row is not None) == (country[pod] in CUSTOMS_COVERED)
        if row is None:
            continue
        processing = label["trade_model"] == "entrusted_processing"
        # Goods sent for processing stay the applicant's; resold goods are the buyer's import.
        leg = docs["commercial_invoice"] if processing else docs["sales_contract"]
        assert (row["locode"], row["importer"]) == (pod, leg["buyer_name"])
        assert row["date"] >= docs["bill_of_lading"]["shipped_on_board_date"]
        assert float(row["quantity"]) == docs["commercial_invoice"]["quantity"]
        if leg["currency"] == "USD":  # the shipped quantity at the leg's price
            value = docs["commercial_invoice"]["quantity"] * leg["unit_price"]
            assert float(row["value_usd"]) == pytest.approx(value, rel=1e-4)
        checked += 1
    assert checked >= 5
