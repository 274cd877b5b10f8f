"""Each typology changes what it claims to, within its magnitude, and nothing if it cannot apply."""

import math
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from stdnum import iso6346

from tradeverify.match.chain import MARGIN_BANDS
from tradeverify.match.vessel import MAX_SPEED_KN
from tradeverify.reference.sea import RISK_PORTS, distance_nm
from tradeverify_train.synth import entities
from tradeverify_train.synth.deals import Deal, new_deal
from tradeverify_train.synth.documents import deal_documents
from tradeverify_train.synth.generate import WorldConfig, _draw
from tradeverify_train.synth.trade_models import MODELS
from tradeverify_train.synth.typologies import INJECTORS, TYPOLOGIES, Magnitudes, benign_lookalike
from tradeverify_train.synth.voyages import postdated_day
from tradeverify_train.synth.world import CUSTOMS_COVERED, World, build_world


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(31)


def _containerized(world: World) -> Deal:
    while True:
        deal = new_deal(world, "S1", "BANK001")
        if deal.containers:
            return deal


def _docs(deal: Deal) -> dict[str, dict]:
    return {stem: spec.fields for stem, spec in deal_documents(deal).items()}


# Typologies whose evidence is not in the documents' fields: the AIS feed, the registry, the wording.
OFF_DOCUMENT = {"ROUTE_RISK", "CIRCULAR_TRADE", "TEMPLATE_CLONE"}


def _inject(world: World, typology: str) -> tuple[Deal, Deal, list[Deal]]:
    """Inject into fresh containerized deals until one fits (as the generator does)."""
    for _ in range(50):
        deal, history = _containerized(world), [new_deal(world, f"H{i}", "BANK002") for i in range(5)]
        fraud = INJECTORS[typology](world, deal, Magnitudes(), history)
        if fraud.typology:
            return deal, fraud, history
    raise AssertionError(f"{typology} fits none of 50 deals")


@pytest.mark.parametrize("typology", sorted(set(TYPOLOGIES) - OFF_DOCUMENT))
def test_injection_labels_and_changes_documents(world: World, typology: str) -> None:
    deal, fraud, _ = _inject(world, typology)
    assert fraud.typology == typology
    assert _docs(fraud) != _docs(deal)


def test_route_risk_moves_a_call_to_a_risk_port(world: World) -> None:
    _, fraud, _ = _inject(world, "ROUTE_RISK")
    assert any(c.locode in RISK_PORTS for c in world.calls[fraud.imo])


def test_circular_trade_links_buyer_back_to_supplier(world: World) -> None:
    chains = 0
    for _ in range(10):
        deal, fraud, history = _inject(world, "CIRCULAR_TRADE")
        if fraud.buyer.company_id == fraud.supplier.related_to:
            continue  # sold to the supplier's own affiliate
        chains += 1
        earlier = history[5:]
        assert earlier and all(h.commodity.hs_code == deal.commodity.hs_code for h in earlier)
        sold_to = {h.supplier.name: h.applicant.name for h in earlier}
        node = fraud.buyer.name
        for _ in earlier:  # follow the earlier sales from the buyer
            node = sold_to[node]
        assert node == fraud.supplier.name
    assert chains > 0  # the seeded draws include the earlier-legs variant, not only affiliates


def test_template_clone_copies_the_sales_contract_wording(world: World) -> None:
    deal, fraud, _ = _inject(world, "TEMPLATE_CLONE")
    specs, honest = deal_documents(fraud), deal_documents(deal)
    assert fraud.same_contract_layout is True
    assert honest["purchase_contract"].clauses != honest["sales_contract"].clauses
    shared = set(specs["purchase_contract"].clauses) & set(specs["sales_contract"].clauses)
    assert len(shared) >= len(specs["sales_contract"].clauses) - 1


def test_magnitudes(world: World) -> None:
    mag = Magnitudes()
    deal = _containerized(world)
    price = INJECTORS["PRICE_DEVIATION"](world, deal, mag, [])
    assert mag.price_sigmas[0] <= abs(price.magnitude) <= mag.price_sigmas[1]
    # Off the market by the magnitude, whatever the deal's own price was.
    median = world.benchmarks[(deal.commodity.hs_code, deal.on_board.strftime("%Y-%m"))]
    measured = math.log(price.price_buy / median) / deal.commodity.dispersion
    assert measured == pytest.approx(price.magnitude, abs=0.01)
    assert price.price_sell / price.price_buy == pytest.approx(deal.price_sell / deal.price_buy, rel=1e-3)
    late = INJECTORS["VESSEL_NOT_AT_PORT"](world, deal, mag, [])
    assert late.magnitude >= mag.vessel_shift_days[0]
    margin = INJECTORS["MARGIN_ANOMALY"](world, deal, mag, [])
    if margin.sale_commodity is None:
        assert margin.price_sell / margin.price_buy - 1 == pytest.approx(margin.magnitude, abs=0.01)
    else:  # processing: the sale value against the purchase value
        value = margin.price_sell * margin.sale_quantity / (margin.price_buy * margin.contract_quantity)
        assert value - 1 == pytest.approx(margin.magnitude, abs=0.01)


def test_container_invalid_breaks_or_fabricates(world: World) -> None:
    kinds = set()
    for _ in range(16):
        fraud = INJECTORS["CONTAINER_INVALID"](world, _containerized(world), Magnitudes(), [])
        forged = _docs(fraud)["bill_of_lading"]["container_numbers"]
        assert _docs(fraud)["packing_list"]["container_numbers"] == forged
        new = [c for c in forged if c not in fraud.containers]
        assert new and all(len(c) == 11 for c in new)
        valid = {iso6346.is_valid(c) for c in new}
        assert len(valid) == 1  # one draw forges one way: broken check digits, or unseen numbers
        kinds |= valid
    assert kinds == {True, False}


def test_bought_afloat_lookalike_is_honest_chronology(world: World) -> None:
    for _ in range(40):
        deal = benign_lookalike(world, new_deal(world, "S2", "BANK001"), [])
        if deal.lookalike == "BOUGHT_AFLOAT":
            assert deal.contract_date > deal.on_board and deal.typology == ""
            assert date.fromisoformat(_docs(deal)["commercial_invoice"]["invoice_date"]) >= deal.contract_date
            return
    pytest.fail("no BOUGHT_AFLOAT drawn in 40 tries of a seeded world")


def _lookalikes(world: World, deal: Deal, history: list[Deal], kind: str, tries: int = 80) -> list[Deal]:
    """Draw lookalikes of ``deal`` and return those of ``kind``."""
    # A fresh history each draw: REPEAT_COUNTERPARTY adds an earlier leg to it.
    drawn = [benign_lookalike(world, deal, list(history)) for _ in range(tries)]
    return [d for d in drawn if d.lookalike == kind]


def test_container_reuse_never_takes_a_box_still_aboard(world: World) -> None:
    # A box on the same ship and day is aboard for another shipper: listing it is a duplicate B/L.
    deal = _containerized(world)
    donor = replace(deal, submission_id="H9", containers=[entities.new_container(world.rng, "ABC")])
    for shown in _lookalikes(world, deal, [donor], "CONTAINER_REUSE"):
        assert donor.containers[0] not in shown.containers


def test_container_reuse_takes_a_box_released_by_an_earlier_voyage(world: World) -> None:
    deal = _containerized(world)
    earlier = replace(deal, submission_id="H8", on_board=deal.on_board - timedelta(days=90),
                      containers=[entities.new_container(world.rng, "ABC")])
    reused = _lookalikes(world, deal, [earlier], "CONTAINER_REUSE")
    assert reused and all(earlier.containers[0] in shown.containers for shown in reused)


def test_feeds_record_what_an_honest_lookalike_shows(world: World) -> None:
    cfg = WorldConfig(n=1, seed=31, fraud_rate=0.0, lookalike_rate=1.0)
    history = [new_deal(world, f"H{i}", "BANK002") for i in range(30)]
    kinds = set()
    for i in range(60):
        real, shown = _draw(world, cfg, history, f"S{i}", "BANK001")
        kinds.add(shown.lookalike)
        if shown.lookalike == "LATE_BL_DATE":
            assert real.on_board == shown.on_board - timedelta(days=1)
        else:
            assert real == shown
    assert {"PRICE_PREMIUM", "CONTAINER_REUSE", "LONG_VOYAGE"} <= kinds


def _value_margin(deal: Deal) -> float:
    """Sale over purchase as the matcher measures it: unit prices, or values for other goods."""
    if deal.sale_commodity is None:
        return deal.price_sell / deal.price_buy - 1
    return deal.price_sell * (deal.sale_quantity or 0.0) / (deal.price_buy * deal.contract_quantity) - 1


def test_thin_margin_lookalike_is_thin_and_plausible_for_every_trade_model(world: World) -> None:
    # A processing deal sells other goods in another quantity: its margin is by value, not unit price.
    by_model: dict[str, Deal] = {}
    for i in range(400):
        deal = new_deal(world, f"S{i}", "BANK001")
        by_model.setdefault(deal.trade_model, deal)
    assert set(by_model) == set(MODELS)
    for model, deal in by_model.items():
        thin = _lookalikes(world, deal, [], "THIN_MARGIN")
        assert thin, model
        for shown in thin:
            # Thin: inside the band the matcher accepts, and no more than a few per cent.
            assert MARGIN_BANDS[model][0] <= _value_margin(shown) <= 0.07, model


def test_honest_cargo_fits_the_ships_deadweight(world: World) -> None:
    # More cargo than the deadweight is VESSEL_CARGO_MISMATCH; an honest lot never is (bulk and
    # tanker lots, e.g. 170,000 t of ore or a million barrels, exceed the smaller ships).
    dwt_kg = {v.imo: v.dwt * 1000 for v in world.vessels}
    deals = [new_deal(world, f"S{i}", "BANK001") for i in range(400)]
    assert all(d.gross_kg <= dwt_kg[d.imo] for d in deals)
    assert max(d.gross_kg / dwt_kg[d.imo] for d in deals) > 0.5


def _checked_speed_ratio(world: World, deal: Deal) -> float:
    """The voyage check's measure: first POD arrival after the on-board day, one day's slack."""
    start = datetime.combine(deal.on_board, datetime.min.time())
    arrival = next(c.arrival for c in world.calls[deal.imo] if c.locode == deal.pod and c.arrival > start)
    kind = next(v.vessel_type for v in world.vessels if v.imo == deal.imo)
    hours = (arrival - start).total_seconds() / 3600 + 24
    return distance_nm(deal.pol, deal.pod) / hours / MAX_SPEED_KN[kind]


def test_postdated_voyage_is_impossible_at_day_resolution(world: World) -> None:
    # A postdated B/L the check cannot see once rounded to a day (a 226 nm hop) is no fraud at all.
    postdated = []
    for i in range(300):
        fraud = INJECTORS["VOYAGE_IMPLAUSIBLE"](world, new_deal(world, f"S{i}", "BANK001"), Magnitudes(), [])
        if fraud.typology and fraud.magnitude > 0:
            postdated.append(fraud)
    assert len(postdated) > 50
    assert all(_checked_speed_ratio(world, d) >= 1.25 for d in postdated)
    assert all(abs(_checked_speed_ratio(world, d) - d.magnitude) < 1e-3 for d in postdated)


def test_a_short_voyage_cannot_be_postdated_visibly() -> None:
    arrival = datetime(2025, 5, 10, 15, 0)
    assert postdated_day(arrival, top_hours=226 / 16.5, k=1.25) is None
    # 60 h at twice top speed, less the day of slack: loading after 05-09 03:00, so 05-10.
    assert postdated_day(arrival, top_hours=120.0, k=2.0) == date(2025, 5, 10)


def test_customs_mismatch_only_where_a_declaration_exists(world: World) -> None:
    covered = uncovered = 0
    for i in range(60):
        deal = new_deal(world, f"S{i}", "BANK001")
        fraud = INJECTORS["CUSTOMS_MISMATCH"](world, deal, Magnitudes(), [])
        ends = {world.ports()[deal.pol]["country"], world.ports()[deal.pod]["country"]}
        if ends & CUSTOMS_COVERED:  # an export declaration at loading or an import one at discharge
            covered += 1
            assert fraud.typology == "CUSTOMS_MISMATCH" and fraud.quantity > deal.quantity * 1.14
        else:
            uncovered += 1
            assert fraud == deal  # nothing to disagree with: the generator draws another deal
    assert covered and uncovered


def test_world_has_honest_namesakes_of_sanctioned_entities(world: World) -> None:
    from tradeverify_train.synth.world import NAMESAKES, SANCTIONED_ENTITIES
    buyers = {c.name for c in world.by_role("buyer")}
    for name, _port in NAMESAKES:
        assert name in buyers
        assert any(set(name.split()) < set(listed.split()) for listed in SANCTIONED_ENTITIES)
