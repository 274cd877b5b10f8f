"""Matchers and hard rules on hand-made documents and a tiny reference store."""

import math
from pathlib import Path

import pytest

from tradeverify.config import Settings
from tradeverify.domain import DocumentResult, ExtractedField
from tradeverify.features.builder import build_evidence as _build
from tradeverify.features.builder import feature_vector
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.match.chain import margin_outside_band
from tradeverify.match.evidence import group_documents, ratio
from tradeverify.match.vessel import imo_valid
from tradeverify.reference.fingerprints import DEMO_REGISTRY_KEY, bill_fingerprint
from tradeverify.reference.fx import to_usd
from tradeverify.reference.store import ReferenceStore
from tradeverify.report.reasons import MESSAGES
from tradeverify.rules.hard import red_flags

from ..conftest import make_document

IMO = "9074729"  # valid check digit: 9*7+0*6+7*5+4*4+7*3+2*2 = 139 -> 9


def build_evidence(sid: str, docs: list[DocumentResult], applicant: None, store: ReferenceStore,
                   tolerance: float, bank: str = "BANK001"):  # noqa: ANN202
    meta = {"submission_id": sid, "bank_id": bank, "applicant": applicant}
    return _build(meta, docs, store, Settings(port_call_tolerance_hours=tolerance))


def _doc(doc_type: str, **fields: object) -> DocumentResult:
    return DocumentResult(file=f"{doc_type}.pdf", doc_type=doc_type, pages=1, fields={
        k: ExtractedField(value=v, raw=str(v), confidence=0.99, page=1, bbox=(0, 0, 1, 1))
        for k, v in fields.items()})


def _ship_with_calls(folder: Path, calls: list[tuple[str, str, str]]) -> None:
    """Write the registry row of the test ship and its AIS port calls (port, arrival, departure)."""
    (folder / "vessels.csv").write_text(
        "imo,name,flag,vessel_type,dwt,mmsi,build_year\n"
        f"{IMO},OCEANIC ANNA,Panama,container,120000,355000000,2010\n")
    (folder / "port_calls.csv").write_text(
        "imo,locode,arrival,departure\n" + "".join(f"{IMO},{p},{a},{d}\n" for p, a, d in calls))


@pytest.fixture()
def store(tmp_path: Path) -> ReferenceStore:
    _ship_with_calls(tmp_path, [("SGSIN", "2025-03-01T10:00", "2025-03-02T08:00"),
                                ("NLRTM", "2025-03-20T10:00", "2025-03-21T08:00"),
                                ("DEHAM", "2025-03-22T10:00", "2025-03-23T08:00")])
    (tmp_path / "price_benchmarks.csv").write_text(
        "hs_code,month,unit,median_usd,p10_usd,p90_usd\n740311,2025-03,MT,9000,8000,10125\n")
    fp = bill_fingerprint(DEMO_REGISTRY_KEY, "OSLA123456789", IMO, "2025-03-02", 102000.0, ["MSCU1234566"])
    (tmp_path / "document_registry.csv").write_text(
        "submission_id,bank_id,submitted_at,doc_type,number_fp,voyage_fp,cargo_fp,container_fps\n"
        f"H1,BANK002,2025-01-05,bill_of_lading,{fp.number},{fp.voyage},{fp.cargo},{fp.containers[0]}\n"
        f"H2,BANK001,2025-01-07,bill_of_lading,{fp.number},{fp.voyage},{fp.cargo},{fp.containers[0]}\n")
    return ReferenceStore.open(tmp_path)


def _bl(on_board: str, number: str = "OSLB000000001", containers: tuple[str, ...] = ("CSQU3054383",)
        ) -> DocumentResult:
    return _doc("bill_of_lading", bl_number=number, imo_number=IMO, vessel_name="OCEANIC ANNA",
                port_of_loading="SGSIN", shipped_on_board_date=on_board, gross_weight_kg=102000.0,
                container_numbers=list(containers))


def _invoice(price: float = 9000.0) -> DocumentResult:
    return _doc("commercial_invoice", invoice_number="INV1", unit_price=price, hs_code="740311",
                invoice_date="2025-03-05", currency="USD", quantity=100.0, unit="MT",
                total_amount=100.0 * price, bl_number="OSLB000000001")


@pytest.mark.parametrize(("imo", "ok"), [(IMO, True), ("9074728", False), ("907472", False), (None, False)])
def test_imo_check_digit(imo: str | None, ok: bool) -> None:
    assert imo_valid(imo) is ok


def test_vessel_at_port_passes(store: ReferenceStore) -> None:
    ev = build_evidence("S1", [_bl("2025-03-02"), _invoice()], None, store, 36)
    assert ev.features["pol_call_gap_hours"] == 4.0  # noon is 4 h after it sailed: within tolerance
    assert red_flags(ev, 36) == []
    assert next(c for c in ev.checks if c.name == "vessel_at_port_of_loading").status == "pass"


def test_vessel_elsewhere_is_a_hard_flag(store: ReferenceStore) -> None:
    # On 2025-03-21 the ship was alongside in Rotterdam, ~8,300 nm from Singapore.
    ev = build_evidence("S1", [_bl("2025-03-21"), _invoice()], None, store, 36)
    assert ev.features["pol_reach_slack_hours"] < -300
    flags = red_flags(ev, 36)
    assert [f.code for f in flags] == ["VESSEL_NOT_AT_PORT"]
    assert "NLRTM" in flags[0].message and flags[0].evidence["vessel_last_port"] == "NLRTM"


def test_unknown_vessel_is_unknown_not_pass(store: ReferenceStore) -> None:
    bl = _doc("bill_of_lading", imo_number="9176187", port_of_loading="SGSIN",
              shipped_on_board_date="2025-03-02", bl_number="X1")
    ev = build_evidence("S1", [bl], None, store, 36)
    assert ev.features["vessel_known"] == 0.0 and math.isnan(ev.features["pol_call_gap_hours"])
    assert next(c for c in ev.checks if c.name == "vessel_at_port_of_loading").status == "unknown"


def test_price_z(store: ReferenceStore) -> None:
    ev = build_evidence("S1", [_bl("2025-03-02"), _invoice(price=12000.0)], None, store, 36)
    spread = math.log(10125 / 8000) / (2 * 1.2816)
    assert ev.features["price_robust_z"] == pytest.approx(math.log(12000 / 9000) / spread)


def test_duplicate_bl_same_voyage_with_altered_number(store: ReferenceStore) -> None:
    # One digit changed; same ship, day and container as the earlier B/L.
    bl = _bl("2025-03-02", number="OSLA123456780", containers=("MSCU1234566",))
    ev = build_evidence("S9", [bl, _invoice()], None, store, 36)
    assert ev.features["bl_number_seen"] == 0.0
    assert ev.features["bl_same_voyage_overlap"] == 1.0
    flag = next(f for f in red_flags(ev, 36) if f.code == "DUPLICATE_DOCUMENT")
    # Our own earlier submission is named; the other bank's is only counted.
    assert flag.evidence == {"this_bank_submissions": ["H2"], "other_banks": 1}
    assert "H1" not in flag.message and "BANK002" not in flag.message


def test_registry_holds_no_plain_identifiers(store: ReferenceStore) -> None:
    text = (store.source / "document_registry.csv").read_text()
    assert "OSLA123456789" not in text and IMO not in text and "MSCU1234566" not in text


def test_fingerprint_normalizes_and_depends_on_key() -> None:
    a = bill_fingerprint("k1", "osla 1234-56789", IMO, "2025-03-02", 1.0, ["MSCU 123456 6"])
    b = bill_fingerprint("k1", "OSLA123456789", IMO, "2025-03-02", 1.0, ["MSCU1234566"])
    c = bill_fingerprint("k2", "OSLA123456789", IMO, "2025-03-02", 1.0, ["MSCU1234566"])
    assert a == b and a.number != c.number


def test_feature_vector_order_and_unknowns(store: ReferenceStore) -> None:
    ev = build_evidence("S1", [_invoice()], None, store, 36)
    vec = feature_vector(ev)
    assert len(vec) == len(FEATURE_NAMES)
    assert vec[FEATURE_NAMES.index("documents_missing")] == 4.0
    assert math.isnan(vec[FEATURE_NAMES.index("pol_call_gap_hours")])


def test_reason_sentences_quote_the_evidence(store: ReferenceStore) -> None:
    import numpy as np

    from tradeverify.report.reasons import reasons

    ev = build_evidence("S1", [_bl("2025-03-21"), _invoice(price=12000.0)], None, store, 36)
    contrib = np.array([1.0 if f in ("pol_call_gap_hours", "price_abs_z") else 0.0 for f in FEATURE_NAMES])
    got = {r.code: r.message for r in reasons(contrib, feature_vector(ev), ev.facts)}
    assert set(got) == {"VESSEL_NOT_AT_PORT", "PRICE_DEVIATION"}
    assert "OCEANIC ANNA (IMO 9074729)" in got["VESSEL_NOT_AT_PORT"]
    vessel = got["VESSEL_NOT_AT_PORT"]
    assert "Singapore (SGSIN)" in vessel and "Rotterdam (NLRTM)" in vessel
    # Sailing Rotterdam -> Hamburg (26 h) that day: a call at Singapore in between needs 434 h out
    # and 445 h back at its usual 19.3 kn, plus a 6 h stay.
    assert "at its usual speed it could not have been in port that day (861 h short)" in vessel
    assert "12,000.00 USD" in got["PRICE_DEVIATION"] and "+33%" in got["PRICE_DEVIATION"]


def test_chronology_reason_names_each_date_out_of_order(store: ReferenceStore) -> None:
    import numpy as np

    from tradeverify.report.reasons import reasons

    bl, invoice = _bl("2025-03-02"), _invoice()
    bl.fields["issue_date"] = bl.fields["bl_number"].model_copy(update={"value": "2025-02-24"})
    ev = build_evidence("S1", [bl, invoice], None, store, 36)
    contrib = np.array([2.0 if f == "chronology_violation_days" else 0.0 for f in FEATURE_NAMES])
    got = {r.code: r.message for r in reasons(contrib, feature_vector(ev), ev.facts)}
    assert got["CHRONOLOGY"] == ("Dates out of order: the B/L was issued 6 days before the goods were "
                                 "shipped on board.")


def _contract(role: str, price: float, **extra: object) -> DocumentResult:
    seller, buyer = ("Andes Metals S.A.", "Huaxin Trading Co., Ltd.") if role == "purchase" else (
        "Huaxin Trading Co., Ltd.", "Nordic Resources B.V.")
    return _doc("sales_contract", seller_name=seller, buyer_name=buyer, unit_price=price,
                quantity=100.0, port_of_loading="SGSIN", port_of_discharge="NLRTM", hs_code="740311",
                contract_date="2025-02-01", **extra)


@pytest.mark.parametrize(("sale_price", "margin", "status"), [
    (9180.0, 0.02, "pass"), (8500.0, -0.0556, "fail"), (12000.0, 0.3333, "fail")])
def test_resale_margin(store: ReferenceStore, sale_price: float, margin: float, status: str) -> None:
    docs = [_contract("purchase", 9000.0), _contract("sale", sale_price)]
    ev = _build({"applicant": "Huaxin Trading Co., Ltd."}, docs, store, Settings())
    assert ev.features["resale_margin"] == pytest.approx(margin, abs=1e-4)
    assert next(c for c in ev.checks if c.name == "resale_margin").status == status


def test_chain_disagreements(store: ReferenceStore) -> None:
    sale = _doc("sales_contract", seller_name="Huaxin Trading Co., Ltd.", buyer_name="Nordic Resources B.V.",
                unit_price=9100.0, quantity=80.0, port_of_loading="SGSIN", port_of_discharge="DEHAM",
                hs_code="760110")
    docs = [_contract("purchase", 9000.0), sale]
    ev = _build({"applicant": "Huaxin Trading Co., Ltd."}, docs, store, Settings())
    assert ev.features["chain_port_disagreements"] == 1.0
    assert ev.features["chain_goods_disagreements"] == 1.0
    assert ev.features["chain_qty_gap"] == pytest.approx(0.2)


def test_invalid_container_is_a_hard_flag(store: ReferenceStore) -> None:
    ev = build_evidence("S1", [_bl("2025-03-02", containers=("CSQU3054383", "MSCU1234565"))], None, store, 36)
    assert ev.features["container_invalid_share"] == 0.5
    assert ev.features["container_events_share"] == 0.0  # the carrier never loaded either box
    assert "CONTAINER_INVALID" in {f.code for f in red_flags(ev, 36)}


def test_watchlist_catches_disguised_name(store: ReferenceStore) -> None:
    (store.source / "watchlists.csv").write_text(
        "kind,value,list\nentity,Sable Horizon Trading FZE,sanctions\n")
    fresh = ReferenceStore.open(store.source)
    bl = _doc("bill_of_lading", notify_party="SABLE HORIZON TRDG FZE", bl_number="X1")
    ev = _build({}, [bl], fresh, Settings())
    assert ev.features["watchlist_strict_score"] >= 0.9
    flag = next(f for f in red_flags(ev, 36) if f.code == "WATCHLIST_HIT")
    assert flag.evidence["listed"] == "Sable Horizon Trading FZE"
    # An honest company whose name is a subset of the listed one is a lead, not a hard hit.
    honest = _build({}, [_doc("bill_of_lading", notify_party="Horizon Trading FZE", bl_number="X2")],
                    fresh, Settings())
    assert honest.features["watchlist_party_score"] == 1.0
    assert honest.features["watchlist_strict_score"] < 0.9
    assert not [f for f in red_flags(honest, 36) if f.code == "WATCHLIST_HIT"]


def test_customs_uncovered_country_is_unknown(store: ReferenceStore) -> None:
    (store.source / "ports.csv").write_text(
        "locode,name,country,lat,lon\nSGSIN,Singapore,Singapore,1.2,103.8\n")
    (store.source / "customs_declarations.csv").write_text(
        "country,declaration_id,date,flow,exporter,importer,hs_code,quantity,unit,value_usd,locode\n"
        "Chile,EX1,2025-03-01,export,A,B,740311,100,MT,900000,CLSAI\n")
    fresh = ReferenceStore.open(store.source)
    ev = _build({}, [_bl("2025-03-02"), _invoice()], fresh, Settings())
    assert ev.features["customs_covered"] == 0.0 and math.isnan(ev.features["customs_qty_gap"])
    assert next(c for c in ev.checks if c.name == "customs_declaration").status == "unknown"


def test_customs_compares_with_the_sellers_own_declaration(store: ReferenceStore) -> None:
    # Another exporter shipped 121 MT of the same HS code that week: near an inflated 120 MT,
    # but the seller's own declaration says 100 MT, and that is the one to compare with.
    (store.source / "ports.csv").write_text(
        "locode,name,country,lat,lon\nSGSIN,Singapore,Singapore,1.2,103.8\n")
    (store.source / "customs_declarations.csv").write_text(
        "country,declaration_id,date,flow,exporter,importer,hs_code,quantity,unit,value_usd,locode\n"
        "Singapore,EX1,2025-03-01,export,Tianhe Trading S.A.,B,740311,100,MT,900000,SGSIN\n"
        "Singapore,EX2,2025-03-02,export,Tianhe Trading Ltd.,C,740311,121,MT,1089000,SGSIN\n")
    fresh = ReferenceStore.open(store.source)
    invoice = _invoice()
    invoice.fields["quantity"] = invoice.fields["quantity"].model_copy(update={"value": 120.0})
    seller = invoice.fields["hs_code"].model_copy(update={"value": "TIANHE TRADING SA"})
    invoice.fields["seller_name"] = seller
    ev = _build({}, [_bl("2025-03-02"), invoice], fresh, Settings())
    assert ev.facts["customs"]["declaration_id"] == "EX1"
    assert ev.features["customs_qty_gap"] == pytest.approx(0.2)
    assert next(c for c in ev.checks if c.name == "customs_declaration").status == "fail"


@pytest.mark.parametrize(("invoice_date", "issue_date", "latest", "days"), [
    ("2025-03-05", "2025-03-02", "2025-03-10", 0.0),   # all in order
    ("2025-03-05", "2025-03-01", "2025-03-10", 1.0),   # B/L dated a day late: the honest case
    ("2025-02-25", "2025-03-02", "2025-03-10", 5.0),   # invoiced before loading
    ("2025-03-05", "2025-02-26", "2025-03-10", 4.0),   # shipped B/L issued before loading
    ("2025-03-05", "2025-03-02", "2025-02-20", 10.0),  # loaded after the latest shipment date
])
def test_chronology_violation_is_the_worst_out_of_order_date(
        store: ReferenceStore, invoice_date: str, issue_date: str, latest: str, days: float) -> None:
    bl, invoice = _bl("2025-03-02"), _invoice()
    bl.fields["issue_date"] = bl.fields["bl_number"].model_copy(update={"value": issue_date})
    invoice.fields["invoice_date"] = invoice.fields["invoice_date"].model_copy(update={"value": invoice_date})
    contract = _doc("purchase_contract", latest_shipment_date=latest, contract_date="2025-01-10")
    ev = _build({}, [bl, invoice, contract], store, Settings())
    assert ev.features["chronology_violation_days"] == days


def test_review_hints_list_unsure_fields_least_sure_first() -> None:
    from tradeverify.pipeline import review_hints

    doc = DocumentResult(file="bl.png", doc_type="bill_of_lading", fields={
        "bl_number": ExtractedField(value="X1", raw="X1", confidence=0.95, page=1, bbox=(0, 0, 1, 1)),
        "imo_number": ExtractedField(value="9074728", raw="9074728", confidence=0.3, page=1,
                                     bbox=(0.1, 0.2, 0.3, 0.25), reason="IMO check digit fails"),
        "voyage_number": ExtractedField(value="012E", raw="O12E", confidence=0.55, page=1, bbox=None),
    })
    hints = review_hints([doc], 0.6)
    assert [(h.field, h.confidence) for h in hints] == [("imo_number", 0.3), ("voyage_number", 0.55)]
    assert hints[0].bbox == (0.1, 0.2, 0.3, 0.25) and hints[1].raw == "O12E"
    assert (hints[0].reason, hints[1].reason) == ("IMO check digit fails", None)


def test_vessel_still_at_sea_on_the_date_is_a_hard_flag(store: ReferenceStore) -> None:
    # It left Singapore on 2025-03-02 for Rotterdam (8,381 nm): at its top speed it could not
    # have been alongside in Rotterdam before about 2025-03-16, so a B/L dated 03-10 is false.
    bl = _doc("bill_of_lading", bl_number="X1", imo_number=IMO, port_of_loading="NLRTM",
              shipped_on_board_date="2025-03-10")
    ev = build_evidence("S1", [bl], None, store, 36)
    assert ev.features["pol_reach_slack_hours"] < -36
    assert math.isnan(ev.features["vessel_name_similarity"])  # no name printed: unknown, no flag
    assert [f.code for f in red_flags(ev, 36)] == ["VESSEL_NOT_AT_PORT"]
    # Two days before its recorded arrival it could have been there (an unrecorded early call).
    near = _doc("bill_of_lading", bl_number="X2", imo_number=IMO, port_of_loading="NLRTM",
                shipped_on_board_date="2025-03-18")
    ev = build_evidence("S2", [near], None, store, 36)
    assert ev.features["pol_reach_slack_hours"] > 0 and red_flags(ev, 36) == []


def test_pace_slack_tells_a_ship_at_sea_from_one_hidden_by_an_ais_gap(store: ReferenceStore) -> None:
    # At its usual pace (the median recorded leg) the ship seen arriving in Rotterdam on 03-20
    # was still two days out on 03-18: the top-speed slack allows it, the pace slack does not.
    near = _doc("bill_of_lading", bl_number="X2", imo_number=IMO, port_of_loading="NLRTM",
                shipped_on_board_date="2025-03-18")
    ev = build_evidence("S2", [near], None, store, 36)
    assert ev.features["pol_reach_slack_hours"] > 0
    assert ev.features["pol_pace_slack_hours"] == pytest.approx(-46.0, abs=1.0)
    # Inside the recorded call the pace slack is the cap, as the top-speed one.
    alongside = _doc("bill_of_lading", bl_number="X3", imo_number=IMO, port_of_loading="NLRTM",
                     shipped_on_board_date="2025-03-20")
    assert build_evidence("S3", [alongside], None, store, 36).features["pol_pace_slack_hours"] == 1000.0


def test_pace_slack_stays_positive_when_an_ais_gap_leaves_time(tmp_path: Path) -> None:
    # A 30-day leg Singapore -> Hamburg where the ship usually sails it in about 18 days: an
    # unrecorded call in Rotterdam fits at its usual pace, so absence of the call proves nothing.
    _ship_with_calls(tmp_path, [("NLRTM", "2025-01-01T10:00", "2025-01-02T08:00"),
                                ("SGSIN", "2025-01-20T10:00", "2025-01-21T08:00"),
                                ("NLRTM", "2025-02-08T10:00", "2025-02-09T08:00"),
                                ("SGSIN", "2025-03-01T10:00", "2025-03-02T08:00"),
                                ("DEHAM", "2025-04-01T10:00", "2025-04-02T08:00")])
    hidden = _doc("bill_of_lading", bl_number="X4", imo_number=IMO, port_of_loading="NLRTM",
                  shipped_on_board_date="2025-03-25")
    ev = build_evidence("S4", [hidden], None, ReferenceStore.open(tmp_path), 36)
    assert 24 < ev.features["pol_pace_slack_hours"] < 1000


def test_a_ship_in_a_nearby_port_at_noon_may_have_loaded_that_morning(tmp_path: Path) -> None:
    # Fujairah -> Sohar is a few hours: a B/L dated the day the ship reached Sohar at 07:11 is
    # possible (it left Fujairah before dawn, in a call the feed missed). Not a hard flag.
    _ship_with_calls(tmp_path, [("AEFJR", "2025-10-01T10:00", "2025-10-02T08:00"),
                                ("TRMER", "2025-11-08T20:50", "2025-11-11T20:56"),
                                ("OMSOH", "2025-11-24T07:11", "2025-11-28T11:00"),
                                ("MYPKG", "2025-12-08T13:45", "2025-12-12T16:33")])
    store = ReferenceStore.open(tmp_path)

    def bl(day: str) -> DocumentResult:
        return _doc("bill_of_lading", bl_number="X5", imo_number=IMO, port_of_loading="AEFJR",
                    shipped_on_board_date=day)

    same_day = build_evidence("S5", [bl("2025-11-24")], None, store, 36)
    assert same_day.features["pol_reach_slack_hours"] > 0 and red_flags(same_day, 36) == []
    # Two days into a four-day stay in Sohar: the whole tolerance window is spent alongside there.
    mid_stay = build_evidence("S6", [bl("2025-11-26")], None, store, 36)
    assert mid_stay.features["pol_reach_slack_hours"] < 0
    assert [f.code for f in red_flags(mid_stay, 36)] == ["VESSEL_NOT_AT_PORT"]


def _with_events(store: ReferenceStore, rows: list[str]) -> ReferenceStore:
    (store.source / "container_events.csv").write_text(
        "container_number,event,locode,imo,voyage,time\n" + "".join(f"{r}\n" for r in rows))
    return ReferenceStore.open(store.source)


def test_container_the_carrier_never_saw_is_a_hard_flag(store: ReferenceStore) -> None:
    # The carrier reports MSCU boxes loaded on this ship that day: a valid MSCU number it never
    # heard of was not shipped.
    fresh = _with_events(store, [f"MSCU7654329,loaded,SGSIN,{IMO},001E,2025-03-02T08:00"])
    ev = build_evidence("S1", [_bl("2025-03-02", containers=("MSCU7654329", "MSCU7654334"))], None,
                        fresh, 36)
    assert ev.features["containers_without_events"] == 0.5
    flag = next(f for f in red_flags(ev, 36) if f.code == "CONTAINER_INVALID")
    assert flag.evidence["unrecorded_containers"] == ["MSCU7654334"]


def test_container_unknown_to_an_uncovered_carrier_is_only_a_feature(store: ReferenceStore) -> None:
    # The feed holds no MSCU loading on this ship: silence about the box may be the feed's gap.
    fresh = _with_events(store, [f"CSQU3054383,loaded,SGSIN,{IMO},001E,2025-03-02T08:00"])
    ev = build_evidence("S1", [_bl("2025-03-02", containers=("MSCU7654334",))], None, fresh, 36)
    assert ev.features["containers_without_events"] == 1.0
    assert "CONTAINER_INVALID" not in {f.code for f in red_flags(ev, 36)}
    # No carrier feed at all: unknown, not a finding.
    none = build_evidence("S2", [_bl("2025-03-02", containers=("MSCU7654334",))], None, store, 36)
    assert math.isnan(none.features["containers_without_events"])


@pytest.mark.parametrize(("margin", "model", "gap"), [
    (0.03, "offshore_resale", 0.0), (0.14, "offshore_resale", 0.038), (0.14, "entrusted_processing", 0.0),
    (-0.05, "global_procurement", -0.048), (0.01, "entrusted_processing", -0.008),
    (-0.00017, "offshore_resale", 0.0),  # break-even, priced to the cent in two currencies
])
def test_margin_outside_band_reads_the_trade_model(margin: float, model: str, gap: float) -> None:
    assert margin_outside_band(margin, model) == pytest.approx(gap)


def test_counterparty_age_is_capped_at_established(store: ReferenceStore) -> None:
    (store.source / "companies.csv").write_text(
        "company_id,name,country,incorporated,address,related_to\n"
        'C1,"Andes Metals S.A.",Chile,2001-01-01,street,\nC2,"Kite Front Ltd",UAE,2025-01-01,street,\n')
    fresh = ReferenceStore.open(store.source)

    def age(seller: str) -> float:
        doc = _doc("sales_contract", seller_name=seller, buyer_name="X", contract_date="2025-03-01")
        ev = _build({"applicant": "X"}, [doc], fresh, Settings())  # the applicant buys: purchase leg
        return ev.features["counterparty_age_days"]

    assert age("Andes Metals S.A.") == 730.0
    assert age("Kite Front Ltd") == 59.0


def test_clause_containment_survives_an_added_clause_and_ocr_slips() -> None:
    from tradeverify.extract.profile import clause_containment, clause_signatures
    terms = ["1. Quality and weight as determined by an independent surveyor at the port of loading "
             "shall be final and binding on both parties.",
             "2. The Buyer shall pay the full invoice value against presentation of the shipping "
             "documents listed in this contract, without deduction or set-off of any kind."]
    added = "3. Neither party shall be liable for failure to perform caused by force majeure events."
    other = ["1. The certificate of quality and weight issued by a first-class inspection company at "
             "loading shall be conclusive evidence of the goods delivered.",
             "2. Payment shall be effected in the contract currency to the account nominated by the "
             "Seller upon receipt of a full set of original documents."]
    slipped = [terms[0].replace("surveyor", "surveyer"), terms[1]]
    sig = clause_signatures(terms)
    assert len(sig) == 2  # clause numbers are not clauses
    assert clause_containment(sig, clause_signatures([*terms, added])) == 1.0
    assert clause_containment(sig, clause_signatures(slipped)) == 1.0
    assert clause_containment(sig, clause_signatures(other)) == 0.0
    assert math.isnan(clause_containment([], sig))


def test_template_reason_quotes_the_shared_clauses() -> None:
    from tradeverify.report.reasons import MESSAGES
    facts = {"template": {"text": 0.36, "layout": 0.34, "clauses": 1.0}}
    assert MESSAGES["TEMPLATE_CLONE"](facts, {}) == (
        "The purchase and sales contracts share 100% of the shorter one's clauses word for word, "
        "36% of their wording and 34% of their layout.")


def _mirror_store(store: ReferenceStore) -> ReferenceStore:
    """Singapore publishes imports only, the Netherlands imports: the export side is not covered."""
    (store.source / "ports.csv").write_text(
        "locode,name,country,lat,lon\nSGSIN,Singapore,Singapore,1.2,103.8\n"
        "NLRTM,Rotterdam,Netherlands,51.9,4.1\n")
    (store.source / "customs_declarations.csv").write_text(
        "country,declaration_id,date,flow,exporter,importer,hs_code,quantity,unit,value_usd,locode\n"
        "Singapore,IMSG,2025-03-02,import,X,Y,740311,100,MT,1200000,SGSIN\n"
        "Netherlands,IM1,2025-03-20,import,Ningbo Metals,Rotterdam Metals B.V.,740311,100,MT,909900,NLRTM\n"
        "Netherlands,IM2,2025-03-21,import,Z,Delft Copper NV,740311,100,MT,1210000,NLRTM\n")
    return ReferenceStore.open(store.source)


def _mirror_docs(price: float) -> list[DocumentResult]:
    """B/L Singapore -> Rotterdam, the purchase invoice, and the resale to a Dutch buyer at +1.1 %."""
    bl = _bl("2025-03-02")
    bl.fields["port_of_discharge"] = bl.fields["port_of_loading"].model_copy(update={"value": "NLRTM"})
    # The contract's 103 MT is within the usual 5 % of the 100 MT shipped: its total is no measure.
    sale = _doc("sales_contract", seller_name="Ningbo Metals", buyer_name="ROTTERDAM METALS BV",
                currency="USD", unit_price=price * 1.011, quantity=103.0,
                total_amount=round(103 * price * 1.011, 2), contract_date="2025-02-20")
    return [bl, _invoice(price), sale]


@pytest.mark.parametrize(("price", "gap"), [(9000.0, 0.0), (12000.0, 1200000 / 909900 - 1)])
def test_customs_falls_back_to_the_import_declaration_at_discharge(
        store: ReferenceStore, price: float, gap: float) -> None:
    # Honest: the buyer's import value is the sale contract's; over-invoiced: neither leg agrees,
    # although another importer's declaration (IM2) happens to be near the inflated value.
    ev = _build({}, _mirror_docs(price), _mirror_store(store), Settings())
    assert ev.features["customs_covered"] == 1.0 and ev.features["customs_found"] == 1.0
    assert ev.facts["customs"]["declaration_id"] == "IM1" and ev.facts["customs"]["flow"] == "import"
    assert ev.features["customs_value_gap"] == pytest.approx(gap, abs=1e-9)
    assert ev.features["customs_qty_gap"] == 0.0
    # The declared value confirms an honest price and leaves an inflated one unexplained.
    assert ev.features["price_abs_z_unconfirmed"] == (0.0 if price == 9000.0 else ev.features["price_abs_z"])
    assert price == 9000.0 or ev.features["price_abs_z"] == pytest.approx(3.13, abs=0.01)
    message = MESSAGES["CUSTOMS_MISMATCH"](ev.facts, ev.features)
    assert message is not None and message.startswith("Import declaration IM1 shows 100.000")
    assert f"value by {gap:+.1%} from the declared 909,900 USD" in message


def test_customs_without_data_at_either_end_is_unknown(store: ReferenceStore) -> None:
    _mirror_store(store)  # its ports; the Netherlands now publishes exports only
    (store.source / "customs_declarations.csv").write_text(
        "country,declaration_id,date,flow,exporter,importer,hs_code,quantity,unit,value_usd,locode\n"
        "Netherlands,EX9,2025-03-20,export,A,B,740311,100,MT,910000,NLRTM\n")
    fresh = ReferenceStore.open(store.source)
    ev = _build({}, _mirror_docs(9000.0), fresh, Settings())
    assert ev.features["customs_covered"] == 0.0 and math.isnan(ev.features["customs_value_gap"])
    assert ev.features["price_abs_z_unconfirmed"] == ev.features["price_abs_z"]  # nothing confirms it
    check = next(c for c in ev.checks if c.name == "customs_declaration")
    assert check.status == "unknown" and check.detail == "no customs data for Netherlands or Singapore"


@pytest.mark.parametrize(("printed", "former", "flagged"), [
    ("CAPE WISDOM", "", True),            # another ship's IMO number
    ("MV OCEANIC ANNA", "", False),       # a prefix is no other ship
    ("STAR OF ANNA", "STAR OF ANNA", False),  # the name it sailed under before
])
def test_vessel_name_against_the_registry(tmp_path: Path, printed: str, former: str, flagged: bool) -> None:
    _ship_with_calls(tmp_path, [("SGSIN", "2025-03-01T10:00", "2025-03-02T08:00")])
    (tmp_path / "vessels.csv").write_text(
        "imo,name,flag,vessel_type,dwt,mmsi,build_year,former_names\n"
        f"{IMO},OCEANIC ANNA,Panama,container,120000,355000000,2010,{former}\n")
    bl = _bl("2025-03-02")
    bl.fields["vessel_name"] = bl.fields["vessel_name"].model_copy(update={"value": printed})
    ev = build_evidence("S1", [bl, _invoice()], None, ReferenceStore.open(tmp_path), 36)
    flags = [f for f in red_flags(ev, 36) if f.code == "VESSEL_IDENTITY"]
    assert bool(flags) is flagged
    if flagged:
        assert ev.features["vessel_name_similarity"] < 0.5
        alike = ev.features["vessel_name_similarity"]
        assert flags[0].message == (f"IMO number {IMO} belongs to OCEANIC ANNA, not to the CAPE WISDOM "
                                    f"the bill of lading names ({alike:.0%} alike).")
    else:
        assert ev.features["vessel_name_similarity"] >= 0.85


@pytest.mark.parametrize(("bl_kg", "pl_kg", "flagged"), [
    (150_000_000.0, 150_000_000.0, True),   # both documents: 150,000 t on a 120,000 t ship
    (150_000_000.0, 15_000_000.0, False),   # the packing list says a tenth: a misread digit, not a fact
    (102_000_000.0, 102_000_000.0, False),  # 85 % of the deadweight: a full ship, no more
])
def test_cargo_heavier_than_the_ship_is_a_hard_flag(store: ReferenceStore, bl_kg: float, pl_kg: float,
                                                      flagged: bool) -> None:
    bl = _bl("2025-03-02")
    bl.fields["gross_weight_kg"] = bl.fields["gross_weight_kg"].model_copy(update={"value": bl_kg})
    pl = _doc("packing_list", gross_weight_kg=pl_kg)
    ev = build_evidence("S1", [bl, _invoice(), pl], None, store, 36)
    flags = [f for f in red_flags(ev, 36) if f.code == "VESSEL_CARGO_MISMATCH"]
    assert ev.features["weight_over_dwt"] == pytest.approx(bl_kg / 120_000_000)
    assert bool(flags) is flagged
    if flagged:
        assert flags[0].message == ("The bill of lading and packing list state 150,000 t gross, 25% more "
                                    "than the deadweight of OCEANIC ANNA (IMO 9074729), 120,000 t: the "
                                    "ship cannot lift it.")


def test_a_contract_read_with_its_parties_swapped_takes_the_role_its_title_names() -> None:
    """Both contracts put the applicant on the selling side: the one titled a purchase was misread."""
    applicant = "Shanghai Longsheng Resources Co., Ltd."
    bought = make_document("sales_contract", seller_name="Longsheng Resources Co., Ltd.",
                           buyer_name="Frontier Trading Limited")
    bought.contract_role = "purchase"
    sold = make_document("sales_contract", seller_name=applicant, buyer_name="Unity Trading FZE")
    sold.contract_role = "sale"
    grouped = group_documents([bought, sold], applicant)
    assert grouped.missing() == ["commercial_invoice", "bill_of_lading", "packing_list"]
    purchase = grouped.docs["purchase_contract"]
    assert purchase is not None and purchase.value("seller_name") == "Frontier Trading Limited"
    assert purchase.value("buyer_name") == "Longsheng Resources Co., Ltd."
    assert grouped.docs["sales_contract"] is sold
    assert bought.value("seller_name") == "Longsheng Resources Co., Ltd."  # the read itself is kept


def test_figures_that_differ_only_by_rounding_are_the_same_figure() -> None:
    assert ratio(692.308, 692.3085) == 0.0
    assert ratio(101.0, 100.0) == pytest.approx(0.01)
    assert math.isnan(ratio(None, 100.0))


def _unread_currency_invoice(price: float) -> DocumentResult:
    return _doc("commercial_invoice", invoice_number="INV1", unit_price=price, invoice_date="2025-03-05",
                quantity=100.0, total_amount=100.0 * price)


def test_unread_currency_is_taken_from_the_document_priced_alike() -> None:
    # A scan lost "JPY": the invoice is priced like the JPY contract, not like the USD one.
    docs = group_documents([_unread_currency_invoice(13849.0), _contract("purchase", 90.0, currency="USD"),
                            _contract("sale", 13000.0, currency="JPY")], "Huaxin Trading Co., Ltd.")
    assert docs.currency("commercial_invoice") == "JPY"
    assert docs.usd("commercial_invoice", "unit_price", "invoice_date") == pytest.approx(
        to_usd(13849.0, "JPY", "2025-03-05"))
    assert docs.currency("sales_contract") == "JPY"  # what was read stays


def test_unread_currency_with_no_document_priced_alike_stays_unknown() -> None:
    docs = group_documents([_unread_currency_invoice(13849.0), _contract("purchase", 90.0, currency="USD")],
                           "Huaxin Trading Co., Ltd.")
    assert docs.currency("commercial_invoice") is None
    # ... and to_usd reads a document that prints no currency as USD, as before
    assert docs.usd("commercial_invoice", "unit_price", "invoice_date") == pytest.approx(13849.0)
