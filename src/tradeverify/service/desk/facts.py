"""The reference facts a submission's checks cite, laid out for the desk's small plots.

Two: the vessel's port calls around the B/L's on-board date (a timeline, the loading port's
calls marked), and each contract's unit price against its HS code's monthly benchmark (the
10th-90th percentile band and the median). Coordinates are computed here, in a 1000-wide
SVG space, so the template only draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tradeverify.domain import DocumentResult, RiskReport
from tradeverify.reference.store import ReferenceStore

WINDOW_DAYS = 12  # either side of the on-board date
_LEFT, _RIGHT = 40.0, 960.0


@dataclass
class Facts:
    """What the submission page plots."""

    timelines: list[dict[str, Any]] = field(default_factory=list)
    prices: list[dict[str, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.timelines or self.prices)


def _value(doc: DocumentResult, name: str) -> Any:
    f = doc.fields.get(name)
    return None if f is None else f.value


def _first(report: RiskReport, doc_type: str) -> DocumentResult | None:
    return next((d for d in report.documents if d.doc_type == doc_type), None)


def _x(when: datetime, start: datetime, end: datetime) -> float:
    span = (end - start).total_seconds() or 1.0
    share = min(1.0, max(0.0, (when - start).total_seconds() / span))
    return round(_LEFT + share * (_RIGHT - _LEFT), 1)


def vessel_timeline(report: RiskReport, store: ReferenceStore) -> dict[str, Any] | None:
    """Return the B/L vessel's port calls within WINDOW_DAYS of its on-board date, or None."""
    bl = _first(report, "bill_of_lading")
    if bl is None:
        return None
    imo, name, when = _value(bl, "imo_number"), _value(bl, "vessel_name"), _value(bl, "shipped_on_board_date")
    if not imo and name:
        named = store.vessels_named(str(name))
        imo = named[0] if len(named) == 1 else None
    if not imo or not when:
        return None
    day = datetime.fromisoformat(str(when))
    start, end = day - timedelta(days=WINDOW_DAYS), day + timedelta(days=WINDOW_DAYS)
    pol = _value(bl, "port_of_loading")
    calls = [c for c in store.port_calls(str(imo)) if c.departure >= start and c.arrival <= end]
    rows = [{"x": _x(c.arrival, start, end),
             "width": round(_x(c.departure, start, end) - _x(c.arrival, start, end), 1),
             "kind": "call-pol" if c.locode == pol else "call", "short": c.locode,
             "label": f"{c.locode}: {c.arrival:%Y-%m-%d %H:%M} to {c.departure:%Y-%m-%d %H:%M}"}
            for c in calls]
    title = f"Port calls of {name or 'IMO ' + str(imo)} (IMO {imo}), {start:%d %b} to {end:%d %b %Y}"
    at_pol = sum(r["kind"] == "call-pol" for r in rows)
    summary = (f"{len(calls)} recorded call(s) within {WINDOW_DAYS} days of the on-board date "
               f"{day:%Y-%m-%d}" + (f"; {at_pol} at the loading port {pol}" if pol else ""))
    return {"title": title, "summary": summary, "rows": rows,
            "marks": [{"x": _x(day, start, end), "label": f"on board {day:%Y-%m-%d}"}]}


def price_plot(doc: DocumentResult, store: ReferenceStore) -> dict[str, Any] | None:
    """Return a contract's unit price against its benchmark month, or None (no benchmark, not USD)."""
    hs, price, when = _value(doc, "hs_code"), _value(doc, "unit_price"), _value(doc, "contract_date")
    if not hs or not isinstance(price, int | float) or not when or _value(doc, "currency") != "USD":
        return None
    bench = store.benchmark(str(hs), str(when)[:7])
    if bench is None:
        return None
    low, high = min(bench.p10, price) * 0.9, max(bench.p90, price) * 1.1

    def x(v: float) -> float:
        return round(_LEFT + (v - low) / ((high - low) or 1.0) * (_RIGHT - _LEFT), 1)

    return {"title": f"{doc.file}: unit price against the HS {hs} benchmark of {str(when)[:7]}",
            "summary": (f"declared {price:,.2f} USD/{bench.unit}; benchmark median {bench.median:,.2f}, "
                        f"10th-90th percentile {bench.p10:,.2f} to {bench.p90:,.2f}"),
            "q1": x(bench.p10), "q3": x(bench.p90), "median": x(bench.median), "at": x(price),
            "declared": f"{price:,.2f}", "low": f"{low:,.0f}", "high": f"{high:,.0f}"}


def reference_facts(report: RiskReport, store: ReferenceStore) -> Facts:
    """Return the plots of one report's vessel and prices (those the reference data covers)."""
    facts = Facts()
    timeline = vessel_timeline(report, store)
    if timeline:
        facts.timelines.append(timeline)
    for doc in report.documents:
        if doc.doc_type == "sales_contract" and (plot := price_plot(doc, store)):
            facts.prices.append(plot)
    return facts
