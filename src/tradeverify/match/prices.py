"""Unit price against the monthly benchmark of its HS code."""

from __future__ import annotations

import math

from tradeverify.domain import Check
from tradeverify.match.customs import AGREES
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs
from tradeverify.reference.store import ReferenceStore

# p10..p90 of a normal distribution spans 2 x 1.2816 standard deviations.
P10_P90_SIGMAS = 2 * 1.2816


def price_evidence(docs: SubmissionDocs, store: ReferenceStore) -> Evidence:
    """Robust z-score of log(unit price / benchmark median) for the invoice."""
    price = docs.usd("commercial_invoice", "unit_price", "invoice_date")
    hs = docs.get("commercial_invoice", "hs_code") or docs.get("bill_of_lading", "hs_code")
    when = docs.get("commercial_invoice", "invoice_date") or docs.get(
        "bill_of_lading", "shipped_on_board_date")
    ev = Evidence(features={"price_log_ratio": UNKNOWN, "price_robust_z": UNKNOWN,
                            "price_abs_z": UNKNOWN, "price_dispersion": UNKNOWN})
    bench = store.benchmark(str(hs)[:6], str(when)[:7]) if hs and when else None
    # A currency the ECB does not publish leaves the price unknown; unknown is not a pass.
    if not bench or not price or price <= 0:
        ev.checks.append(Check(name="price_benchmark", status="unknown",
                               detail="no benchmark, or no price convertible to USD"))
        return ev
    spread = math.log(bench.p90 / bench.p10) / P10_P90_SIGMAS
    log_ratio = math.log(float(price) / bench.median)
    z = log_ratio / spread
    ev.features.update(price_log_ratio=log_ratio, price_robust_z=z, price_abs_z=abs(z),
                       price_dispersion=spread)
    ev.facts.update(unit_price=price, benchmark=bench.median, hs_code=hs, month=str(when)[:7])
    ev.checks.append(Check(name="price_benchmark", status="pass" if abs(z) < 2.5 else "fail",
                           detail=f"unit price USD {price:,.2f} vs median {bench.median:,.2f} "
                           f"(z = {z:+.1f})"))
    return ev


def unconfirmed_price_z(features: dict[str, float]) -> float:
    """Return the price deviation in dispersions, or 0 when a customs declaration confirms it.

    A premium grade bought two dispersions above the market is confirmed by the value customs
    saw; the same price where neither end publishes customs data, or where the declaration
    disagrees, stays unexplained. One feature gives the model both cases on one scale.
    """
    z, gap = features.get("price_abs_z", UNKNOWN), features.get("customs_value_gap", UNKNOWN)
    return 0.0 if abs(gap) <= AGREES else z
