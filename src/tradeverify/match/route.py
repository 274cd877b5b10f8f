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
from tradeverify.match.vessel import MAX_SPEED_KN, MIN_STAY_H, SLACK_CAP_H, leg_speed
from tradeverify.reference.sea import distance_nm, port_table
from tradeverify.reference.store import Call, ReferenceStore

HORIZON_DAYS = 150.0  # a discharge later than this is not this voyage (3 long bulk legs fit)
MAX_CALLS = 6  # nor one after this many further calls
ORIGIN_CALLS = 2  # a risk port among the last calls before loading may be where the cargo came from
ORIGIN_DAYS = 45.0


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


def _pod_spare(calls: list[Call], v: Voyage) -> float:
    """Most hours a leg of the voyage leaves beyond an unrecorded detour through the POD.

    Negative: no leg had time for a call there, so a missing discharge call is a fact, not a gap
    in the AIS data; positive: hours unaccounted for (small: barely room for a call). UNKNOWN
    when the data does not cover the voyage (the horizon, or the ship's next ``MAX_CALLS`` calls).
    """
    start = datetime.combine(v.day, datetime.min.time())
    after = [c for c in calls if c.arrival > start]
    # Cargo is discharged within a ship's next few calls; past them, or past the horizon, the
    # voyage is over.
    end = min(start + timedelta(days=HORIZON_DAYS),
              after[MAX_CALLS - 1].arrival if len(after) >= MAX_CALLS else datetime.max)
    if not calls or calls[-1].arrival < end:
        return UNKNOWN
    pairs = list(zip(calls, calls[1:], strict=False))
    # The ship's own pace (its median recorded leg, 5 % to spare), not the type's top speed: a
    # ship that always sails at 12 kn did not squeeze in a detour at 15. Only a leg with hours
    # unaccounted for (an AIS gap, a call missing from the feed) leaves room for one.
    speeds = sorted(s for s in (leg_speed(a, b) for a, b in pairs) if s)
    pace = speeds[len(speeds) // 2] * 1.05 if speeds else v.max_kn
    spare = [(b.arrival - a.departure).total_seconds() / 3600
             - (distance_nm(a.locode, v.pod) + distance_nm(v.pod, b.locode)) / pace - MIN_STAY_H
             for a, b in pairs if b.arrival > start and a.departure < end]
    return max(-SLACK_CAP_H, min(SLACK_CAP_H, max(spare, default=-SLACK_CAP_H)))


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
    previous = [c for c in calls if c.departure < start - timedelta(days=2)][-ORIGIN_CALLS:]
    before = [c for c in previous if c.locode in risky
              and (start - c.departure).total_seconds() <= ORIGIN_DAYS * 86400]
    days = (start - before[-1].departure).total_seconds() / 86400 if before else UNKNOWN
    features = {"route_risk_calls_voyage": float(len(during)), "route_risk_days_before_loading": days}
    return features, {"before": [c.locode for c in before], "during": [c.locode for c in during]}


def _path_nm(calls: list[Call]) -> float:
    return sum(distance_nm(a.locode, b.locode) for a, b in zip(calls, calls[1:], strict=False))


def route_evidence(docs: SubmissionDocs, store: ReferenceStore) -> Evidence:
    """Implied speed POL -> POD, detour ratio and high-risk calls around the voyage."""
    names = ("pod_call_days", "pod_detour_spare_hours", "voyage_speed_ratio", "voyage_speed_ratio_slack",
             "route_detour_ratio", "route_risk_calls_voyage", "route_risk_days_before_loading",
             "route_high_risk_ports_on_documents")
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
    spare = _pod_spare(calls, v) if arrival is None else UNKNOWN
    ev.features["pod_detour_spare_hours"] = spare
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
    if f.get("pod_call_days") == HORIZON_DAYS:
        return Check(name="voyage_plausible", status="fail",
                     detail=f"the vessel made no call at {v.pod} within {HORIZON_DAYS:.0f} days of loading")
    return Check(name="voyage_plausible", status="unknown", detail="AIS data does not cover the voyage")
