"""Overseas customs: the export declaration at the port of loading agrees with the documents."""

from __future__ import annotations

from datetime import date, timedelta

from rapidfuzz import fuzz, utils

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs, ratio
from tradeverify.reference.store import ReferenceStore

WINDOW_DAYS = 10  # declarations are lodged days before loading, sometimes after
SAME_EXPORTER = 90  # token_sort_ratio: "Tianhe Trading SA" is one firm, "... Ltd." (83) another


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
        best = _best_declaration(rows, docs.get("commercial_invoice", "seller_name"), qty)
        ev.features["customs_qty_gap"] = ratio(qty, float(str(best["quantity"])))
        ev.features["customs_value_gap"] = ratio(total, float(str(best["value_usd"])))
        ev.facts["customs"] = {"declaration_id": best["declaration_id"], "quantity": best["quantity"]}
    gap = ev.features["customs_qty_gap"]
    detail = f"quantity gap {gap:+.1%}" if rows else "no matching export declaration"
    failed = not rows or (gap == gap and abs(gap) > 0.05)
    ev.checks.append(Check.verdict("customs_declaration", failed, detail))
    return ev


def _best_declaration(rows: list[dict[str, object]], seller: str | None, qty: float | None
                      ) -> dict[str, object]:
    """Return the declaration most likely to be this shipment's.

    The seller's own declaration wins over the closest quantity: a port ships the same HS code
    for many exporters, and matching on quantity alone would pick another firm's declaration
    that happens to be near an inflated figure.
    """
    def exporter_score(row: dict[str, object]) -> float:
        return fuzz.token_sort_ratio(seller or "", str(row["exporter"]), processor=utils.default_process)

    own = [r for r in rows if seller and exporter_score(r) >= SAME_EXPORTER]
    return min(own or rows, key=lambda r: abs(ratio(qty, float(str(r["quantity"]))) or 0))
