"""Overseas customs: the export declaration at the port of loading agrees with the documents."""

from __future__ import annotations

from datetime import date, timedelta

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs, ratio
from tradeverify.reference.store import ReferenceStore

WINDOW_DAYS = 10  # declarations are lodged days before loading, sometimes after


def customs_evidence(docs: SubmissionDocs, store: ReferenceStore) -> Evidence:
    """Find the export declaration of this shipment and compare quantity and value."""
    pol, hs = docs.get("bill_of_lading", "port_of_loading"), docs.get("commercial_invoice", "hs_code")
    when = docs.get("bill_of_lading", "shipped_on_board_date")
    qty = docs.get("commercial_invoice", "quantity")
    total = docs.usd("commercial_invoice", "total_amount", "invoice_date")
    ev = Evidence(features={"customs_covered": UNKNOWN, "customs_found": UNKNOWN,
                            "customs_qty_gap": UNKNOWN, "customs_value_gap": UNKNOWN})
    country = store.port_country(pol) if pol else None
    if not (country and hs and when):
        ev.checks.append(Check(name="customs_declaration", status="unknown", detail="no port, HS or date"))
        return ev
    # A country outside the data is "unknown", never a pass.
    covered = country in store.customs_countries()
    ev.features["customs_covered"] = float(covered)
    if not covered:
        ev.checks.append(Check(name="customs_declaration", status="unknown",
                               detail=f"no customs data for {country}"))
        return ev
    day = date.fromisoformat(when)
    rows = store.rows("customs_declarations", "locode = ? AND hs_code = ? AND date BETWEEN ? AND ?",
                      (pol, hs, (day - timedelta(WINDOW_DAYS)).isoformat(),
                       (day + timedelta(WINDOW_DAYS)).isoformat()))
    ev.features["customs_found"] = float(bool(rows))
    if rows:
        best = min(rows, key=lambda r: abs(ratio(qty, float(str(r["quantity"]))) or 0))
        ev.features["customs_qty_gap"] = ratio(qty, float(str(best["quantity"])))
        ev.features["customs_value_gap"] = ratio(total, float(str(best["value_usd"])))
        ev.facts["customs"] = {"declaration_id": best["declaration_id"], "quantity": best["quantity"]}
    gap = ev.features["customs_qty_gap"]
    detail = f"quantity gap {gap:+.1%}" if rows else "no matching export declaration"
    failed = not rows or (gap == gap and abs(gap) > 0.05)
    ev.checks.append(Check.verdict("customs_declaration", failed, detail))
    return ev
