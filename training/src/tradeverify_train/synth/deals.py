"""Clean offshore-resale deals drawn from the world, and the documents that describe them."""

from __future__ import annotations

import math
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from tradeverify.reference.sea import distance_nm
from tradeverify_train.synth import entities, trade_models
from tradeverify_train.synth.world import CARRIERS, HOME_COUNTRY, Commodity, Company, PortCall, Vessel, World

# Vets a voyage: (the vessel's calls, index of the loading call, index of the discharge call).
VoyageTest = Callable[[list[PortCall], int, int], bool]
DEAL_START = datetime(2025, 1, 15)
DEAL_END = datetime(2025, 12, 15)
CONTAINER_PAYLOAD_KG = 24_000.0
MAX_CONTAINERS = 30
# The most cargo an honest lot puts on a ship, as a share of its deadweight (bunkers, stores, water
# take the rest). The divisor 1.04 in _cargo covers the heaviest packaging (3.5 %).
CARGO_SHARE_OF_DWT = 0.95
GATE_IN_DAYS = 2  # a box is delivered to the terminal this long before its ship loads
PAYMENT_TERMS = ("L/C at sight", "T/T 30 days after B/L date", "D/P at sight", "T/T in advance")
# Invoicing currencies of each leg; the generator prices in USD and converts at the ECB rate.
CURRENCIES = ("USD", "EUR", "CNY", "GBP", "JPY", "SGD", "AUD", "CHF")
CURRENCY_WEIGHTS = (70, 10, 6, 4, 3, 3, 2, 2)


@dataclass
class Deal:
    """One offshore-resale deal: purchase leg (supplier -> applicant), sale leg (-> buyer)."""

    submission_id: str
    bank_id: str
    applicant: Company
    supplier: Company
    buyer: Company
    commodity: Commodity
    imo: str
    vessel_name: str
    carrier: int
    voyage: str
    pol: str
    pod: str
    on_board: date
    quantity: float
    contract_quantity: float
    price_buy: float
    price_sell: float
    net_kg: float
    gross_kg: float
    packages: int
    containers: list[str]
    contract_date: date
    sale_date: date
    latest_shipment: date
    invoice_date: date
    issue_date: date
    submitted_at: date
    numbers: dict[str, str]
    incoterms: tuple[str, str]
    payment_terms: str
    pl_gross_kg: float | None = None
    currency_buy: str = "USD"
    currency_sell: str = "USD"
    trade_model: str = "offshore_resale"
    # The sale leg when it differs from the purchase (entrusted processing): goods, quantity, ports.
    sale_commodity: Commodity | None = None
    sale_quantity: float | None = None
    sale_pol: str | None = None
    sale_pod: str | None = None
    typology: str = ""
    lookalike: str = ""
    magnitude: float = 0.0
    layouts: dict[str, str] = field(default_factory=dict)
    # Contract wording (synth/clauses.py) by stem when not the issuer's own house style.
    clause_styles: dict[str, dict[str, int]] = field(default_factory=dict)
    # True: both contracts share one layout (a clone); False: they must differ; None: drawn freely.
    same_contract_layout: bool | None = None
    # Field values a typology changes on one document only: stem -> {field: value}.
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def pick_voyage(
    world: World, com: Commodity, accept: VoyageTest | None = None, *, shadow: bool = False
) -> tuple[PortCall, PortCall] | None:
    """Pick a loading call and a later discharge call, both outside the home territory.

    ``shadow`` draws from the shadow fleet instead of the regular one; ``accept`` may veto a
    voyage (given the vessel's calls and the two indexes).
    """
    rng, ports = world.rng, world.ports()
    kind = rng.choice(com.vessel_types)
    fleet = [v for v in world.vessels if v.vessel_type == kind and v.shadow == shadow]
    if not fleet:
        return None
    calls = world.calls[rng.choice(fleet).imo]
    for _ in range(30):
        i = rng.randrange(len(calls) - 4)
        j = i + rng.randint(1, 3)
        load, disch = calls[i], calls[j]
        # Trade is loaded and discharged at the world's own ports, never at a risk port.
        known = load.locode in ports and disch.locode in ports
        abroad = known and all(ports[c.locode]["country"] != HOME_COUNTRY for c in (load, disch))
        if abroad and load.locode != disch.locode and DEAL_START <= load.departure <= DEAL_END \
                and (accept is None or accept(calls, i, j)):
            return load, disch
    return None


def _cargo(rng: random.Random, com: Commodity, vessel: Vessel) -> tuple[float, float, float]:
    """Return (quantity, net kg, gross kg) of a lot the vessel can lift.

    A lot larger than the ship takes is cut to what fits (the rest goes on another ship): an honest
    B/L never weighs more than the deadweight (that is VESSEL_CARGO_MISMATCH).
    """
    containerized = vessel.vessel_type == "container"
    lift = vessel.dwt * 1000 * CARGO_SHARE_OF_DWT / com.kg_per_unit / 1.04
    qty = min(rng.uniform(com.lot_min, com.lot_max), lift)
    if containerized:
        qty = min(qty, MAX_CONTAINERS * CONTAINER_PAYLOAD_KG / com.kg_per_unit / 1.04)
    qty = float(round(qty)) if com.unit in ("PCS", "BBL") else round(qty, 3)
    net = round(qty * com.kg_per_unit, 3)
    # Packaging (pallets, drums) adds 1-3.5 % in containers; bulk and liquid cargo adds ~nothing.
    tare = rng.uniform(0.01, 0.035) if containerized else rng.uniform(0.0, 0.002)
    return qty, net, round(net * (1 + tare), 3)


def _containers(rng: random.Random, carrier: int, gross_kg: float) -> list[str]:
    owner = CARRIERS[carrier][1]
    count = max(1, math.ceil(gross_kg / CONTAINER_PAYLOAD_KG))
    return [entities.new_container(rng, owner) for _ in range(count)]


def _numbers(rng: random.Random, deal_year: int, carrier: int) -> dict[str, str]:
    yy = str(deal_year)[2:]
    return {
        "purchase_contract": f"PC{yy}-{_digits(rng, 5)}",
        "sales_contract": f"SC-{yy}-{_digits(rng, 4)}",
        "invoice": f"INV{yy}{_digits(rng, 6)}",
        "bl": f"{CARRIERS[carrier][1]}{rng.choice('ABCDEFGH')}{_digits(rng, 9)}",
    }


def _dates(rng: random.Random, on_board: date) -> dict[str, Any]:
    contract = on_board - timedelta(days=rng.randint(20, 75))
    invoice = on_board + timedelta(days=rng.randint(0, 4))
    submitted = invoice + timedelta(days=rng.randint(1, 10))
    return {
        "contract_date": contract,
        "sale_date": contract + timedelta(days=rng.randint(0, 10)),
        "latest_shipment": on_board + timedelta(days=rng.randint(3, 30)),
        "invoice_date": invoice,
        "issue_date": on_board + timedelta(days=1 if rng.random() < 0.3 else 0),
        "submitted_at": submitted,
    }


def new_deal(
    world: World, submission_id: str, bank_id: str, accept: VoyageTest | None = None,
    *, shadow: bool = False,
) -> Deal:
    """Draw one deal from the world (on the shadow fleet, and vetted by ``accept``, if asked)."""
    rng = world.rng
    for _ in range(500):
        com = rng.choice(world.commodities)
        voyage = pick_voyage(world, com, accept, shadow=shadow)
        if voyage is not None:
            break
    else:
        raise RuntimeError(f"no voyage fits {submission_id} in 500 draws")
    load, disch = voyage
    vessel = next(v for v in world.vessels if v.imo == load.imo)
    containerized = vessel.vessel_type == "container"
    qty, net, gross = _cargo(rng, com, vessel)
    on_board = (load.departure - timedelta(hours=rng.uniform(0, 18))).date()
    median = world.benchmarks[(com.hs_code, on_board.strftime("%Y-%m"))]
    price = round(median * math.exp(rng.gauss(0.0, com.dispersion)), 2)
    containers = _containers(rng, vessel.carrier, gross) if containerized else []
    n_pack = len(containers) * rng.randint(10, 40) if containerized else 1
    supplier = rng.choice(world.by_role("supplier"))
    # An honest resale does not sell back to the supplier's own group (that is CIRCULAR_TRADE).
    buyer = rng.choice([b for b in world.by_role("buyer") if b.company_id != supplier.related_to])
    deal = Deal(
        submission_id, bank_id, rng.choice(world.by_role("applicant")), supplier, buyer, com,
        vessel.imo, vessel.name, vessel.carrier, f"{rng.randint(1, 99):03d}{rng.choice('EWNS')}",
        load.locode, disch.locode, on_board, qty,
        _more_or_less(rng, qty, com.unit), price, round(price * (1 + rng.uniform(0.005, 0.04)), 2),
        net, gross, n_pack, containers, numbers=_numbers(rng, on_board.year, vessel.carrier),
        incoterms=("FOB", rng.choice(("CFR", "CIF"))), payment_terms=rng.choice(PAYMENT_TERMS),
        **_dates(rng, on_board), currency_buy=_currency(rng), currency_sell=_currency(rng),
    )
    return trade_models.apply_trade_model(world, deal)


def loaded_at(deal: Deal) -> datetime:
    """Return when the deal's containers were loaded (08:00 of the on-board day)."""
    return datetime.combine(deal.on_board, datetime.min.time()) + timedelta(hours=8)


def discharged_at(world: World, deal: Deal) -> datetime:
    """Return when the deal's cargo left the ship at its port of discharge (sailing direct)."""
    speed = next(v.speed_kn for v in world.vessels if v.imo == deal.imo)
    return loaded_at(deal) + timedelta(hours=distance_nm(deal.pol, deal.pod) / speed)


def _currency(rng: random.Random) -> str:
    return rng.choices(CURRENCIES, weights=CURRENCY_WEIGHTS)[0]


def _more_or_less(rng: random.Random, qty: float, unit: str) -> float:
    """Contract quantity: invoices may differ from it by the usual +/-5 % tolerance."""
    value = qty * (1 + rng.uniform(-0.05, 0.05)) if rng.random() < 0.5 else qty
    return float(round(value)) if unit in ("PCS", "BBL") else round(value, 3)
