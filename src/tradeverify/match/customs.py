"""Overseas customs: the shipment's declarations agree with the documents.

The export declaration at the port of loading is compared first. Where that country publishes
no customs data, the import declaration at the port of discharge (mirror data) stands in: the
party taking delivery declares what it paid its own seller, so an invoice priced or sized away
from the goods shows there as well.
"""

from __future__ import annotations

from datetime import date, timedelta

from rapidfuzz import fuzz, utils

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs, ratio
from tradeverify.reference.store import ReferenceStore

# Days around the on-board date a declaration may carry, by flow: exports are lodged days before
# loading, sometimes after; imports on arrival, which the longest direct passage puts ~60 days out.
WINDOWS = {"export": (-10, 10), "import": (-10, 75)}
SAME_PARTY = 90  # token_sort_ratio: "Tianhe Trading SA" is one firm, "... Ltd." (83) another
AGREES = 0.05  # a declared quantity or value within 5 % of the documents' agrees with them


def customs_evidence(docs: SubmissionDocs, store: ReferenceStore) -> Evidence:
    """Find the shipment's customs declaration and compare quantity and value with it."""
    hs = docs.get("commercial_invoice", "hs_code")
    when = docs.get("bill_of_lading", "shipped_on_board_date")
    ev = Evidence(features={"customs_covered": UNKNOWN, "customs_found": UNKNOWN,
                            "customs_qty_gap": UNKNOWN, "customs_value_gap": UNKNOWN})
    ports = {"export": docs.get("bill_of_lading", "port_of_loading"),
             "import": docs.get("bill_of_lading", "port_of_discharge")}
    if not (any(ports.values()) and hs and when):
        ev.checks.append(Check(name="customs_declaration", status="unknown", detail="no port, HS or date"))
        return ev
    # A country outside the data is "unknown", never a pass.
    side = _covered_side(store, ports)
    ev.features["customs_covered"] = float(side is not None)
    if side is None:
        countries = sorted({str(store.port_country(p)) for p in ports.values() if p})
        ev.checks.append(Check(name="customs_declaration", status="unknown",
                               detail=f"no customs data for {' or '.join(countries)}"))
        return ev
    rows = _declarations(store, side, ports[side], str(hs), date.fromisoformat(when))
    ev.features["customs_found"] = float(bool(rows))
    if rows:
        _compare(ev, docs, side, rows)
    gap = ev.features["customs_qty_gap"]
    detail = (f"quantity gap {gap:+.1%} against {side} declaration" if rows
              else f"no matching {side} declaration at {ports[side]}")
    failed = not rows or (gap == gap and abs(gap) > AGREES)
    ev.checks.append(Check.verdict("customs_declaration", failed, detail))
    return ev


def _covered_side(store: ReferenceStore, ports: dict[str, str | None]) -> str | None:
    """Return the flow to compare with: export at loading first, else import at discharge."""
    for flow, port in ports.items():
        country = store.port_country(port) if port else None
        if country and country in store.customs_countries(flow):
            return flow
    return None


def _declarations(store: ReferenceStore, flow: str, port: str | None, hs: str, day: date
                  ) -> list[dict[str, object]]:
    lo, hi = WINDOWS[flow]
    return store.rows("customs_declarations",
                      "flow = ? AND locode = ? AND hs_code = ? AND date BETWEEN ? AND ?",
                      (flow, port, hs, (day + timedelta(lo)).isoformat(),
                       (day + timedelta(hi)).isoformat()))


def _compare(ev: Evidence, docs: SubmissionDocs, flow: str, rows: list[dict[str, object]]) -> None:
    """Set the quantity and value gaps against the shipment's own declaration."""
    qty = docs.get("commercial_invoice", "quantity")
    invoice = docs.usd("commercial_invoice", "total_amount", "invoice_date")
    if flow == "export":  # the seller declares the goods it invoiced
        best = _best_declaration(rows, "exporter", [docs.get("commercial_invoice", "seller_name")], qty)
        totals = [invoice]
    else:  # the buyer declares its purchase; goods sent for processing, the applicant's invoice
        names = [docs.get("sales_contract", "buyer_name"), docs.get("commercial_invoice", "buyer_name")]
        best = _best_declaration(rows, "importer", names, qty)
        # The shipped quantity at the sale price: the contract's total is for its own quantity,
        # which the shipment may miss by the usual +/-5 %.
        sale_price = docs.usd("sales_contract", "unit_price", "contract_date")
        totals = [invoice, qty * sale_price if qty and sale_price else None]
    declared = float(str(best["value_usd"]))
    gaps = [g for g in (ratio(t, declared) for t in totals) if g == g]
    ev.features["customs_qty_gap"] = ratio(qty, float(str(best["quantity"])))
    # The leg that agrees best: an honest one matches exactly, an over-priced one matches neither.
    ev.features["customs_value_gap"] = min(gaps, key=abs) if gaps else UNKNOWN
    ev.facts["customs"] = {"declaration_id": best["declaration_id"], "quantity": best["quantity"],
                           "flow": flow, "value_usd": declared}


def _best_declaration(rows: list[dict[str, object]], column: str, names: list[str | None],
                      qty: float | None) -> dict[str, object]:
    """Return the declaration most likely to be this shipment's.

    The party's own declaration wins over the closest quantity: a port ships the same HS code
    for many firms, and matching on quantity alone would pick another firm's declaration that
    happens to be near an inflated figure.
    """
    def own(row: dict[str, object]) -> bool:
        return any(fuzz.token_sort_ratio(n, str(row[column]), processor=utils.default_process)
                   >= SAME_PARTY for n in names if n)

    return min([r for r in rows if own(r)] or rows,
               key=lambda r: abs(ratio(qty, float(str(r["quantity"]))) or 0))
