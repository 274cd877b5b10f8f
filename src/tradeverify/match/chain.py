"""The resale chain: purchase leg and sale leg describe the same goods, route and a sane margin."""

from __future__ import annotations

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs, ratio

PORT_SOURCES = ("purchase_contract", "sales_contract", "commercial_invoice", "bill_of_lading")
# A resale margin outside this band is the MARGIN_ANOMALY check's "fail" (the model uses the value).
MARGIN_BAND = (0.0, 0.10)


def _disagreements(docs: SubmissionDocs, name: str, sources: tuple[str, ...]) -> float:
    values = {docs.get(src, name) for src in sources} - {None}
    return UNKNOWN if not values else float(len(values) - 1)


def chain_evidence(docs: SubmissionDocs) -> Evidence:
    """Compare the two contracts with each other and with the invoice and the B/L."""
    # Each leg may be priced in its own currency: compare both in USD at their contract dates.
    buy = docs.usd("purchase_contract", "unit_price", "contract_date")
    sell = docs.usd("sales_contract", "unit_price", "contract_date")
    margin = ratio(sell, buy)
    f = {
        "resale_margin": margin,
        "chain_port_disagreements": _disagreements(docs, "port_of_loading", PORT_SOURCES)
        + _disagreements(docs, "port_of_discharge", PORT_SOURCES),
        "chain_qty_gap": abs(ratio(docs.get("sales_contract", "quantity"),
                                   docs.get("purchase_contract", "quantity"))),
        "chain_goods_disagreements": _disagreements(
            docs, "hs_code", ("purchase_contract", "sales_contract", "commercial_invoice", "bill_of_lading")),
    }
    ev = Evidence(features=f, facts={"margin": margin})
    if margin != margin:
        ev.checks.append(Check(name="resale_margin", status="unknown", detail="a contract price is missing"))
    else:
        ok = MARGIN_BAND[0] <= margin <= MARGIN_BAND[1]
        ev.checks.append(Check(name="resale_margin", status="pass" if ok else "fail",
                               detail=f"sale vs purchase unit price {margin:+.1%}"))
    return ev
