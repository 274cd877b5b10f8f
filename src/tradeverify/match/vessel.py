"""Vessel identity and presence at the port of loading on the on-board date (AIS port calls)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rapidfuzz import fuzz

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs
from tradeverify.reference.sea import distance_nm, port_table
from tradeverify.reference.store import Call, ReferenceStore

# Fastest plausible speed by type (shared/domain speeds + 10 %): what "could it have got there" uses.
MAX_SPEED_KN = {"container": 24.2, "bulk": 15.4, "tanker": 16.5}
SLACK_CAP_H = 1000.0
MIN_STAY_H = 6.0  # the shortest port stay in which cargo can be loaded and documented


def imo_valid(imo: str | None) -> bool:
    """Return True for a 7-digit IMO number whose check digit is right."""
    if not imo or len(imo) != 7 or not imo.isdigit():
        return False
    return sum(int(d) * w for d, w in zip(imo[:6], range(7, 1, -1), strict=True)) % 10 == int(imo[6])


def _gap_hours(calls: list[Call], locode: str, when: datetime) -> float:
    """Hours from ``when`` to the nearest stay at ``locode`` (0 inside a stay)."""
    gaps = [
        0.0 if c.arrival <= when <= c.departure
        else min(abs((when - c.arrival).total_seconds()), abs((when - c.departure).total_seconds()))
        / 3600
        for c in calls if c.locode == locode
    ]
    return min(gaps, default=UNKNOWN)


def _reach_slack(calls: list[Call], pol: str, when: datetime, max_kn: float, tolerance_h: float) -> float:
    """Hours to spare for the vessel to have been at ``pol`` within ``tolerance_h`` of ``when``.

    Negative: impossible at the type's top speed. Between two recorded calls the ship can be at
    the port from the earliest arrival (leaving the last call at top speed) to the latest
    departure (still reaching the next call); that window must hold a minimal stay and overlap
    the on-board date, so a ship still days away from the port on the date fails too. A ship
    in another port at the instant may have called at ``pol`` just before arriving or just after
    leaving: both of those legs are tried, within the tolerance (a B/L gives a day, not a time).
    """
    window = timedelta(hours=tolerance_h)
    for i, c in enumerate(calls):
        if c.arrival <= when <= c.departure:
            if c.locode == pol:
                return SLACK_CAP_H
            prev, nxt = (calls[i - 1] if i else None), (calls[i + 1] if i + 1 < len(calls) else None)
            spare = max(_leg_slack(prev, c, pol, when, max_kn, window),
                        _leg_slack(c, nxt, pol, when, max_kn, window))
            return max(-SLACK_CAP_H, min(SLACK_CAP_H, spare))
    before = [c for c in calls if c.departure < when]
    after = [c for c in calls if c.arrival > when]
    if not before or not after:
        return UNKNOWN
    spare = _leg_slack(before[-1], after[0], pol, when, max_kn, window)
    return max(-SLACK_CAP_H, min(SLACK_CAP_H, spare))


def _leg_slack(prev: Call | None, nxt: Call | None, pol: str, when: datetime, max_kn: float,
               window: timedelta) -> float:
    """Hours to spare for a call at ``pol`` between two calls (None: that side is not recorded)."""
    hours: list[float] = []
    earliest = prev.departure + timedelta(hours=distance_nm(prev.locode, pol) / max_kn) if prev else None
    latest = nxt.arrival - timedelta(hours=distance_nm(pol, nxt.locode) / max_kn) if nxt else None
    if earliest is not None and latest is not None:
        hours.append((latest - earliest).total_seconds() / 3600 - MIN_STAY_H)
    if earliest is not None:
        hours.append((when + window - earliest).total_seconds() / 3600)
    if latest is not None:
        hours.append((latest - (when - window)).total_seconds() / 3600)
    return min(hours)


def leg_speed(prev: Call, nxt: Call) -> float | None:
    """Return the knots a recorded leg took (None for a zero-length stay-to-stay time)."""
    hours = (nxt.arrival - prev.departure).total_seconds() / 3600
    return distance_nm(prev.locode, nxt.locode) / hours if hours > 0 else None


def usual_speed(calls: list[Call]) -> float | None:
    """Return the median speed of the ship's recorded legs (None without a leg)."""
    speeds = sorted(v for v in (leg_speed(a, b) for a, b in zip(calls, calls[1:], strict=False)) if v)
    return speeds[len(speeds) // 2] if speeds else None


def _pace_slack(calls: list[Call], pol: str, when: datetime) -> float:
    """Hours to spare for the ship to have been at ``pol`` on the date at its usual speed.

    The top-speed slack above allows any unrecorded call a ship could have sprinted to; at its
    usual pace a ship seen arriving at the port days after the on-board date was still at sea.
    An AIS gap that hides the real call leaves a long leg, so honest deals keep a positive slack.
    """
    usual = usual_speed(calls)
    return UNKNOWN if usual is None else _reach_slack(calls, pol, when, usual, 0.0)


def _leg_excess(calls: list[Call], when: datetime) -> float:
    """Hours the AIS leg around ``when`` took beyond a direct passage at the ship's usual speed.

    Near zero: the ship sailed straight between two recorded calls (full coverage). Large: time
    is unaccounted for (an unrecorded call or an AIS gap), so absence of a call proves nothing.
    """
    if any(c.arrival <= when <= c.departure for c in calls):
        return 0.0
    around = [(a, b) for a, b in zip(calls, calls[1:], strict=False) if a.departure < when < b.arrival]
    usual = usual_speed(calls)
    if not around or usual is None:
        return UNKNOWN
    prev, nxt = around[0]
    elapsed = (nxt.arrival - prev.departure).total_seconds() / 3600
    return elapsed - distance_nm(prev.locode, nxt.locode) / usual


def _on_board(docs: SubmissionDocs) -> datetime | None:
    value = docs.get("bill_of_lading", "shipped_on_board_date")
    if not value:
        return None
    # A B/L gives a date, not a time: midday is the least-biased instant of it.
    return datetime.combine(date.fromisoformat(value), datetime.min.time()) + timedelta(hours=12)


def _name_similarity(vessel: dict[str, object], printed: str | None) -> float:
    """Return how closely the printed name matches the ship's registered or any former name.

    A B/L whose name could not be read is unknown, not a mismatch.
    """
    if not printed:
        return UNKNOWN
    names = [str(vessel["name"]), *str(vessel.get("former_names") or "").split("|")]
    return max(fuzz.token_sort_ratio(n, printed) for n in names if n) / 100


def vessel_evidence(docs: SubmissionDocs, store: ReferenceStore, tolerance_h: float) -> Evidence:
    """Check the vessel's identity and whether it called at the port of loading on the date."""
    imo, name = docs.get("bill_of_lading", "imo_number"), docs.get("bill_of_lading", "vessel_name")
    pol, when = docs.get("bill_of_lading", "port_of_loading"), _on_board(docs)
    ev = Evidence()
    valid = imo_valid(imo)
    vessel = store.vessel(imo) if valid and imo else None
    ev.features["imo_valid"] = UNKNOWN if imo is None else float(valid)
    ev.features["vessel_known"] = UNKNOWN if imo is None else float(vessel is not None)
    ev.features["vessel_name_similarity"] = _name_similarity(vessel, name) if vessel else UNKNOWN
    ev.features["pol_call_gap_hours"] = UNKNOWN
    ev.features["pol_reach_slack_hours"] = UNKNOWN
    ev.features["ais_leg_excess_hours"] = UNKNOWN
    ev.features["pol_pace_slack_hours"] = UNKNOWN
    ev.facts.update({"imo": imo, "vessel_name": name, "pol": pol, "on_board": when,
                     "registered_name": vessel["name"] if vessel else None,
                     "dwt": vessel["dwt"] if vessel else None})
    # A port code no sea-route table knows has no distance: presence stays unknown.
    if vessel and pol and when and pol in port_table():
        calls = store.port_calls(str(imo))
        kind = str(vessel["vessel_type"])
        ev.features["pol_call_gap_hours"] = min(_gap_hours(calls, pol, when), SLACK_CAP_H)
        # Types without a known range (general cargo, LNG...) get the fastest: never a false "impossible".
        max_kn = MAX_SPEED_KN.get(kind, max(MAX_SPEED_KN.values()))
        ev.features["pol_reach_slack_hours"] = _reach_slack(calls, pol, when, max_kn, tolerance_h)
        ev.features["ais_leg_excess_hours"] = _leg_excess(calls, when)
        ev.features["pol_pace_slack_hours"] = _pace_slack(calls, pol, when)
        ev.facts["where"] = _where(calls, when)
    ev.features.update(_cargo_fit(docs, store, vessel))
    ev.checks.append(_check(ev, tolerance_h))
    return ev


def _cargo_fit(
    docs: SubmissionDocs, store: ReferenceStore, vessel: dict[str, object] | None
) -> dict[str, float]:
    """Weight against the ship's deadweight, and whether its type may carry the goods."""
    out = {"weight_over_dwt": UNKNOWN, "cargo_vessel_fit": UNKNOWN}
    if vessel is None:
        return out
    gross = docs.get("bill_of_lading", "gross_weight_kg")
    if gross and vessel.get("dwt"):
        out["weight_over_dwt"] = float(gross) / (float(str(vessel["dwt"])) * 1000)
    hs = docs.get("bill_of_lading", "hs_code") or docs.get("commercial_invoice", "hs_code")
    commodity = store.commodity(str(hs)) if hs else None
    if commodity:
        allowed = str(commodity["vessel_types"]).split("|")
        out["cargo_vessel_fit"] = float(str(vessel["vessel_type"]) in allowed)
    return out


def _where(calls: list[Call], when: datetime) -> str | None:
    """Return the port the vessel was at, or last left, at ``when``."""
    seen = [c for c in calls if c.arrival <= when]
    return seen[-1].locode if seen else None


def _check(ev: Evidence, tolerance_h: float) -> Check:
    gap, slack = ev.features["pol_call_gap_hours"], ev.features["pol_reach_slack_hours"]
    if gap != gap:  # NaN: unknown vessel, date or port
        return Check(name="vessel_at_port_of_loading", status="unknown",
                     detail="vessel, port or on-board date not available or not in the registry")
    if gap <= tolerance_h:
        return Check(name="vessel_at_port_of_loading", status="pass",
                     detail=f"port call within {gap:.0f} h of the on-board date")
    if slack == slack and slack < 0:
        return Check(name="vessel_at_port_of_loading", status="fail",
                     detail=f"nearest call at the port is {gap:.0f} h away and the vessel could "
                     f"not have reached it ({-slack:.0f} h short)")
    return Check(name="vessel_at_port_of_loading", status="unknown",
                 detail=f"no call recorded within {gap:.0f} h, but an AIS gap makes a call possible")
