"""Reason codes: feature contributions summed by red-flag family, told as checkable sentences."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from tradeverify.domain import Reason
from tradeverify.features.spec import FEATURES, OUTLIER_COLUMN
from tradeverify.reference.sea import port_label as _port

MIN_CONTRIBUTION = 0.25  # log-odds; smaller pushes are noise to an officer
# Context features (the trade model) shape how other evidence counts; they are not a red flag.
SILENT_FAMILIES = frozenset({"CONTEXT"})
Facts = dict[str, Any]
Values = dict[str, float]


def _known(value: float | None) -> bool:
    return value is not None and not math.isnan(value)


def _vessel(facts: Facts, v: Values) -> str | None:
    gap, when = v.get("pol_call_gap_hours"), facts.get("on_board")
    if not _known(gap) or when is None:
        return None
    where = facts.get("where")
    tail = f"; it was last at {_port(where)}" if where and where != facts.get("pol") else ""
    pace = v.get("pol_pace_slack_hours", math.nan)
    if pace < 0:  # NaN (unknown) compares False
        tail += f"; at its usual speed it could not have been in port that day ({-pace:,.0f} h short)"
    return (f"Vessel {facts.get('vessel_name')} (IMO {facts.get('imo')}) has no recorded call at "
            f"{_port(facts.get('pol'))} within {gap:,.0f} h of the on-board date "
            f"{when.date().isoformat()}{tail}.")


def _price(facts: Facts, v: Values) -> str | None:
    if "benchmark" not in facts or not _known(v.get("price_robust_z")):
        return None
    price, median = float(facts["unit_price"]), float(facts["benchmark"])
    return (f"Unit price {price:,.2f} USD for HS {facts['hs_code']} is {price / median - 1:+.0%} "
            f"from the {facts['month']} benchmark median {median:,.2f} USD "
            f"({v['price_robust_z']:+.1f} dispersions).")


def _weights(facts: Facts, v: Values) -> str | None:
    parts = [f"{label} {facts[key]:,.0f} kg" for key, label in (
        ("invoice_kg", "invoice quantity"), ("pl_gross", "packing-list gross"),
        ("bl_gross", "B/L gross")) if facts.get(key)]
    gap = v.get("weight_gap_abs_max")
    if not parts:
        return None
    tail = f" (largest gap {gap:.1%})" if _known(gap) else ""
    return f"Quantities disagree: {', '.join(parts)}{tail}."


def _duplicate(facts: Facts, v: Values) -> str | None:
    if not (v.get("bl_number_seen") or 0) and not (v.get("bl_same_voyage_overlap") or 0):
        overlap = v.get("container_seen_elsewhere")
        return f"Containers overlap {overlap:.0%} with an earlier B/L." if overlap else None
    return "The bill of lading matches one already presented for financing."


def _containers(facts: Facts, v: Values) -> str | None:
    invalid, share = facts.get("invalid_containers") or [], v.get("container_events_share")
    if invalid:
        return f"Container number(s) {', '.join(invalid)} fail the ISO 6346 check digit."
    unknown = v.get("containers_without_events")
    if unknown is not None and _known(unknown) and unknown > 0:
        return f"The carrier's feed has no event at all for {unknown:.0%} of the B/L's containers."
    if share is not None and _known(share) and share < 1:
        return (f"The carrier's events show only {share:.0%} of the B/L's containers loaded on IMO "
                f"{facts.get('imo')} at {_port(facts.get('pol'))} near the on-board date.")
    return None


def _voyage(facts: Facts, v: Values) -> str | None:
    voyage, days, ratio = facts.get("voyage") or {}, v.get("pod_call_days"), v.get("voyage_speed_ratio")
    detour = v.get("pod_gap_detour_ratio")
    pod, nm = _port(voyage.get("pod")), float(voyage.get("distance_nm") or 0)
    if voyage and not _known(days) and _known(detour):
        return (f"Vessel IMO {facts.get('imo')} has no recorded call at {pod}; the first passage with "
                f"time for one comes after sailing {detour:.1f}x the direct {nm:,.0f} nm.")
    if not voyage or not _known(days):
        return None
    if not _known(ratio):
        return (f"Vessel IMO {facts.get('imo')} made no call at {pod} within {days:,.0f} days of the "
                f"on-board date.")
    return (f"Vessel IMO {facts.get('imo')} reached {pod} {days:,.1f} days after the on-board date: "
            f"{nm:,.0f} nm at {ratio:.0%} of the vessel type's top speed.")


def _route(facts: Facts, v: Values) -> str | None:
    voyage = facts.get("voyage") or {}
    calls = [*(voyage.get("risk_calls_before") or []), *(voyage.get("risk_calls") or [])]
    before = v.get("route_risk_days_before_loading")
    if calls:
        tail = f" (it left one {before:,.0f} days before loading)" if _known(before) else ""
        return (f"Vessel IMO {facts.get('imo')} called at {', '.join(_port(c) for c in calls)}, in a "
                f"high-risk jurisdiction, around this voyage{tail}.")
    detour = v.get("route_detour_ratio")
    if _known(detour):
        return f"The vessel sailed {detour:.1f}x the direct sea distance between loading and discharge."
    return None


def _chronology(facts: Facts, v: Values) -> str | None:
    told = [text.format(days=days) for days, text in (
        (-v.get("days_onboard_to_invoice", math.nan), "the invoice is dated {days:.0f} days before loading"),
        (-v.get("days_onboard_to_bl_issue", math.nan),
         "the B/L was issued {days:.0f} days before the goods were shipped on board"),
        (v.get("days_latest_shipment_to_onboard", math.nan),
         "loading was {days:.0f} days after the contract's latest shipment date"),
    ) if _known(days) and days > 1]
    return f"Dates out of order: {'; '.join(told)}." if told else None


def _customs(facts: Facts, v: Values) -> str | None:
    declared = facts.get("customs")
    qty_gap, value_gap = v.get("customs_qty_gap", math.nan), v.get("customs_value_gap", math.nan)
    if not declared or not _known(qty_gap):
        return None
    value = (f" and its value by {_pct(value_gap)} from the declared {float(declared['value_usd']):,.0f} USD"
             if _known(value_gap) and "value_usd" in declared else "")
    return (f"{str(declared.get('flow', 'export')).capitalize()} declaration "
            f"{declared['declaration_id']} shows {float(declared['quantity']):,.3f}; "
            f"the invoice's quantity differs from it by {_pct(qty_gap)}{value}.")


def _pct(gap: float) -> str:
    """Return a signed percentage, without the "-0.0%" of a float a hair below zero."""
    return f"{round(gap, 3) + 0.0:+.1%}"


def _template(facts: Facts, v: Values) -> str | None:
    shared = facts.get("template")
    if not shared:
        return None
    clauses = shared.get("clauses")
    copied = (f"{clauses:.0%} of the shorter one's clauses word for word, "
              if clauses is not None and _known(clauses) else "")
    return (f"The purchase and sales contracts share {copied}{shared['text']:.0%} of their wording "
            f"and {shared['layout']:.0%} of their layout.")


def _anomaly(facts: Facts, v: Values) -> str | None:
    outlier = facts.get("outlier")
    if outlier is None or outlier.feature is None:
        return None
    spec = FEATURES[outlier.feature]
    value = v.get(spec.name, math.nan)
    return (f"Unlike honest deals: {spec.meaning} is {value:,.3g}, outside the range of 99 % of honest "
            f"training deals ({outlier.low:,.3g} to {outlier.high:,.3g}).")


MESSAGES: dict[str, Callable[[Facts, Values], str | None]] = {
    "CHRONOLOGY": _chronology, "CUSTOMS_MISMATCH": _customs, "TEMPLATE_CLONE": _template,
    "VESSEL_NOT_AT_PORT": _vessel, "PRICE_DEVIATION": _price,
    "QTY_WEIGHT_MISMATCH": _weights, "DUPLICATE_DOCUMENT": _duplicate,
    "CONTAINER_INVALID": _containers, "VOYAGE_IMPLAUSIBLE": _voyage, "ROUTE_RISK": _route,
}


def _fallback(name: str, value: float) -> str:
    meaning = next(f.meaning for f in FEATURES if f.name == name)
    shown = "unknown" if math.isnan(value) else f"{value:,.3g}"
    return f"{meaning[0].upper()}{meaning[1:]}: {shown}."


# Reasons account for at least this share of the upward push (the positive family contributions).
COVERAGE = 0.8
# A family the model leaned on whose inputs were not read is told as this code, never dropped.
UNVERIFIED = "UNVERIFIED"


def _by_family(contrib: np.ndarray) -> dict[str, tuple[float, str]]:
    """Return family code -> (summed contribution, its strongest feature)."""
    totals: dict[str, float] = {}
    lead: dict[str, tuple[float, str]] = {}
    for spec, c in zip(FEATURES, contrib, strict=True):
        totals[spec.family] = totals.get(spec.family, 0.0) + float(c)
        if spec.family not in lead or c > lead[spec.family][0]:
            lead[spec.family] = (float(c), spec.name)
    return {code: (total, lead[code][1]) for code, total in totals.items()}


def _unverified(code: str, lead: str, total: float) -> Reason:
    """Say that a check the score leans on could not be made, and which input it lacked."""
    meaning = next(f.meaning for f in FEATURES if f.name == lead)
    family = code.replace("_", " ").lower()
    return Reason(code=UNVERIFIED, contribution=round(total, 4), message=(
        f"Not verified ({family}): {meaning} is unknown because an input was missing or could not "
        f"be read; the score leans on that absence. Check the documents behind it by hand."))


def _outlying(facts: Facts) -> str | None:
    """Return the name of the feature furthest outside the honest range, if any."""
    outlier = facts.get("outlier")
    return None if outlier is None or outlier.feature is None else FEATURES[outlier.feature].name


def _told(code: str, lead: str, total: float, facts: Facts, by_name: Values) -> Reason:
    """Return the reason of one family: its evidence sentence, or what could not be verified."""
    message = MESSAGES.get(code)
    text = message(facts, by_name) if message else None
    if text is None and _outlying(facts) == lead:
        text = _anomaly(facts, by_name)
    if text is None and math.isnan(by_name[lead]):
        return _unverified(code, lead, total)
    return Reason(code=code, message=text or _fallback(lead, by_name[lead]), contribution=round(total, 4))


def _credit_outlier(contrib: np.ndarray, facts: Facts) -> np.ndarray:
    """Move the outlier input's push onto the feature that lies outside the honest range.

    The outlier score is a function of that one feature: its check (the template clone, the
    chronology) is the reason an officer can verify, told with its own evidence sentence.
    """
    outlier = facts.get("outlier")
    if outlier is None or outlier.feature is None:
        return contrib
    moved = np.array(contrib, dtype=float, copy=True)
    moved[outlier.feature] += moved[OUTLIER_COLUMN]
    moved[OUTLIER_COLUMN] = 0.0
    return moved


def reasons(contrib: np.ndarray, values: list[float], facts: Facts, top: int = 5) -> list[Reason]:
    """Return the red-flag families that pushed the score up, strongest first.

    Up to ``top`` families above MIN_CONTRIBUTION, and then as many more as it takes for the
    reasons to account for COVERAGE of the upward push (the sum of the positive family
    contributions), context included. A family whose evidence was not read is told as
    UNVERIFIED, so a score driven by what is missing never comes without a reason. The outlier
    input's push counts for the family of the feature furthest outside the honest range.
    """
    by_name = {f.name: float(x) for f, x in zip(FEATURES, values, strict=True)}
    contrib = _credit_outlier(contrib, facts)
    ranked = sorted(((t, code, lead) for code, (t, lead) in _by_family(contrib).items()), reverse=True)
    push = sum(t for t, _, _ in ranked if t > 0)
    out: list[Reason] = []
    covered = 0.0
    for total, code, lead in ranked:
        if total <= 0:
            break
        strong = total >= MIN_CONTRIBUTION and code not in SILENT_FAMILIES and len(out) < top
        if not strong and covered >= COVERAGE * push:
            continue
        out.append(_told(code, lead, total, facts, by_name))
        covered += total
    return out


def batch_row(report: dict[str, Any]) -> dict[str, Any]:
    """Flatten a RiskReport (as dict) into the batch row of shared/DESIGN §3."""
    risk = report["risk"]
    reasons_: list[dict[str, Any]] = report.get("reasons") or []
    flags: list[dict[str, Any]] = report.get("red_flags") or []
    return {
        "submission_id": report["submission_id"], "status": report["status"],
        "score": None if risk["score"] is None else round(float(risk["score"]), 4),
        "band": risk["band"],
        "reason_codes": "|".join(dict.fromkeys(r["code"] for r in reasons_[:3])),
        "red_flags": "|".join(f["code"] for f in flags),
        "errors": len(report.get("errors") or []),
    }
