"""Voyage typologies: a postdated or phantom voyage, and a route through a high-risk jurisdiction.

The AIS feed always records what really happened; these schemes change what the documents claim
about the voyage (VOYAGE_IMPLAUSIBLE) or put the cargo on a ship whose real route touched a
high-risk jurisdiction (ROUTE_RISK, on the shadow fleet that honest deals never use).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from tradeverify.reference.sea import RISK_PORTS, WORLD_PORTS, distance_nm
from tradeverify_train.synth.deals import Deal, new_deal
from tradeverify_train.synth.world import SPEED_KN, PortCall, World

HORIZON_DAYS = 150  # the matcher's horizon for the discharge call (match/route.py)
SLACK_H = 24.0  # the voyage check forgives a B/L dated one day late (match/route.py _speed)


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
        top_hours = distance_nm(deal.pol, deal.pod) / (SPEED_KN[_kind(world, deal.imo)][1] * 1.1)
        day = postdated_day(arrival, top_hours, rng.uniform(1.25, 3.0))
        if day is not None and day > deal.on_board:
            return _postdated(deal, (day - deal.on_board).days, speed_ratio(arrival, day, top_hours))
    return _phantom_pod(world, deal)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def speed_ratio(arrival: datetime, day: date, top_hours: float) -> float:
    """Return the share of top speed needed from ``day`` to ``arrival``, as the voyage check measures it.

    The check reads loading at the first minute of the on-board day and forgives one more day (a B/L
    dated a day late): match/route.py voyage_speed_ratio_slack, VOYAGE_IMPLAUSIBLE above 1.
    """
    return top_hours / max((arrival - _midnight(day)).total_seconds() / 3600 + SLACK_H, 1.0)


def postdated_day(arrival: datetime, top_hours: float, k: float) -> date | None:
    """Return the earliest on-board day that needs at least ``k`` times top speed to arrive in time.

    ``top_hours`` is the voyage at the vessel type's top speed. Rounding the claim to a day must not
    hide it: the day is the first whose ratio, with the check's slack, is ``k`` or more, so it lies a
    full day or more after any day the ship could have made. None when no such day comes before the
    arrival (a short voyage: even the arrival day leaves time to sail it).
    """
    earliest = arrival + timedelta(hours=SLACK_H - top_hours / k)
    day = earliest.date() + timedelta(days=int(earliest != _midnight(earliest.date())))
    return day if _midnight(day) < arrival else None


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
    """Benign: the goods go further along the ship's rotation (more calls, a longer route).

    In a processing deal the processor receives the goods where they land, so its port (where
    the sale leg loads) moves with them: leaving it behind made honest documents disagree.
    """
    found = _voyage_calls(world, deal)
    if found is None:
        return None
    calls, ports = world.calls[deal.imo], world.ports()
    processing = deal.sale_pol is not None and deal.sale_pol == deal.pod
    later = [c for c in calls[found[1] + 1: found[1] + 4]
             if c.locode in WORLD_PORTS and c.locode not in (deal.pol, deal.sale_pod)
             and ports[c.locode]["country"] != "China"
             and (c.arrival - calls[found[0]].departure).days < HORIZON_DAYS - 10]
    if not later:
        return None
    pod = later[-1].locode
    return replace(deal, pod=pod, sale_pol=pod if processing else deal.sale_pol, lookalike="LONG_VOYAGE")
