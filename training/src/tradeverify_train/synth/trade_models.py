"""The four offshore-trade models (PBOC/SAFE 2021) as variations of the sale leg of a deal.

- offshore resale: the applicant resells the same goods at a small mark-up;
- global procurement: it buys for an affiliate of its own group abroad, for a small fee;
- entrusted overseas processing: the goods go to a processor abroad and the applicant sells
  what comes out (other goods, other quantity, from the processor's port), with value added;
- overseas purchase for contracted projects: the goods go to the applicant's project site
  abroad and are billed to the project owner within the project price.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tradeverify.reference.sea import WORLD_PORTS
from tradeverify_train.synth.world import HOME_COUNTRY, World

if TYPE_CHECKING:  # deals.py draws a deal's trade model through this module
    from tradeverify_train.synth.deals import Deal

MODELS = ("offshore_resale", "global_procurement", "entrusted_processing", "contracted_project")
WEIGHTS = (45, 15, 30, 10)  # processing only applies to goods with a route (6 of 22)
# Normal sale value over purchase value minus one, and the anomalous ranges MARGIN_ANOMALY uses.
MARGINS = {"offshore_resale": (0.005, 0.04), "global_procurement": (0.002, 0.02),
           "entrusted_processing": (0.08, 0.30), "contracted_project": (0.05, 0.25)}
EXCESS = {"offshore_resale": (0.12, 0.35), "global_procurement": (0.06, 0.20),
          "entrusted_processing": (0.6, 1.2), "contracted_project": (0.45, 0.9)}
# Thin but honest margins (the THIN_MARGIN lookalike): below the normal range, inside the band the
# matcher accepts (match/chain.py MARGIN_BANDS), with room for the two legs' FX dates to differ.
THIN = {
    "offshore_resale": (0.0, 0.004),
    "global_procurement": (0.0, 0.004),
    "entrusted_processing": (0.03, 0.06),
    "contracted_project": (0.0, 0.004),
}


@dataclass(frozen=True)
class Route:
    """A processing route: input HS -> output HS, output units per input unit."""

    input_hs: str
    output_hs: str
    yield_min: float
    yield_max: float


ROUTES = (
    Route("740311", "740811", 0.97, 0.995),  # cathodes -> wire rod
    Route("120190", "230400", 0.76, 0.80),  # soya beans -> meal
    Route("270900", "271019", 0.048, 0.068),  # crude (BBL) -> gas oil (MT)
    Route("760110", "760421", 0.90, 0.97),  # ingots -> profiles
    Route("400122", "401120", 45.0, 60.0),  # natural rubber (MT) -> lorry tyres (PCS)
    Route("470321", "480256", 0.90, 0.98),  # pulp -> printing paper
)
BY_INPUT = {r.input_hs: r for r in ROUTES}


def _round(qty: float, unit: str) -> float:
    return float(round(qty)) if unit in ("PCS", "BBL") else round(qty, 3)


def _abroad(world: World, rng: random.Random, avoid: set[str]) -> str:
    ports = world.ports()
    return rng.choice([p for p in WORLD_PORTS if p not in avoid and ports[p]["country"] != HOME_COUNTRY])


def apply_trade_model(world: World, deal: Deal) -> Deal:
    """Return the deal with a trade model drawn and its sale leg shaped accordingly."""
    rng = world.rng
    model = rng.choices(MODELS, weights=WEIGHTS)[0]
    if model == "global_procurement" and deal.applicant.related_to:
        deal = replace(deal, buyer=world.company(deal.applicant.related_to))
    elif model == "entrusted_processing" and deal.commodity.hs_code in BY_INPUT:
        return processing_leg(world, replace(deal, trade_model=model), rng.uniform(*MARGINS[model]))
    elif model in ("global_procurement", "entrusted_processing"):
        model = "offshore_resale"  # no affiliate abroad, or goods nobody processes
    margin = rng.uniform(*MARGINS[model])
    return replace(deal, trade_model=model, price_sell=round(deal.price_buy * (1 + margin), 2))


def processing_leg(world: World, deal: Deal, value_added: float) -> Deal:
    """Shape the sale leg of a processing deal: output goods, yield, processor's port, value."""
    rng = world.rng
    route = BY_INPUT[deal.commodity.hs_code]
    output = next(c for c in world.commodities if c.hs_code == route.output_hs)
    quantity = _round(deal.contract_quantity * rng.uniform(route.yield_min, route.yield_max), output.unit)
    price = deal.price_buy * deal.contract_quantity * (1 + value_added) / quantity
    return replace(deal, sale_commodity=output, sale_quantity=quantity, sale_pol=deal.pod,
                   sale_pod=_abroad(world, rng, {deal.pod, deal.pol}), price_sell=round(price, 2))


def with_margin(deal: Deal, margin: float) -> Deal:
    """Return the deal selling at ``margin`` over its purchase, measured as the matcher does.

    Same goods: by unit price. Processing (other goods, other quantity): by contract value, so the
    output's unit price is set from the purchase value and the sale leg's own quantity.
    """
    if deal.sale_commodity is None or not deal.sale_quantity:
        return replace(deal, price_sell=round(deal.price_buy * (1 + margin), 2))
    value = deal.price_buy * deal.contract_quantity * (1 + margin)
    return replace(deal, price_sell=round(value / deal.sale_quantity, 2))


def thin_margin(world: World, deal: Deal) -> Deal:
    """Benign: sell at a thin margin for the deal's trade model (THIN_MARGIN lookalike)."""
    return replace(with_margin(deal, world.rng.uniform(*THIN[deal.trade_model])), lookalike="THIN_MARGIN")
