"""The voyage around loading: could the ship have carried the goods as dated, and where did it go.

AIS port calls after the on-board date give the vessel's first arrival at the port of discharge.
The sea distance over that time is the implied speed (VOYAGE_IMPLAUSIBLE); the calls in between
show detours and visits to high-risk jurisdictions (ROUTE_RISK).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs
from tradeverify.match.vessel import MAX_SPEED_KN, MIN_STAY_H, SLACK_CAP_H, usual_speed
from tradeverify.reference.sea import distance_nm, port_table
from tradeverify.reference.store import Call, ReferenceStore

HORIZON_DAYS = 150.0  # a discharge later than this is not this voyage (3 long bulk legs fit)
MAX_CALLS = 6  # nor one after this many further calls
# An unrecorded discharge call reached only after sailing twice the direct distance is not an AIS
# gap on the way; honest deals with hidden calls measured up to 1.64 (worlds 9204/9205).
GAP_DETOUR_LIMIT = 2.0
ORIGIN_CALLS = 2  # a risk port among the last calls before loading may be where the cargo came from


@dataclass(frozen=True)
class Voyage:
    """The stated shipment: vessel, ports and the on-board day."""

    imo: str
    pol: str
    pod: str
    day: date
    max_kn: float


def _voyage(docs: SubmissionDocs, store: ReferenceStore) -> Voyage | None:
    get = docs.get
    imo, pol, pod = (get("bill_of_lading", k) for k in ("imo_number", "port_of_loading", "port_of_discharge"))
    day = get("bill_of_lading", "shipped_on_board_date")
    vessel = store.vessel(str(imo)) if imo else None
    # A code no sea-route table knows has no distance: the voyage is unknown, not implausible.
    known = pol in port_table() and pod in port_table()
    if not (vessel and pol and pod and day and known) or pol == pod:
        return None
    max_kn = MAX_SPEED_KN.get(str(vessel["vessel_type"]), max(MAX_SPEED_KN.values()))
    return Voyage(str(imo), str(pol), str(pod), date.fromisoformat(str(day)), max_kn)


def _arrival(calls: list[Call], v: Voyage) -> Call | None:
    """Return the vessel's first call at the POD after the on-board day, within the horizon."""
    start = datetime.combine(v.day, datetime.min.time())
    end = start + timedelta(days=HORIZON_DAYS)
    return next((c for c in calls if c.locode == v.pod and start < c.arrival <= end), None)


@dataclass(frozen=True)
class _Leg:
    """A passage between two stops: from a port at a time to a recorded call."""

    origin: str
    left: datetime
    to: Call

    @property
    def hours(self) -> float:
        return (self.to.arrival - self.left).total_seconds() / 3600


def _legs(calls: list[Call], v: Voyage) -> tuple[list[_Leg], bool]:
    """Return the passages from loading through the ship's next calls, and whether they are all.

    The first starts at the port of loading: at the recorded call's departure, or when that call
    is missing from the feed, at the start of the on-board day (the most generous reading).
    Cargo is discharged within a ship's next ``MAX_CALLS`` calls and ``HORIZON_DAYS``; when the
    feed stops before that, the passages so far are returned as incomplete.
    """
    start = datetime.combine(v.day, datetime.min.time())
    here = next((c for c in calls if c.locode == v.pol and c.arrival <= start + timedelta(days=1)
                 and c.departure >= start), None)
    left = here.departure if here else start
    after = [c for c in calls if c.arrival > left]
    end = min(start + timedelta(days=HORIZON_DAYS),
              after[MAX_CALLS - 1].arrival if len(after) >= MAX_CALLS else datetime.max)
    legs, origin = [], v.pol
    for call in after:
        if left >= end:
            break
        legs.append(_Leg(origin, left, call))
        origin, left = call.locode, call.departure
    return legs, bool(calls) and calls[-1].arrival >= end


def _pace(calls: list[Call], v: Voyage) -> float:
    """Return the ship's own pace: its median recorded leg, 5 % to spare (else the type's top speed).

    A ship that always sails at 12 kn did not squeeze in a detour at 15.
    """
    usual = usual_speed(calls)
    return usual * 1.05 if usual is not None else v.max_kn


def _spare(leg: _Leg, v: Voyage, pace: float) -> float:
    """Hours a leg leaves beyond an unrecorded call at the port of discharge on the way."""
    detour = distance_nm(leg.origin, v.pod) + distance_nm(v.pod, leg.to.locode)
    return leg.hours - detour / pace - MIN_STAY_H


def _pod_spare(calls: list[Call], v: Voyage) -> tuple[float, float]:
    """Return hours to spare for an unrecorded discharge call, and how far the ship sailed for it.

    Spare: the most hours any leg of the voyage leaves beyond a detour through the POD; negative,
    no leg had time for a call there, so a missing discharge call is a fact, not a gap in the AIS
    data. Detour ratio: miles from loading to the POD via the earliest leg with time for such a
    call, over the direct distance (a two-day hop the ship could only have made after a voyage
    round Asia is no AIS gap). When the feed stops before the voyage is over, a leg with time
    still counts, but "no leg had time" is UNKNOWN, and so is the ratio when none had.
    """
    legs, complete = _legs(calls, v)
    pace = _pace(calls, v)
    spares = [_spare(leg, v, pace) for leg in legs]
    sailed, ratio = 0.0, UNKNOWN
    for leg, spare in zip(legs, spares, strict=True):
        if spare >= 0:
            ratio = (sailed + distance_nm(leg.origin, v.pod)) / max(distance_nm(v.pol, v.pod), 1.0)
            break
        sailed += distance_nm(leg.origin, leg.to.locode)
    most = max(spares, default=-SLACK_CAP_H)
    if not complete and most < 0:
        return UNKNOWN, UNKNOWN
    return max(-SLACK_CAP_H, min(SLACK_CAP_H, most)), ratio


def _covered(spare: float) -> bool:
    """Return True when an absent discharge call is a fact, not a gap in the AIS data."""
    return spare == spare and spare < 0


def _risk_features(calls: list[Call], v: Voyage, until: datetime | None,
                   risky: set[str]) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Risk-port calls during the voyage, and how recently before loading the ship left one."""
    start = datetime.combine(v.day, datetime.min.time())
    end = until or start + timedelta(days=HORIZON_DAYS)
    # Two days of slack: the on-board day may be the last of a call that began earlier.
    during = [c for c in calls if c.locode in risky and start - timedelta(days=2) <= c.arrival <= end]
    # "Before" is the complement of "during", less the loading port's own calls (a long stay
    # there must not push the origin out): a call that began before the slack and ended in it
    # (Bandar Khomeini, then Fujairah a day later) used to fall in neither list.
    previous = [c for c in calls
                if c.arrival < start - timedelta(days=2) and c.locode != v.pol][-ORIGIN_CALLS:]
    # No cut-off in days: a tanker loading seven weeks after leaving Yangon still may carry its oil.
    before = [c for c in previous if c.locode in risky]
    days = (start - before[-1].departure).total_seconds() / 86400 if before else UNKNOWN
    features = {"route_risk_calls_voyage": float(len(during)), "route_risk_days_before_loading": days}
    return features, {"before": [c.locode for c in before], "during": [c.locode for c in during]}


def _path_nm(calls: list[Call]) -> float:
    return sum(distance_nm(a.locode, b.locode) for a, b in zip(calls, calls[1:], strict=False))


def route_evidence(docs: SubmissionDocs, store: ReferenceStore) -> Evidence:
    """Implied speed POL -> POD, detour ratio and high-risk calls around the voyage."""
    names = ("pod_call_days", "pod_detour_spare_hours", "pod_gap_detour_ratio", "voyage_speed_ratio",
             "voyage_speed_ratio_slack", "route_detour_ratio", "route_risk_calls_voyage",
             "route_risk_days_before_loading", "route_high_risk_ports_on_documents")
    ev = Evidence(features=dict.fromkeys(names, UNKNOWN))
    risky = _risky_ports(store)  # one ports query per submission, shared by both checks
    named = _ports_on_documents(docs, risky)
    ev.features["route_high_risk_ports_on_documents"] = float(len(named))
    ev.facts["risk_ports_on_documents"] = named
    v = _voyage(docs, store)
    if v is None:
        ev.checks.append(Check(name="voyage_plausible", status="unknown",
                               detail="vessel, ports or on-board date not available or not in the registry"))
        return ev
    calls = store.port_calls(v.imo)
    arrival = _arrival(calls, v)
    risk, risk_calls = _risk_features(calls, v, arrival.arrival if arrival else None, risky)
    spare, gap_detour = _pod_spare(calls, v) if arrival is None else (UNKNOWN, UNKNOWN)
    ev.features["pod_detour_spare_hours"] = spare
    ev.features["pod_gap_detour_ratio"] = gap_detour
    ev.features.update(_speed(v, arrival, covered=_covered(spare)))
    ev.features.update(risk)
    ev.features["route_detour_ratio"] = _detour(calls, v, arrival)
    ev.facts["voyage"] = {"pol": v.pol, "pod": v.pod, "arrival": arrival.arrival if arrival else None,
                          "distance_nm": distance_nm(v.pol, v.pod), "risk_calls": risk_calls["during"],
                          "risk_calls_before": risk_calls["before"]}
    ev.checks.append(_check(ev.features, v))
    return ev


def _speed(v: Voyage, arrival: Call | None, *, covered: bool) -> dict[str, float]:
    """Speed needed to reach the POD as dated, as a share of the vessel type's top speed.

    A B/L dates the day, not the hour: loading at 00:00 is the most generous reading, so a
    ratio above 1 is impossible whatever the hour of loading.
    """
    if arrival is None:
        return {"pod_call_days": HORIZON_DAYS if covered else UNKNOWN}
    start = datetime.combine(v.day, datetime.min.time())
    hours = (arrival.arrival - start).total_seconds() / 3600
    nm = distance_nm(v.pol, v.pod)
    # The hard rule also forgives a B/L dated one day late (a clerical slip, not a forgery).
    return {"pod_call_days": hours / 24, "voyage_speed_ratio": nm / max(hours, 1.0) / v.max_kn,
            "voyage_speed_ratio_slack": nm / max(hours + 24.0, 1.0) / v.max_kn}


def _detour(calls: list[Call], v: Voyage, arrival: Call | None) -> float:
    """Miles actually sailed from loading to discharge over the direct sea distance."""
    direct = distance_nm(v.pol, v.pod)
    if arrival is None or not direct:
        return UNKNOWN
    start = datetime.combine(v.day, datetime.min.time()) - timedelta(days=2)
    leg = [c for c in calls if start <= c.departure and c.arrival <= arrival.arrival]
    return _path_nm(leg) / direct if len(leg) > 1 else UNKNOWN


def _risky_ports(store: ReferenceStore) -> set[str]:
    """Return the ports in jurisdictions on the watch list."""
    risky = set(store.watchlist("jurisdiction"))
    return {str(r["locode"]) for r in store.rows("ports") if r["country"] in risky}


def _ports_on_documents(docs: SubmissionDocs, risky: set[str]) -> list[str]:
    ports = {docs.get(role, k) for role in ("bill_of_lading", "commercial_invoice", "sales_contract")
             for k in ("port_of_loading", "port_of_discharge")} - {None}
    return sorted(ports & risky)


def _check(f: dict[str, float], v: Voyage) -> Check:
    ratio = f.get("voyage_speed_ratio_slack", UNKNOWN)
    if ratio == ratio:
        return Check.verdict("voyage_plausible", ratio > 1.0,
                             f"{distance_nm(v.pol, v.pod):,.0f} nm to {v.pod} in {f['pod_call_days']:.1f} "
                             f"days needs {ratio:.0%} of the vessel type's top speed")
    detour = f.get("pod_gap_detour_ratio", UNKNOWN)
    if detour == detour and detour > GAP_DETOUR_LIMIT:
        return Check(name="voyage_plausible", status="fail",
                     detail=f"no call at {v.pod} recorded; the first leg with time for one comes after "
                            f"{detour:.1f}x the direct distance")
    if f.get("pod_call_days") == HORIZON_DAYS:
        return Check(name="voyage_plausible", status="fail",
                     detail=f"the vessel made no call at {v.pod} within {HORIZON_DAYS:.0f} days of loading")
    return Check(name="voyage_plausible", status="unknown", detail="AIS data does not cover the voyage")
