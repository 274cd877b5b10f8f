"""Hard rules over the evidence. Each is certain enough to force the high band on its own."""

from __future__ import annotations

from tradeverify.domain import RedFlag
from tradeverify.match.evidence import Evidence
from tradeverify.match.parties import WATCHLIST_HIT
from tradeverify.reference.sea import port_label

# Below this share of the registered (or a former) name, the B/L names another ship than its IMO
# number's: honest B/Ls measured 1.0, digital and scanned, and "MV" or an OCR slip keeps ~0.9.
OTHER_SHIP_NAME = 0.5
# Packing list and B/L gross weights this close are one statement, not a misread digit on one of them.
WEIGHTS_AGREE = 0.01


def _vessel_not_at_port(ev: Evidence, tolerance_h: float) -> RedFlag | None:
    gap, slack = ev.features.get("pol_call_gap_hours"), ev.features.get("pol_reach_slack_hours")
    # Only with full AIS coverage around the date: the vessel could not have reached the port.
    if gap is None or slack is None or gap != gap or slack != slack:
        return None
    if gap <= tolerance_h or slack >= 0:
        return None
    f = ev.facts
    when = f["on_board"].date().isoformat() if f.get("on_board") else "?"
    where = f.get("where") or "unknown"
    return RedFlag(
        code="VESSEL_NOT_AT_PORT",
        message=f"Vessel {f.get('vessel_name')} (IMO {f.get('imo')}) made no call at "
        f"{port_label(f.get('pol'))} around the on-board date {when}: its nearest call there is "
        f"{gap:,.0f} h away, it was last at {port_label(where)}, and it could not have reached the "
        f"port in time ({-slack:,.0f} h short).",
        evidence={"imo": f.get("imo"), "port_of_loading": f.get("pol"), "on_board_date": when,
                  "nearest_call_gap_hours": round(gap, 1), "reach_slack_hours": round(slack, 1),
                  "vessel_last_port": where},
    )


def _duplicate(ev: Evidence) -> RedFlag | None:
    seen = ev.features.get("bl_number_seen") or 0
    overlap = ev.features.get("bl_same_voyage_overlap") or 0
    if not (seen > 0 or overlap >= 0.5):
        return None
    dup = ev.facts.get("duplicate") or {}
    own, others = dup.get("this_bank_submissions", []), dup.get("other_banks", 0)
    where = [f"your submission(s) {', '.join(own)}"] if own else []
    where += [f"{others} other bank(s)"] if others else []
    return RedFlag(
        code="DUPLICATE_DOCUMENT",
        message="This bill of lading (same number, or same vessel, date and cargo) was already "
        f"presented for financing: {' and '.join(where) or 'an earlier submission'}.",
        evidence={"this_bank_submissions": own, "other_banks": others},
    )


def _identity(ev: Evidence) -> RedFlag | None:
    imo, f = ev.facts.get("imo"), ev.facts
    if ev.features.get("imo_valid") == 0.0:
        return RedFlag(code="VESSEL_IDENTITY", message=f"IMO number {imo} fails its check digit: no "
                       "ship carries it.", evidence={"imo": imo})
    similarity = ev.features.get("vessel_name_similarity")
    if similarity is None or similarity != similarity or similarity >= OTHER_SHIP_NAME:
        return None
    return RedFlag(code="VESSEL_IDENTITY", message=f"IMO number {imo} belongs to "
                   f"{f.get('registered_name')}, not to the {f.get('vessel_name')} the bill of lading "
                   f"names ({similarity:.0%} alike).",
                   evidence={"imo": imo, "registered_name": f.get("registered_name"),
                             "printed_name": f.get("vessel_name"), "name_similarity": round(similarity, 2)})


def _overweight(ev: Evidence) -> RedFlag | None:
    # A cargo heavier than the ship's deadweight cannot be aboard; honest loads measured <= 0.92.
    over, agree = ev.features.get("weight_over_dwt"), ev.features.get("pl_gross_vs_bl_gross")
    if over is None or agree is None or not over > 1.0 or not abs(agree) <= WEIGHTS_AGREE:
        return None  # NaN compares False: an unknown weight or deadweight raises nothing
    f = ev.facts
    return RedFlag(code="VESSEL_CARGO_MISMATCH", message=f"The bill of lading and packing list state "
                   f"{float(f['bl_gross']) / 1000:,.0f} t gross, {over - 1:.0%} more than the deadweight of "
                   f"{f.get('vessel_name')} (IMO {f.get('imo')}), {float(f['dwt']):,.0f} t: the ship "
                   "cannot lift it.",
                   evidence={"imo": f.get("imo"), "gross_weight_kg": f.get("bl_gross"),
                             "dwt_t": f.get("dwt"), "weight_over_dwt": round(over, 3)})


def _container(ev: Evidence) -> RedFlag | None:
    invalid = ev.facts.get("invalid_containers") or []
    unrecorded = ev.facts.get("unrecorded_containers") or []
    if not (invalid or unrecorded):
        return None
    parts = [f"{', '.join(invalid)} fail the ISO 6346 check digit"] if invalid else []
    if unrecorded:
        parts.append(f"{', '.join(unrecorded)} never appear in the carrier's events, although the "
                     "carrier reports its boxes loaded on this vessel at this port and date")
    return RedFlag(code="CONTAINER_INVALID", message=f"Container number(s) {'; '.join(parts)}: no "
                   "such container was shipped.",
                   evidence={"containers": invalid, "unrecorded_containers": unrecorded})


def _watchlist(ev: Evidence) -> RedFlag | None:
    score = ev.features.get("watchlist_strict_score")
    if score is None or score != score or score < WATCHLIST_HIT:
        return None
    party, hit = ev.facts.get("watchlist_party"), ev.facts.get("watchlist_hit")
    return RedFlag(code="WATCHLIST_HIT", message=f"Party {party!r} matches the sanctioned entity "
                   f"{hit!r} ({score:.0%}).",
                   evidence={"party": party, "listed": hit, "score": round(score, 3)})


def _voyage(ev: Evidence) -> RedFlag | None:
    ratio = ev.features.get("voyage_speed_ratio_slack")
    voyage = ev.facts.get("voyage") or {}
    # Even loading at the first minute of the day before the on-board date (one day's clerical
    # slack) leaves too little time to sail there.
    if ratio is None or ratio != ratio or ratio <= 1.0:
        return None
    arrival = voyage.get("arrival")
    return RedFlag(
        code="VOYAGE_IMPLAUSIBLE",
        message=f"Vessel IMO {ev.facts.get('imo')} arrived at {port_label(voyage.get('pod'))} on "
        f"{arrival:%Y-%m-%d %H:%M}, too soon after the stated on-board date to have sailed the "
        f"{voyage.get('distance_nm', 0):,.0f} nm from {port_label(voyage.get('pol'))} "
        f"({ratio:.0%} of the vessel type's top speed).",
        evidence={"imo": ev.facts.get("imo"), "port_of_discharge": voyage.get("pod"),
                  "arrival": f"{arrival:%Y-%m-%dT%H:%M}", "speed_ratio": round(ratio, 3)},
    )


def _route(ev: Evidence) -> RedFlag | None:
    named = ev.facts.get("risk_ports_on_documents") or []
    during = (ev.facts.get("voyage") or {}).get("risk_calls") or []
    if not (named or during):
        return None
    parts = [f"the documents name {', '.join(port_label(p) for p in named)}"] if named else []
    if during:
        parts.append(f"between loading and discharge the vessel called at "
                     f"{', '.join(port_label(p) for p in during)}")
    return RedFlag(code="ROUTE_RISK", message=f"High-risk jurisdiction: {'; '.join(parts)}.",
                   evidence={"risk_ports_on_documents": named, "risk_port_calls": during})


def red_flags(ev: Evidence, tolerance_h: float) -> list[RedFlag]:
    """Return the hard-rule hits for one submission."""
    hits = [_vessel_not_at_port(ev, tolerance_h), _duplicate(ev), _identity(ev), _overweight(ev),
            _container(ev), _watchlist(ev), _voyage(ev), _route(ev)]
    return [h for h in hits if h is not None]
