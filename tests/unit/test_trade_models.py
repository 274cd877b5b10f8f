"""The four trade models in the generator and the chain checks, and contract template clones."""

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from tradeverify.config import Settings
from tradeverify.extract.document import extract_document
from tradeverify.features.builder import build_evidence
from tradeverify.match.evidence import group_documents
from tradeverify.match.templates import template_evidence
from tradeverify.reference.store import ReferenceStore, schema_version
from tradeverify_train.synth.deals import new_deal
from tradeverify_train.synth.documents import deal_documents, submission_json
from tradeverify_train.synth.render import render_pdf
from tradeverify_train.synth.schemes import template_clone
from tradeverify_train.synth.trade_models import BY_INPUT, MODELS
from tradeverify_train.synth.typologies import Magnitudes
from tradeverify_train.synth.voyages import long_voyage
from tradeverify_train.synth.world import World, build_world

from ..conftest import make_document


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(41)


@pytest.fixture(scope="module")
def deals(world: World) -> list:
    return [new_deal(world, f"S{i}", "BANK001") for i in range(300)]


def test_every_trade_model_is_drawn(deals: list) -> None:
    counts = Counter(d.trade_model for d in deals)
    assert set(counts) == set(MODELS) and min(counts.values()) >= 10
    assert all(submission_json(d)["trade_model"] == d.trade_model for d in deals[:20])


def test_processing_sells_the_processed_goods_from_the_processor(deals: list) -> None:
    for deal in (d for d in deals if d.trade_model == "entrusted_processing"):
        docs = {stem: spec.fields for stem, spec in deal_documents(deal).items()}
        buy, sell = docs["purchase_contract"], docs["sales_contract"]
        route = BY_INPUT[buy["hs_code"]]
        assert sell["hs_code"] == route.output_hs
        assert route.yield_min * 0.999 <= sell["quantity"] / buy["quantity"] <= route.yield_max * 1.001
        assert sell["port_of_loading"] == docs["bill_of_lading"]["port_of_discharge"]


def test_a_longer_voyage_moves_the_processor_with_the_goods(world: World, deals: list) -> None:
    # Honest: the goods land further along the rotation and the processor works them there, so
    # the sale leg loads where the B/L discharges (the chain check must not see a disagreement).
    moved = [m for m in (long_voyage(world, d) for d in deals if d.trade_model == "entrusted_processing")
             if m is not None]
    assert len(moved) >= 5
    for deal in moved:
        docs = {stem: spec.fields for stem, spec in deal_documents(deal).items()}
        assert docs["sales_contract"]["port_of_loading"] == docs["bill_of_lading"]["port_of_discharge"]
        assert docs["sales_contract"]["port_of_discharge"] != docs["bill_of_lading"]["port_of_discharge"]


def test_global_procurement_buys_for_the_applicants_affiliate(deals: list) -> None:
    procurement = [d for d in deals if d.trade_model == "global_procurement"]
    assert procurement and all(d.buyer.company_id == d.applicant.related_to for d in procurement)



@pytest.fixture()
def store(tmp_path: Path) -> ReferenceStore:
    (tmp_path / "processing_routes.csv").write_text(
        "input_hs,output_hs,yield_min,yield_max\n120190,230400,0.76,0.80\n")
    return ReferenceStore.open(tmp_path)


def _processing(sale_hs: str = "230400", sale_qty: float = 39_000.0, sale_pol: str = "NLRTM") -> list:
    buy = make_document("sales_contract", seller_name="Pampas Grain S.A.", buyer_name="Huaxin Trading",
                        hs_code="120190", quantity=50_000.0, unit_price=420.0, total_amount=21_000_000.0,
                        port_of_loading="BRSSZ", port_of_discharge="NLRTM", contract_date="2025-03-05")
    sell = make_document("sales_contract", seller_name="Huaxin Trading", buyer_name="Nordic Feed B.V.",
                         hs_code=sale_hs, quantity=sale_qty, unit_price=650.0, total_amount=sale_qty * 650.0,
                         port_of_loading=sale_pol, port_of_discharge="DEHAM", contract_date="2025-03-05")
    bl = make_document("bill_of_lading", hs_code="120190", port_of_loading="BRSSZ", port_of_discharge="NLRTM")
    return [buy, sell, bl]


def _chain(store: ReferenceStore, docs: list, model: str = "entrusted_processing") -> dict:
    ev = build_evidence({"submission_id": "S1", "applicant": "Huaxin Trading", "trade_model": model},
                        docs, store, Settings())
    return {**ev.features, "check": next(c for c in ev.checks if c.name == "resale_margin").status}


def test_processing_chain_is_judged_against_the_route(store: ReferenceStore) -> None:
    good = _chain(store, _processing())
    assert good["processing_route_known"] == 1.0 and good["processing_yield_gap"] == 0.0
    assert good["chain_goods_disagreements"] == 0.0 and good["chain_port_disagreements"] == 0.0
    assert good["resale_margin"] == pytest.approx(39_000 * 650 / 21_000_000 - 1)
    assert good["check"] == "pass" and good["trade_model_code"] == 2.0
    # Copper sold out of soya beans: the sale leg does not describe what was bought.
    copper = _chain(store, _processing(sale_hs="740311"))
    assert copper["processing_route_known"] == 0.0 and copper["chain_goods_disagreements"] == 1.0
    over = _chain(store, _processing(sale_qty=45_000.0))
    assert over["processing_yield_gap"] == pytest.approx(0.9 / 0.8 - 1)
    assert _chain(store, _processing(sale_pol="BEANR"))["chain_port_disagreements"] == 1.0


def test_same_documents_as_a_resale_are_a_chain_mismatch(store: ReferenceStore) -> None:
    resale = _chain(store, _processing(), model="offshore_resale")
    assert resale["chain_goods_disagreements"] == 1.0 and resale["chain_qty_gap"] > 0.2
    assert resale["trade_model_code"] == 0.0 and resale["check"] == "fail"


def test_store_rebuilds_for_another_schema(tmp_path: Path) -> None:
    (tmp_path / "processing_routes.csv").write_text("input_hs,output_hs,yield_min,yield_max\n")
    ReferenceStore.open(tmp_path).conn.close()
    with sqlite3.connect(tmp_path / ".store.sqlite") as conn:
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    store = ReferenceStore.open(tmp_path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()


def test_cloned_contract_is_measured_alike(world: World, tmp_path: Path) -> None:
    deal = next(d for d in (new_deal(world, f"T{i}", "BANK001") for i in range(50))
                if d.trade_model == "offshore_resale")
    for name, candidate in (("honest", deal), ("clone", template_clone(world, deal, Magnitudes(), []))):
        layouts = {"purchase_contract": "A", "sales_contract": "A" if name == "clone" else "B"}
        specs = deal_documents(type(deal)(**{**candidate.__dict__, "layouts": layouts}))
        docs = []
        for stem in ("purchase_contract", "sales_contract"):
            render_pdf(specs[stem], tmp_path / f"{name}-{stem}.pdf")
            docs.append(extract_document(tmp_path / f"{name}-{stem}.pdf"))
        ev = template_evidence(group_documents(docs, deal.applicant.name))
        text, layout = ev.features["template_text_similarity"], ev.features["template_layout_similarity"]
        clauses = ev.features["template_clause_containment"]
        if name == "clone":
            assert text >= 0.5 and layout >= 0.45 and clauses >= 0.8
            assert ev.features["template_clone_check"] == 1.0
        else:
            assert text < 0.45 and layout < 0.3 and clauses < 0.6
            assert ev.features["template_clone_check"] == 0.0
