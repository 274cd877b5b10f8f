"""Each typology changes what it claims to, within its magnitude, and nothing if it cannot apply."""

from datetime import date

import pytest
from stdnum import iso6346

from tradeverify.synth.deals import Deal, new_deal
from tradeverify.synth.documents import deal_documents
from tradeverify.synth.typologies import INJECTORS, TYPOLOGIES, Magnitudes, benign_lookalike
from tradeverify.synth.world import World, build_world


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


@pytest.mark.parametrize("typology", TYPOLOGIES)
def test_injection_labels_and_changes_documents(world: World, typology: str) -> None:
    deal = _containerized(world)
    history = [new_deal(world, f"H{i}", "BANK002") for i in range(5)]
    fraud = INJECTORS[typology](world, deal, Magnitudes(), history)
    assert fraud.typology == typology
    assert _docs(fraud) != _docs(deal)


def test_magnitudes(world: World) -> None:
    mag = Magnitudes()
    deal = _containerized(world)
    price = INJECTORS["PRICE_DEVIATION"](world, deal, mag, [])
    assert mag.price_sigmas[0] <= abs(price.magnitude) <= mag.price_sigmas[1]
    late = INJECTORS["VESSEL_NOT_AT_PORT"](world, deal, mag, [])
    assert late.magnitude >= mag.vessel_shift_days[0]
    margin = INJECTORS["MARGIN_ANOMALY"](world, deal, mag, [])
    assert margin.price_sell / margin.price_buy - 1 == pytest.approx(margin.magnitude, abs=0.01)


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
