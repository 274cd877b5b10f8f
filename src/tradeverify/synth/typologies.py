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

from tradeverify.synth.deals import Deal
from tradeverify.synth.world import World

TYPOLOGIES = ("VESSEL_NOT_AT_PORT", "PRICE_DEVIATION", "DUPLICATE_DOCUMENT", "QTY_WEIGHT_MISMATCH")
LOOKALIKES = ("AIS_GAP", "PRICE_PREMIUM", "CONTAINER_REUSE", "LATE_BL_DATE")


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
    """Over- or under-invoice the goods by a few price dispersions (trade-based laundering)."""
    rng = world.rng
    k = rng.uniform(*mag.price_sigmas) * (1 if rng.random() < 0.7 else -1)
    factor = math.exp(k * deal.commodity.dispersion)
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


INJECTORS: dict[str, Callable[[World, Deal, Magnitudes, list[Deal]], Deal]] = {
    "VESSEL_NOT_AT_PORT": vessel_not_at_port,
    "PRICE_DEVIATION": price_deviation,
    "DUPLICATE_DOCUMENT": duplicate_document,
    "QTY_WEIGHT_MISMATCH": qty_weight_mismatch,
}


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
        donors = [h for h in history if h.containers and h.carrier == deal.carrier]
        if donors:
            reused = rng.choice(donors).containers[:1]
            return replace(deal, containers=reused + deal.containers[1:], lookalike=kind)
    if kind == "LATE_BL_DATE":
        return replace(deal, on_board=deal.on_board + timedelta(days=1), lookalike=kind)
    return deal


def choose_typology(rng: random.Random, fraud_rate: float) -> str:
    """Return a typology id, or "" for an honest deal."""
    return rng.choice(TYPOLOGIES) if rng.random() < fraud_rate else ""
