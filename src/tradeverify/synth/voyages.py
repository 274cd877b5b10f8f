"""Voyage typologies: a postdated or phantom voyage, and a route through a high-risk jurisdiction.

The AIS feed always records what really happened; these schemes change what the documents claim
about the voyage (VOYAGE_IMPLAUSIBLE) or put the cargo on a ship whose real route touched a
high-risk jurisdiction (ROUTE_RISK, on the shadow fleet that honest deals never use).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from tradeverify.reference.sea import RISK_PORTS, WORLD_PORTS, distance_nm
from tradeverify.synth.deals import Deal, new_deal
from tradeverify.synth.world import SPEED_KN, PortCall, World

HORIZON_DAYS = 150  # the matcher's horizon for the discharge call (match/route.py)


def _kind(world: World, imo: str) -> str:
    return next(v.vessel_type for v in world.vessels if v.imo == imo)


def _voyage_calls(world: World, deal: Deal) -> tuple[int, int] | None:
    """Return indexes of the loading call and the first later call at the POD."""
    calls = world.calls[deal.imo]
    load = next((i for i, c in enumerate(calls) if c.locode == deal.pol
                 and c.departure.date() >= deal.on_board >= c.arrival.date() - timedelta(days=1)), None)
    if load is None:
        return None
    disch = next((i for i in range(load + 1, len(calls)) if calls[i].locode == deal.pod), None)
    return None if disch is None else (load, disch)


def _postdated(deal: Deal, days: int, k: float) -> Deal:
    shift = timedelta(days=days)
    return replace(deal, on_board=deal.on_board + shift, issue_date=deal.issue_date + shift,
                   invoice_date=deal.invoice_date + shift, submitted_at=deal.submitted_at + shift,
                   typology="VOYAGE_IMPLAUSIBLE", magnitude=round(k, 3))


def voyage_implausible(world: World, deal: Deal, mag: object, _h: list[Deal]) -> Deal:
    """Postdate the B/L so the ship would have had to outrun itself, or name a POD it never reached."""
    rng = world.rng
    found = _voyage_calls(world, deal)
    if found is not None and rng.random() < 0.6:
        arrival = world.calls[deal.imo][found[1]].arrival
        top = SPEED_KN[_kind(world, deal.imo)][1] * 1.1
        k = rng.uniform(1.25, 3.0)
        hours = distance_nm(deal.pol, deal.pod) / (top * k)
        day = (arrival - timedelta(hours=hours + 12)).date()
        days = (day - deal.on_board).days
        if days >= 1:
            return _postdated(deal, days, k)
    return _phantom_pod(world, deal)


def _phantom_pod(world: World, deal: Deal) -> Deal:
    """Name a port of discharge the vessel does not call at within the horizon."""
    start = datetime.combine(deal.on_board, datetime.min.time())
    visited = {c.locode for c in world.calls[deal.imo]
               if start <= c.arrival <= start + timedelta(days=HORIZON_DAYS + 10)}
    ports = world.ports()
    country = ports[deal.pod]["country"]
    # Same region as the real POD, so the claim is not absurd on its face.
    options = [p for p in WORLD_PORTS if p not in visited | {deal.pol}
               and ports[p]["country"] != "China" and distance_nm(deal.pod, p) < 3000
               and ports[p]["country"] != country]
    if not options:
        return deal
    pod = world.rng.choice(options)
    return replace(deal, pod=pod, typology="VOYAGE_IMPLAUSIBLE", magnitude=0.0)


def _near_risk_port(calls: list[PortCall], load: int, disch: int) -> bool:
    """Return True for a risk-port call right before loading (origin) or on the way."""
    return any(c.locode in RISK_PORTS for c in (*calls[max(0, load - 2):load], *calls[load + 1:disch]))


def route_risk(world: World, deal: Deal, mag: object, _h: list[Deal]) -> Deal:
    """Ship the goods on a shadow-fleet vessel that called at a high-risk port around the voyage.

    Either the cargo came from the risk port (a call right before the stated port of loading)
    or the ship called there on the way. The documents tell the truth about everything else.
    """
    fresh = new_deal(world, deal.submission_id, deal.bank_id, _near_risk_port, shadow=True)
    found = _voyage_calls(world, fresh)
    calls = world.calls[fresh.imo]
    during = found is not None and any(c.locode in RISK_PORTS for c in calls[found[0] + 1:found[1]])
    return replace(fresh, typology="ROUTE_RISK", magnitude=float(during))


def long_voyage(world: World, deal: Deal) -> Deal | None:
    """Benign: the goods go further along the ship's rotation (more calls, a longer route)."""
    found = _voyage_calls(world, deal)
    if found is None:
        return None
    calls, ports = world.calls[deal.imo], world.ports()
    later = [c for c in calls[found[1] + 1: found[1] + 4]
             if c.locode in WORLD_PORTS and c.locode != deal.pol and ports[c.locode]["country"] != "China"
             and (c.arrival - calls[found[0]].departure).days < HORIZON_DAYS - 10]
    return replace(deal, pod=later[-1].locode, lookalike="LONG_VOYAGE") if later else None
