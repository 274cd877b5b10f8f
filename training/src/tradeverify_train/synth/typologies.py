"""Fraud typologies injected into clean deals, each with a tunable magnitude, and benign lookalikes.

Magnitudes are deliberately subtle (shared/DESIGN §6): a price off by 2.5-5 dispersions, a weight
off by 4-15 %, an on-board date 2-20 days away from the vessel's call. Lookalikes put honest deals
near the same features: AIS gaps, premium grades, reused containers, packaging variance.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from tradeverify.domain import TYPOLOGIES
from tradeverify_train.synth import entities, schemes, trade_models, voyages
from tradeverify_train.synth.deals import GATE_IN_DAYS, Deal, discharged_at, loaded_at
from tradeverify_train.synth.documents import local_price
from tradeverify_train.synth.world import CUSTOMS_COVERED, SANCTIONED_ENTITIES, World

LOOKALIKES = ("AIS_GAP", "PRICE_PREMIUM", "CONTAINER_REUSE", "LATE_BL_DATE", "THIN_MARGIN",
              "BOUGHT_AFLOAT", "LONG_VOYAGE", "REPEAT_COUNTERPARTY", "STANDARD_FORM")
# Schemes whose documents describe the shipment truthfully: the feeds record what they say.
TRUE_SHIPMENT = frozenset({"CIRCULAR_TRADE", "ROUTE_RISK"})


@dataclass(frozen=True)
class Magnitudes:
    """Tunable magnitude ranges of the injected typologies."""

    vessel_shift_days: tuple[float, float] = (2.0, 20.0)
    price_sigmas: tuple[float, float] = (2.5, 5.0)
    weight_gap: tuple[float, float] = (0.04, 0.15)
    bl_number_edit_rate: float = 0.4


def _port_gap_days(world: World, imo: str, locode: str, when: datetime) -> float:
    """Return days from ``when`` to the nearest stay of the vessel at the port."""
    gaps = [
        0.0 if c.arrival <= when <= c.departure
        else min(abs((when - c.arrival).total_seconds()), abs((when - c.departure).total_seconds()))
        / 86400
        for c in world.calls[imo] if c.locode == locode
    ]
    return min(gaps, default=math.inf)


def vessel_not_at_port(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """Date the shipment on a day the named vessel was not at the port of loading."""
    rng = world.rng
    for _ in range(40):
        days = rng.uniform(*mag.vessel_shift_days) * rng.choice((-1, 1))
        on_board = deal.on_board + timedelta(days=round(days))
        noon = datetime.combine(on_board, datetime.min.time()) + timedelta(hours=12)
        gap = _port_gap_days(world, deal.imo, deal.pol, noon)
        if gap >= mag.vessel_shift_days[0]:
            shift = on_board - deal.on_board
            return replace(
                deal, on_board=on_board, issue_date=deal.issue_date + shift,
                invoice_date=deal.invoice_date + shift, submitted_at=deal.submitted_at + shift,
                typology="VESSEL_NOT_AT_PORT", magnitude=round(gap, 2),
            )
    return deal


def price_deviation(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """Over- or under-invoice the goods by a few price dispersions from the market (trade-based laundering).

    The invoiced price is set against the month's market median, as a launderer prices against the
    market: scaling the deal's own price instead added its natural spread (one dispersion) to the
    magnitude, so that a 4.6-dispersion scheme measured 2.5 and the label did not say what was done.
    """
    rng = world.rng
    k = rng.uniform(*mag.price_sigmas) * (1 if rng.random() < 0.7 else -1)
    median = world.benchmarks[(deal.commodity.hs_code, deal.on_board.strftime("%Y-%m"))]
    factor = median * math.exp(k * deal.commodity.dispersion) / deal.price_buy
    return replace(
        deal, price_buy=round(deal.price_buy * factor, 2),
        price_sell=round(deal.price_sell * factor, 2), typology="PRICE_DEVIATION", magnitude=k,
    )


def duplicate_document(world: World, deal: Deal, mag: Magnitudes, history: list[Deal]) -> Deal:
    """Present the bill of lading of an earlier, already financed shipment again."""
    rng = world.rng
    old = rng.choice(history)
    bl = old.numbers["bl"]
    if rng.random() < mag.bl_number_edit_rate:
        # A forger alters one digit so that an exact-number check misses it.
        pos = rng.randrange(len(bl) - 6, len(bl))
        bl = bl[:pos] + str((int(bl[pos]) + rng.randint(1, 9)) % 10) + bl[pos + 1:]
    numbers = {**deal.numbers, "bl": bl}
    return replace(
        deal, commodity=old.commodity, imo=old.imo, vessel_name=old.vessel_name,
        carrier=old.carrier, voyage=old.voyage, pol=old.pol, pod=old.pod, on_board=old.on_board,
        quantity=old.quantity, contract_quantity=old.contract_quantity, price_buy=old.price_buy,
        price_sell=old.price_sell, net_kg=old.net_kg, gross_kg=old.gross_kg,
        packages=old.packages, containers=list(old.containers), issue_date=old.issue_date,
        trade_model=old.trade_model, sale_commodity=old.sale_commodity, sale_quantity=old.sale_quantity,
        sale_pol=old.sale_pol, sale_pod=old.sale_pod,
        numbers=numbers, typology="DUPLICATE_DOCUMENT", magnitude=float(bl != old.numbers["bl"]),
    )


def qty_weight_mismatch(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """Invoice more goods than were shipped, or a packing list that disagrees with the B/L."""
    rng = world.rng
    gap = rng.uniform(*mag.weight_gap)
    if rng.random() < 0.7:
        qty = deal.quantity * (1 + gap)
        qty = float(round(qty)) if deal.commodity.unit in ("PCS", "BBL") else round(qty, 3)
        return replace(deal, quantity=qty, typology="QTY_WEIGHT_MISMATCH", magnitude=gap)
    pl_gross = round(deal.gross_kg * (1 + gap * rng.choice((-1, 1))), 3)
    return replace(deal, pl_gross_kg=pl_gross, typology="QTY_WEIGHT_MISMATCH", magnitude=gap)


def _scaled(quantity: float | None, factor: float) -> float | None:
    """Scale a processing deal's output quantity with its input (None stays None)."""
    return None if quantity is None else round(quantity * factor, 3)


def _sign(rng: random.Random) -> int:
    return 1 if rng.random() < 0.5 else -1


def margin_anomaly(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """Sell at a loss or at a mark-up implausible for the trade model (value moved off- or onshore)."""
    rng = world.rng
    high = trade_models.EXCESS[deal.trade_model]
    margin = -rng.uniform(0.01, 0.12) if rng.random() < 0.5 else rng.uniform(*high)
    if deal.sale_commodity is not None:  # processing: the sale leg's value, not its unit price
        deal = trade_models.processing_leg(world, deal, margin)
        return replace(deal, typology="MARGIN_ANOMALY", magnitude=margin)
    return replace(deal, price_sell=round(deal.price_buy * (1 + margin), 2),
                   typology="MARGIN_ANOMALY", magnitude=margin)


def chain_mismatch(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """Make the sale leg not describe the purchased goods: other port, quantity or goods."""
    rng = world.rng
    kind = rng.choice(("port", "quantity", "goods"))
    if kind == "port":
        other = rng.choice([p for p in world.ports() if p not in (deal.pol, deal.pod)])
        # Processing: the output leaves from the processor's port, which must be the B/L's POD.
        change: dict[str, Any] = {"port_of_loading" if deal.sale_pol else "port_of_discharge": other}
    elif kind == "quantity":
        base = deal.sale_quantity or deal.contract_quantity
        qty = round(base * (1 + _sign(rng) * rng.uniform(0.1, 0.3)), 3)
        # A forger keeps the contract's arithmetic: the total follows the altered quantity.
        price = local_price(deal.price_sell, deal.currency_sell, deal.sale_date)
        change = {"quantity": qty, "total_amount": round(qty * price, 2)}
    else:
        sold = (deal.sale_commodity or deal.commodity).hs_code
        goods = rng.choice([c for c in world.commodities if c.hs_code not in (deal.commodity.hs_code, sold)])
        change = {"goods_description": goods.description, "hs_code": goods.hs_code}
    return replace(deal, overrides={**deal.overrides, "sales_contract": change},
                   typology="CHAIN_MISMATCH", magnitude=float(("port", "quantity", "goods").index(kind)))


def container_invalid(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """Containers that do not exist: a broken check digit, or numbers with no carrier events."""
    rng = world.rng
    if not deal.containers:
        return deal
    forged = list(deal.containers)
    k = rng.randint(1, max(1, len(forged) // 3))
    broken = rng.random() < 0.5
    for i in rng.sample(range(len(forged)), k):
        number = entities.new_container(rng, forged[i][:3])
        forged[i] = number[:-1] + str((int(number[-1]) + rng.randint(1, 9)) % 10) if broken else number
    # The carrier's feed knows only the genuine boxes: the forged ones have no events.
    return replace(deal, overrides={**deal.overrides, "bill_of_lading": {"container_numbers": forged},
                                    "packing_list": {"container_numbers": forged}},
                   typology="CONTAINER_INVALID", magnitude=k / len(forged))


def vessel_identity(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """Forge the B/L's IMO number, or take that of another ship than the name printed."""
    rng = world.rng
    if rng.random() < 0.4:
        imo = deal.imo[:6] + str((int(deal.imo[6]) + rng.randint(1, 9)) % 10)
    else:
        imo = rng.choice([v.imo for v in world.vessels if v.imo != deal.imo])
    return replace(deal, overrides={**deal.overrides, "bill_of_lading": {"imo_number": imo}},
                   typology="VESSEL_IDENTITY", magnitude=float(imo[:6] == deal.imo[:6]))


def vessel_cargo_mismatch(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """More cargo than the ship can lift (weight above its deadweight), documents consistent."""
    rng = world.rng
    dwt_kg = next(v.dwt for v in world.vessels if v.imo == deal.imo) * 1000
    factor = dwt_kg * rng.uniform(1.05, 1.5) / deal.gross_kg
    qty = deal.quantity * factor
    qty = float(round(qty)) if deal.commodity.unit in ("PCS", "BBL") else round(qty, 3)
    return replace(deal, quantity=qty, contract_quantity=qty, net_kg=round(deal.net_kg * factor, 3),
                   gross_kg=round(deal.gross_kg * factor, 3), typology="VESSEL_CARGO_MISMATCH",
                   sale_quantity=_scaled(deal.sale_quantity, factor),
                   magnitude=factor * deal.gross_kg / dwt_kg)


def chronology(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """Dates out of order: invoice before shipment, B/L issued before loading, shipped too late."""
    rng = world.rng
    days = rng.randint(3, 25)
    kind = rng.choice(("invoice", "issue", "late"))
    if kind == "invoice":
        change = {"commercial_invoice": {"invoice_date": (deal.on_board - timedelta(days=days)).isoformat()}}
    elif kind == "issue":
        change = {"bill_of_lading": {"issue_date": (deal.on_board - timedelta(days=days)).isoformat()}}
    else:
        late = (deal.on_board - timedelta(days=days)).isoformat()
        change = {"purchase_contract": {"latest_shipment_date": late}}
    return replace(deal, overrides={**deal.overrides, **change}, typology="CHRONOLOGY", magnitude=days)


def _misspell(rng: random.Random, name: str) -> str:
    """Return a sanctioned name as evaders write it: abbreviations, dropped or doubled letters."""
    variants = (name.replace("Trading", "Trdg"), name.replace("Holdings", "Hldgs"),
                name.replace("Ltd", "Limited"), name[:3] + name[4:], name.upper())
    return rng.choice([v for v in variants if v != name] or [name.upper()])


def watchlist_hit(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """Make a lightly disguised sanctioned entity the buyer (notify party on the B/L)."""
    rng = world.rng
    name = _misspell(rng, rng.choice(SANCTIONED_ENTITIES))
    return replace(deal, overrides={**deal.overrides, "sales_contract": {"buyer_name": name},
                                    "bill_of_lading": {"notify_party": name}},
                   typology="WATCHLIST_HIT", magnitude=0.0)


def party_profile(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """Buy from a company incorporated weeks before the deal (a front)."""
    rng = world.rng
    young = [c for c in world.by_role("shell") if c.incorporated < deal.contract_date.isoformat()]
    if not young:
        return deal
    shell = rng.choice(young)
    age = (deal.contract_date - datetime.fromisoformat(shell.incorporated).date()).days
    return replace(deal, supplier=shell, typology="PARTY_PROFILE", magnitude=float(age))


def customs_mismatch(world: World, deal: Deal, mag: Magnitudes, _h: list[Deal]) -> Deal:
    """Every document claims more goods than the customs declarations of the shipment show.

    The scheme is a disagreement with a declaration: where neither the country of loading nor
    that of discharge publishes customs data there is none to disagree with, and the draw moves
    on to another deal.
    """
    rng, ports = world.rng, world.ports()
    if not {ports[deal.pol]["country"], ports[deal.pod]["country"]} & CUSTOMS_COVERED:
        return deal
    factor = 1 + rng.uniform(0.15, 0.4)
    qty = deal.quantity * factor
    qty = float(round(qty)) if deal.commodity.unit in ("PCS", "BBL") else round(qty, 3)
    return replace(deal, quantity=qty, contract_quantity=qty, net_kg=round(deal.net_kg * factor, 3),
                   gross_kg=round(deal.gross_kg * factor, 3), typology="CUSTOMS_MISMATCH",
                   sale_quantity=_scaled(deal.sale_quantity, factor), magnitude=factor - 1)


INJECTORS: dict[str, Callable[[World, Deal, Magnitudes, list[Deal]], Deal]] = {
    "VESSEL_NOT_AT_PORT": vessel_not_at_port,
    "PRICE_DEVIATION": price_deviation,
    "DUPLICATE_DOCUMENT": duplicate_document,
    "QTY_WEIGHT_MISMATCH": qty_weight_mismatch,
    "MARGIN_ANOMALY": margin_anomaly,
    "CHAIN_MISMATCH": chain_mismatch,
    "CONTAINER_INVALID": container_invalid,
    "VESSEL_IDENTITY": vessel_identity,
    "VESSEL_CARGO_MISMATCH": vessel_cargo_mismatch,
    "CHRONOLOGY": chronology,
    "WATCHLIST_HIT": watchlist_hit,
    "PARTY_PROFILE": party_profile,
    "CUSTOMS_MISMATCH": customs_mismatch,
    "VOYAGE_IMPLAUSIBLE": voyages.voyage_implausible,
    "ROUTE_RISK": voyages.route_risk,
    "CIRCULAR_TRADE": schemes.circular_trade,
    "TEMPLATE_CLONE": schemes.template_clone,
}


def released_before(world: World, donor: Deal, deal: Deal) -> bool:
    """Return True when the donor's boxes were discharged in time to be gated in for ``deal``.

    A box carries one shipment at a time: an honest reuse takes one whose earlier voyage is over,
    never one still aboard (that would be the same box on two bills of lading, a duplicate).
    """
    return discharged_at(world, donor) <= loaded_at(deal) - timedelta(days=GATE_IN_DAYS)


def lookalike_truth(original: Deal, shown: Deal) -> Deal:
    """Return what really happened in an honest lookalike deal: what the feeds must record.

    Honest documents tell the truth, so the feeds record the deal as shown (the reused box, the
    premium price, the longer voyage); only a B/L dated a day late leaves the real loading day.
    """
    return original if shown.lookalike == "LATE_BL_DATE" else shown


def benign_lookalike(world: World, deal: Deal, history: list[Deal]) -> Deal:
    """Give an honest deal a feature that resembles a typology without being one."""
    rng = world.rng
    kind = rng.choice(LOOKALIKES)
    if kind == "AIS_GAP":
        call = next(c for c in world.calls[deal.imo] if c.locode == deal.pol
                    and c.departure.date() >= deal.on_board)
        world.hidden_calls.add((call.imo, call.locode, call.arrival))
        return replace(deal, lookalike=kind)
    if kind == "PRICE_PREMIUM":
        k = rng.uniform(1.3, 2.3) * rng.choice((-1, 1))
        factor = math.exp(k * deal.commodity.dispersion)
        return replace(deal, price_buy=round(deal.price_buy * factor, 2),
                       price_sell=round(deal.price_sell * factor, 2), lookalike=kind)
    if kind == "CONTAINER_REUSE" and deal.containers:
        donors = [h for h in history if h.containers and h.carrier == deal.carrier
                  and released_before(world, h, deal)]
        if donors:
            reused = rng.choice(donors).containers[:1]
            return replace(deal, containers=reused + deal.containers[1:], lookalike=kind)
    if kind == "LATE_BL_DATE":
        return replace(deal, on_board=deal.on_board + timedelta(days=1), lookalike=kind)
    if kind == "THIN_MARGIN":
        return trade_models.thin_margin(world, deal)
    if kind == "BOUGHT_AFLOAT":
        # Cargo bought while at sea: the contracts postdate loading, which is legitimate.
        signed = deal.on_board + timedelta(days=rng.randint(2, 12))
        return replace(deal, contract_date=signed, sale_date=signed, lookalike=kind,
                       invoice_date=max(deal.invoice_date, signed),
                       latest_shipment=signed + timedelta(days=10),
                       submitted_at=max(deal.submitted_at, signed + timedelta(days=2)))
    if kind == "LONG_VOYAGE":
        return voyages.long_voyage(world, deal) or deal
    if kind == "REPEAT_COUNTERPARTY":
        return schemes.repeat_counterparty(world, deal, history)
    if kind == "STANDARD_FORM":
        return schemes.standard_form(world, deal)
    return deal


def choose_typology(rng: random.Random, fraud_rate: float) -> str:
    """Return a typology id, or "" for an honest deal."""
    return rng.choice(TYPOLOGIES) if rng.random() < fraud_rate else ""
