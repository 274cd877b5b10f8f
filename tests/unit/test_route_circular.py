"""Voyage plausibility, route risk and circular trade: features, checks, hard rules and reasons."""

import math
import sqlite3
from pathlib import Path

import pytest

from tradeverify.config import Settings
from tradeverify.domain import DocumentResult
from tradeverify.features.builder import build_evidence
from tradeverify.match.evidence import group_documents
from tradeverify.reference.fingerprints import DEMO_REGISTRY_KEY, keyed_hash, leg_fingerprints
from tradeverify.reference.registry import SubmissionRegistry
from tradeverify.reference.sea import distance_nm
from tradeverify.reference.store import ReferenceStore
from tradeverify.rules.hard import red_flags

from ..conftest import make_document

IMO = "9074729"
SUPPLIER, APPLICANT, BUYER = "Andes Metals S.A.", "Huaxin Trading Co., Ltd.", "Nordic Resources B.V."



def _store(folder: Path, calls: list[str], legs: list[tuple[str, str, str]] = (),
           related: tuple[str, str] | None = None) -> ReferenceStore:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vessels.csv").write_text("imo,name,flag,vessel_type,dwt,mmsi,build_year\n"
                                        f"{IMO},OCEANIC ANNA,Panama,container,120000,355000000,2010\n")
    (folder / "ports.csv").write_text(
        "locode,name,country,lat,lon\nSGSIN,Singapore,Singapore,1.2,103.8\n"
        "NLRTM,Rotterdam,Netherlands,51.9,4.1\nIRBND,Bandar Abbas,Iran,27.1,56.2\n")
    (folder / "watchlists.csv").write_text("kind,value,list\njurisdiction,Iran,FATF high-risk\n")
    (folder / "port_calls.csv").write_text("imo,locode,arrival,departure\n" + "".join(
        f"{IMO},{c}\n" for c in calls))
    ids = {SUPPLIER: "C1", APPLICANT: "C2", BUYER: "C3", "Orion Metals Pte Ltd": "C4"}
    link = {related[0]: ids[related[1]], related[1]: ids[related[0]]} if related else {}
    companies = "".join(f'{cid},"{name}",X,2001-01-01,street,{link.get(name, "")}\n'
                        for name, cid in ids.items())
    header = "company_id,name,country,incorporated,address,related_to\n"
    (folder / "companies.csv").write_text(header + companies)
    rows = []
    for i, (seller, buyer, hs) in enumerate(legs):
        fp = leg_fingerprints(DEMO_REGISTRY_KEY, seller, buyer, hs)
        number = keyed_hash(DEMO_REGISTRY_KEY, "invoice", f"n{i}")
        rows.append(f"H{i},BANK002,2025-01-05,commercial_invoice,{number},,,,{fp['seller_fp']},"
                    f"{fp['buyer_fp']},{fp['goods_fp']}\n")
    (folder / "document_registry.csv").write_text(
        "submission_id,bank_id,submitted_at,doc_type,number_fp,voyage_fp,cargo_fp,container_fps,"
        "seller_fp,buyer_fp,goods_fp\n" + "".join(rows))
    return ReferenceStore.open(folder)


CALLS = ["SGSIN,2025-03-01T10:00,2025-03-02T08:00", "NLRTM,2025-03-20T10:00,2025-03-21T08:00",
         "DEHAM,2025-03-22T10:00,2025-03-23T08:00", "SGSIN,2025-08-15T10:00,2025-08-16T08:00"]


def _bl(on_board: str, pod: str = "NLRTM") -> DocumentResult:
    return make_document("bill_of_lading", imo_number=IMO, vessel_name="OCEANIC ANNA",
                         port_of_loading="SGSIN", port_of_discharge=pod, shipped_on_board_date=on_board)


def _evidence(store: ReferenceStore, docs: list[DocumentResult]):  # noqa: ANN202
    return build_evidence({"submission_id": "S1", "applicant": APPLICANT}, docs, store, Settings())


def test_plausible_voyage(tmp_path: Path) -> None:
    ev = _evidence(_store(tmp_path, CALLS), [_bl("2025-03-02")])
    days = (18 * 24 + 10) / 24  # from the start of the on-board day (2 Mar) to arrival (20 Mar 10:00)
    assert ev.features["pod_call_days"] == pytest.approx(days)
    speed = distance_nm("SGSIN", "NLRTM") / (days * 24)
    assert ev.features["voyage_speed_ratio"] == pytest.approx(speed / 24.2)
    assert ev.features["voyage_speed_ratio"] < 1 and ev.features["route_risk_calls_voyage"] == 0
    assert math.isnan(ev.features["route_risk_days_before_loading"])
    assert next(c for c in ev.checks if c.name == "voyage_plausible").status == "pass"
    assert not red_flags(ev, 36)


def test_postdated_bill_is_a_hard_flag(tmp_path: Path) -> None:
    ev = _evidence(_store(tmp_path, CALLS), [_bl("2025-03-15")])
    assert ev.features["voyage_speed_ratio"] > 2.5
    flag = next(f for f in red_flags(ev, 36) if f.code == "VOYAGE_IMPLAUSIBLE")
    assert "Rotterdam (NLRTM)" in flag.message and flag.evidence["arrival"] == "2025-03-20T10:00"


def _shuttle() -> list[str]:
    """Calls of a ship shuttling Singapore-Rotterdam at full speed: no time for a detour."""
    from datetime import datetime, timedelta

    t, out = datetime(2025, 3, 23, 8), []
    for i in range(10):
        t += timedelta(days=15, hours=12)
        port = "SGSIN" if i % 2 == 0 else "NLRTM"
        out.append(f"{port},{t:%Y-%m-%dT%H:%M},{t + timedelta(hours=20):%Y-%m-%dT%H:%M}")
        t += timedelta(hours=20)
    return out


def test_port_of_discharge_never_reached(tmp_path: Path) -> None:
    ev = _evidence(_store(tmp_path, CALLS[:3] + _shuttle()), [_bl("2025-03-02", pod="USNYC")])
    assert ev.features["pod_call_days"] == 150.0 and math.isnan(ev.features["voyage_speed_ratio"])
    assert next(c for c in ev.checks if c.name == "voyage_plausible").status == "fail"
    # Without AIS data past the horizon, or with a gap long enough for an unrecorded call,
    # absence proves nothing: unknown.
    short = _evidence(_store(tmp_path / "short", CALLS[:3]), [_bl("2025-03-02", pod="USNYC")])
    assert math.isnan(short.features["pod_call_days"])
    gap = _evidence(_store(tmp_path / "gap", CALLS), [_bl("2025-03-02", pod="USNYC")])
    assert math.isnan(gap.features["pod_call_days"])


def test_discharge_port_reachable_only_after_a_long_way_round(tmp_path: Path) -> None:
    # Port Klang is a day from Singapore, but the ship sailed to Rotterdam at its full pace; the
    # only passage with time for an unrecorded call there is the long one back from Hamburg.
    ev = _evidence(_store(tmp_path, CALLS), [_bl("2025-03-02", pod="MYPKG")])
    sailed = distance_nm("SGSIN", "NLRTM") + distance_nm("NLRTM", "DEHAM") + distance_nm("DEHAM", "MYPKG")
    assert ev.features["pod_gap_detour_ratio"] == pytest.approx(sailed / distance_nm("SGSIN", "MYPKG"))
    assert ev.features["pod_detour_spare_hours"] > 0  # an AIS gap by time alone
    assert ev.features["pod_gap_detour_ratio"] > 50
    assert next(c for c in ev.checks if c.name == "voyage_plausible").status == "fail"
    # A port on the first passage's way: a call the feed may have missed, no worse than direct.
    on_way = _evidence(_store(tmp_path / "way", CALLS), [_bl("2025-03-02", pod="USNYC")])
    assert on_way.features["pod_gap_detour_ratio"] < 2


def test_feed_ending_early_still_shows_a_leg_with_time(tmp_path: Path) -> None:
    # The feed stops three weeks after loading, far short of the horizon; the first passage
    # still had time for Antwerp on its way to Rotterdam, so that much is known.
    ev = _evidence(_store(tmp_path, CALLS[:3]), [_bl("2025-03-02", pod="BEANR")])
    assert ev.features["pod_gap_detour_ratio"] == pytest.approx(1.0)
    assert ev.features["pod_detour_spare_hours"] > 0
    assert math.isnan(ev.features["pod_call_days"])


def test_risk_port_calls_before_and_during_the_voyage(tmp_path: Path) -> None:
    calls = ["IRBND,2025-02-18T10:00,2025-02-20T00:00", *CALLS[:1], "IRBND,2025-03-09T10:00,2025-03-10T08:00",
             *CALLS[1:]]
    ev = _evidence(_store(tmp_path, calls), [_bl("2025-03-02")])
    assert ev.features["route_risk_days_before_loading"] == pytest.approx(10.0)
    assert ev.features["route_risk_calls_voyage"] == 1.0
    detour = (distance_nm("SGSIN", "IRBND") + distance_nm("IRBND", "NLRTM")) / distance_nm("SGSIN", "NLRTM")
    assert ev.features["route_detour_ratio"] == pytest.approx(detour)
    flag = next(f for f in red_flags(ev, 36) if f.code == "ROUTE_RISK")
    assert "Bandar Abbas (IRBND)" in flag.message


def test_risk_port_left_weeks_before_loading_still_counts(tmp_path: Path) -> None:
    # Seven weeks from Bandar Abbas to the loading call with nothing in between: the cargo may
    # well come from there, however long the ship took.
    calls = ["IRBND,2025-01-08T10:00,2025-01-10T00:00", *CALLS]
    ev = _evidence(_store(tmp_path, calls), [_bl("2025-03-02")])
    assert ev.features["route_risk_days_before_loading"] == pytest.approx(51.0)


def test_risk_port_left_the_day_before_loading_counts(tmp_path: Path) -> None:
    # Bandar Abbas until the 31st, Fujairah loading on the 2nd: the risk call began more than two
    # days before the on-board day and ended within them; it is the call right before loading.
    calls = ["IRBND,2025-07-30T08:43,2025-07-31T12:20", "AEFJR,2025-08-01T20:23,2025-08-02T07:58",
             "HKHKG,2025-08-30T04:24,2025-08-31T13:17"]
    bl = make_document("bill_of_lading", imo_number=IMO, vessel_name="OCEANIC ANNA", port_of_loading="AEFJR",
                       port_of_discharge="HKHKG", shipped_on_board_date="2025-08-02")
    ev = _evidence(_store(tmp_path, calls), [bl])
    assert ev.features["route_risk_days_before_loading"] == pytest.approx(1.49, abs=0.01)
    assert ev.facts["voyage"]["risk_calls_before"] == ["IRBND"]


def test_a_long_stay_at_the_loading_port_keeps_the_origin_in_view(tmp_path: Path) -> None:
    # Bandar Abbas, one call elsewhere, then ten days alongside in Singapore before loading: the
    # loading port's own call is not one of the two calls before loading.
    calls = ["IRBND,2025-01-20T10:00,2025-01-22T00:00", "NLRTM,2025-02-05T10:00,2025-02-06T08:00",
             "SGSIN,2025-02-20T10:00,2025-03-02T08:00", *CALLS[1:]]
    ev = _evidence(_store(tmp_path, calls), [_bl("2025-03-02")])
    assert ev.facts["voyage"]["risk_calls_before"] == ["IRBND"]
    assert ev.features["route_risk_days_before_loading"] == pytest.approx(39.0)


def _contracts(hs: str = "740311") -> list[DocumentResult]:
    common = {"hs_code": hs, "contract_number": "SC-1", "unit_price": 9000.0}
    return [make_document("sales_contract", seller_name=SUPPLIER, buyer_name=APPLICANT, **common),
            make_document("sales_contract", seller_name=APPLICANT, buyer_name=BUYER, **common),
            make_document("commercial_invoice", seller_name=SUPPLIER, buyer_name=APPLICANT, hs_code=hs,
                          invoice_number="INV1")]


@pytest.mark.parametrize(("legs", "cycle"), [
    ([], 0.0),
    ([(BUYER, SUPPLIER, "740319")], 3.0),  # same HS heading 7403: the goods went round
    ([(BUYER, SUPPLIER, "260300")], 0.0),  # other goods: a trade relation, not a loop
    ([(BUYER, "Orion Metals Pte Ltd", "740311"), ("Orion Metals Pte Ltd", SUPPLIER, "740311")], 4.0),
    # Back to the applicant through another seller: the applicant's ordinary market, not a loop.
    ([(BUYER, "Orion Metals Pte Ltd", "740311"), ("Orion Metals Pte Ltd", APPLICANT, "740311")], 0.0),
])
def test_circular_trade_cycles(tmp_path: Path, legs: list[tuple[str, str, str]], cycle: float) -> None:
    ev = _evidence(_store(tmp_path, CALLS, legs), _contracts())
    assert ev.features["circular_cycle_length"] == cycle
    assert ev.features["circular_related_parties"] == 0.0
    assert next(c for c in ev.checks if c.name == "circular_trade").status == ("fail" if cycle else "pass")


def test_related_supplier_and_buyer(tmp_path: Path) -> None:
    ev = _evidence(_store(tmp_path, CALLS, related=(SUPPLIER, BUYER)), _contracts())
    # The buyer belongs to the supplier's group: the goods are back after two parties.
    assert ev.features["circular_related_parties"] == 1.0 and ev.features["circular_cycle_length"] == 2.0


def test_service_registry_records_legs_and_upgrades_old_files(tmp_path: Path) -> None:
    path = tmp_path / "registry.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE document_registry (submission_id TEXT, bank_id TEXT, submitted_at TEXT, "
                "doc_type TEXT, number_fp TEXT, voyage_fp TEXT, cargo_fp TEXT, container_fps TEXT, "
                "UNIQUE (submission_id, doc_type))")
    old.commit()
    old.close()
    registry = SubmissionRegistry(path)
    # An earlier submission in which today's buyer sold the same goods to today's supplier.
    earlier = [make_document("sales_contract", seller_name=BUYER, buyer_name=SUPPLIER, hs_code="740311",
                             contract_number="K-9")]
    assert registry.record({"submission_id": "E1"}, group_documents(earlier, BUYER), DEMO_REGISTRY_KEY) == 1
    store = _store(tmp_path / "ref", CALLS)
    ev = build_evidence({"submission_id": "S1", "applicant": APPLICANT}, _contracts(), store, Settings(),
                        registry=registry)
    assert ev.features["circular_cycle_length"] == 3.0


def test_reason_sentences_quote_voyage_and_route(tmp_path: Path) -> None:
    from tradeverify.report.reasons import MESSAGES

    late = _evidence(_store(tmp_path / "a", CALLS), [_bl("2025-03-15")])
    sentence = MESSAGES["VOYAGE_IMPLAUSIBLE"](late.facts, late.features)
    assert sentence is not None and "reached Rotterdam (NLRTM) 5.4 days after" in sentence
    calls = ["IRBND,2025-02-18T10:00,2025-02-20T00:00", *CALLS]
    origin = _evidence(_store(tmp_path / "b", calls), [_bl("2025-03-02")])
    sentence = MESSAGES["ROUTE_RISK"](origin.facts, origin.features)
    assert sentence is not None and "Bandar Abbas (IRBND)" in sentence
    assert "10 days before loading" in sentence
    assert not [f for f in red_flags(origin, 36) if f.code == "ROUTE_RISK"]  # before loading: model only


def test_port_codes_without_a_sea_route_are_unknown(tmp_path: Path) -> None:
    bl = make_document("bill_of_lading", imo_number=IMO, vessel_name="OCEANIC ANNA",
                       port_of_loading="XXABC", port_of_discharge="NLRTM", shipped_on_board_date="2025-03-02")
    ev = _evidence(_store(tmp_path, CALLS), [bl])
    assert math.isnan(ev.features["voyage_speed_ratio"]) and math.isnan(ev.features["pol_reach_slack_hours"])
    assert next(c for c in ev.checks if c.name == "voyage_plausible").status == "unknown"


def test_missing_discharge_call_has_a_magnitude(tmp_path: Path) -> None:
    # Full-speed shuttle: no leg leaves room for a call at the POD; an AIS gap leaves hours.
    shuttle = _evidence(_store(tmp_path, CALLS[:3] + _shuttle()), [_bl("2025-03-02", pod="USNYC")])
    assert shuttle.features["pod_detour_spare_hours"] < 0
    gap = _evidence(_store(tmp_path / "gap", CALLS), [_bl("2025-03-02", pod="USNYC")])
    assert gap.features["pod_detour_spare_hours"] > 0
    short = _evidence(_store(tmp_path / "short", CALLS[:3]), [_bl("2025-03-02", pod="USNYC")])
    assert math.isnan(short.features["pod_detour_spare_hours"])
    # A recorded discharge call: nothing to explain.
    reached = _evidence(_store(tmp_path / "ok", CALLS), [_bl("2025-03-02")])
    assert math.isnan(reached.features["pod_detour_spare_hours"])
