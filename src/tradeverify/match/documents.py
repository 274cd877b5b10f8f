"""Cross-document consistency: quantities and weights, references, dates, completeness."""

from __future__ import annotations

from datetime import date
from typing import Literal

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs, ratio

# Kilograms per trade unit where the unit alone fixes it; PCS needs a per-item weight we lack.
KG_PER_UNIT = {"MT": 1000.0, "KGS": 1.0, "BBL": 136.4}
LOW_CONFIDENCE = 0.6


def _invoice_kg(docs: SubmissionDocs) -> float | None:
    qty, unit = docs.get("commercial_invoice", "quantity"), docs.get("commercial_invoice", "unit")
    factor = KG_PER_UNIT.get(str(unit))
    return None if qty is None or factor is None else float(qty) * factor


def _days(a: str | None, b: str | None) -> float:
    if not a or not b:
        return UNKNOWN
    return float((date.fromisoformat(b) - date.fromisoformat(a)).days)


def _set_overlap(a: list[str] | None, b: list[str] | None) -> float:
    if a is None or b is None:
        return UNKNOWN
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def _low_confidence_share(docs: SubmissionDocs) -> float:
    confs = [f.confidence for d in docs.docs.values() if d for f in d.fields.values()]
    return sum(c < LOW_CONFIDENCE for c in confs) / len(confs) if confs else UNKNOWN


def quantity_evidence(docs: SubmissionDocs) -> Evidence:
    """Compare invoice quantity, packing-list and B/L weights, packages and containers."""
    inv_kg = _invoice_kg(docs)
    bl_gross = docs.get("bill_of_lading", "gross_weight_kg")
    pl_gross, pl_net = docs.get("packing_list", "gross_weight_kg"), docs.get("packing_list", "net_weight_kg")
    f = {
        "inv_qty_vs_pl_net": ratio(inv_kg, pl_net),
        "bl_gross_vs_inv_qty": ratio(bl_gross, inv_kg),
        "pl_gross_vs_bl_gross": ratio(pl_gross, bl_gross),
        "packages_pl_vs_bl": ratio(docs.get("packing_list", "number_of_packages"),
                                   docs.get("bill_of_lading", "number_of_packages")),
        "containers_pl_bl_overlap": _set_overlap(docs.get("packing_list", "container_numbers"),
                                                 docs.get("bill_of_lading", "container_numbers")),
        "contract_vs_invoice_qty": ratio(docs.get("purchase_contract", "quantity"),
                                         docs.get("commercial_invoice", "quantity")),
    }
    # One magnitude for "the documents disagree on weight", whichever pair and direction.
    pairs = [abs(v) for v in (f["inv_qty_vs_pl_net"], f["pl_gross_vs_bl_gross"]) if v == v]
    f["weight_gap_abs_max"] = max(pairs) if pairs else UNKNOWN
    ev = Evidence(features=f, facts={"invoice_kg": inv_kg, "bl_gross": bl_gross, "pl_gross": pl_gross})
    worst = max((abs(v) for k, v in f.items() if k.startswith(("inv_", "bl_", "pl_")) and v == v),
                default=UNKNOWN)
    status: Literal["pass", "fail", "unknown"] = (
        "unknown" if worst != worst else ("pass" if worst <= 0.04 else "fail"))
    ev.checks.append(Check(name="quantity_weight_consistency", status=status,
                           detail="" if worst != worst else f"largest weight gap {worst:.1%}"))
    return ev


def consistency_evidence(docs: SubmissionDocs) -> Evidence:
    """Check references between documents, chronology and completeness."""
    bl_ref, bl_no = docs.get("commercial_invoice", "bl_number"), docs.get("bill_of_lading", "bl_number")
    f = {
        "invoice_bl_reference_match": UNKNOWN if not bl_ref or not bl_no else float(bl_ref == bl_no),
        "days_onboard_to_invoice": _days(docs.get("bill_of_lading", "shipped_on_board_date"),
                                         docs.get("commercial_invoice", "invoice_date")),
        "days_contract_to_onboard": _days(docs.get("purchase_contract", "contract_date"),
                                          docs.get("bill_of_lading", "shipped_on_board_date")),
        "days_onboard_to_bl_issue": _days(docs.get("bill_of_lading", "shipped_on_board_date"),
                                          docs.get("bill_of_lading", "issue_date")),
        "days_latest_shipment_to_onboard": _days(docs.get("purchase_contract", "latest_shipment_date"),
                                                 docs.get("bill_of_lading", "shipped_on_board_date")),
        "invoice_amount_gap": _amount_gap(docs),
        "documents_missing": float(len(docs.missing())),
        "low_confidence_share": _low_confidence_share(docs),
    }
    f["chronology_violation_days"] = _chronology_violation(f)
    missing = docs.missing()
    check = Check(name="documents_complete", status="fail" if missing else "pass",
                  detail=("missing: " + ", ".join(missing)) if missing else "all five documents")
    return Evidence(features=f, checks=[check])


def _chronology_violation(f: dict[str, float]) -> float:
    """Return the most days any date is out of order (0: all in order; unknown: no dates).

    Invoiced before shipping, a shipped B/L issued before loading, loaded after the contract's
    latest shipment date: one magnitude for the three, so that each out-of-order kind teaches
    the model about the others (a B/L dated a day late is the honest case at 1 day).
    """
    late = (-f["days_onboard_to_invoice"], -f["days_onboard_to_bl_issue"],
            f["days_latest_shipment_to_onboard"])
    known = [d for d in late if d == d]
    return max(0.0, *known) if known else UNKNOWN


def _amount_gap(docs: SubmissionDocs) -> float:
    qty, price = docs.get("commercial_invoice", "quantity"), docs.get("commercial_invoice", "unit_price")
    total = docs.get("commercial_invoice", "total_amount")
    if qty is None or price is None or not total:
        return UNKNOWN
    return abs(float(qty) * float(price) - float(total)) / float(total)
