"""The trade chain: purchase leg and sale leg describe the same goods, route and a sane margin.

What "the same" means depends on the trade model (submission.json ``trade_model``): in entrusted
overseas processing the sale leg sells the processed goods, from the processor's port (the B/L's
port of discharge), in a quantity the processing route's yield explains.
"""

from __future__ import annotations

from tradeverify.domain import TRADE_MODELS, Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs, ratio
from tradeverify.reference.store import ReferenceStore

PORT_SOURCES = ("purchase_contract", "sales_contract", "commercial_invoice", "bill_of_lading")
PURCHASE_LEG = ("purchase_contract", "commercial_invoice", "bill_of_lading")
PROCESSING = "entrusted_processing"
# Sale value over purchase value minus one, by trade model: outside it the MARGIN check fails
# (the model uses the value, and the trade model, itself).
# Prices are printed to the cent in each leg's own currency: a margin at a band's edge comes back
# a hair outside it (-0.00017 on an honest break-even resale in world 9207). Losses the MARGIN
# scheme fakes start at 1 %.
MARGIN_ROUNDING = 0.002
MARGIN_BANDS = {"offshore_resale": (0.0, 0.10), "global_procurement": (0.0, 0.05),
                "entrusted_processing": (0.02, 0.5), "contracted_project": (0.0, 0.4)}


def _disagreements(docs: SubmissionDocs, name: str, sources: tuple[str, ...]) -> float:
    values = {docs.get(src, name) for src in sources} - {None}
    return UNKNOWN if not values else float(len(values) - 1)


def trade_model_of(meta_model: object) -> str:
    """Return the submission's trade model; an absent or unknown one is read as offshore resale."""
    return str(meta_model) if meta_model in TRADE_MODELS else "offshore_resale"


def _margin(docs: SubmissionDocs) -> float:
    """Sale over purchase, in USD: unit prices for the same goods, contract values otherwise."""
    same_goods = docs.get("purchase_contract", "hs_code") == docs.get("sales_contract", "hs_code")
    name = "unit_price" if same_goods else "total_amount"
    return ratio(docs.usd("sales_contract", name, "contract_date"),
                 docs.usd("purchase_contract", name, "contract_date"))


def margin_band(trade_model: str) -> tuple[float, float]:
    """Return the normal margin band of a trade model, widened by the cent rounding of prices."""
    lo, hi = MARGIN_BANDS[trade_model]
    return lo - MARGIN_ROUNDING, hi + MARGIN_ROUNDING


def margin_outside_band(margin: float, trade_model: str) -> float:
    """Return how far a margin lies outside its trade model's band: 0 inside, signed outside.

    A 14 % mark-up is normal for a processing fee and anomalous for a plain resale: the band puts
    margins of different trade models on one scale (negative below the band, positive above).
    """
    if margin != margin:
        return UNKNOWN
    lo, hi = margin_band(trade_model)
    return margin - hi if margin > hi else (margin - lo if margin < lo else 0.0)


def _processing(docs: SubmissionDocs, store: ReferenceStore) -> dict[str, float]:
    """Route known, yield gap and processor-port agreement of a processing deal's sale leg."""
    out = {"processing_route_known": UNKNOWN, "processing_yield_gap": UNKNOWN}
    raw, made = docs.get("purchase_contract", "hs_code"), docs.get("sales_contract", "hs_code")
    if not (raw and made):
        return out
    route = store.processing_route(str(raw), str(made))
    out["processing_route_known"] = float(route is not None)
    bought, sold = docs.get("purchase_contract", "quantity"), docs.get("sales_contract", "quantity")
    if route and bought and sold:
        got = float(sold) / float(bought)
        lo, hi = route
        out["processing_yield_gap"] = 0.0 if lo <= got <= hi else min(abs(got / lo - 1), abs(got / hi - 1))
    return out


def _ports(docs: SubmissionDocs, processing: bool) -> float:
    if not processing:
        return _disagreements(docs, "port_of_loading", PORT_SOURCES) + _disagreements(
            docs, "port_of_discharge", PORT_SOURCES)
    base = _disagreements(docs, "port_of_loading", PURCHASE_LEG) + _disagreements(
        docs, "port_of_discharge", PURCHASE_LEG)
    processor = docs.get("sales_contract", "port_of_loading")
    landed = docs.get("bill_of_lading", "port_of_discharge")
    return base + (float(processor != landed) if processor and landed else 0.0)


def chain_evidence(docs: SubmissionDocs, store: ReferenceStore, trade_model: str) -> Evidence:
    """Compare the two contracts with each other and with the invoice and the B/L."""
    processing = trade_model == PROCESSING
    margin = _margin(docs)
    goods_sources = PURCHASE_LEG if processing else (*PURCHASE_LEG, "sales_contract")
    made = _processing(docs, store) if processing else {}
    f = {
        "trade_model_code": float(TRADE_MODELS.index(trade_model)),
        # Evidence, not a model feature: a margin rounded to exactly 0 at the cent sat on the
        # fraud side of the trees' "<= 0" split; the band feature below carries the signal.
        "resale_margin": margin,
        "margin_outside_band": margin_outside_band(margin, trade_model),
        "chain_port_disagreements": _ports(docs, processing),
        # Processing sells other goods in other units: the quantity gap is the one the yield leaves.
        "chain_qty_gap": made["processing_yield_gap"] if processing else abs(ratio(
            docs.get("sales_contract", "quantity"), docs.get("purchase_contract", "quantity"))),
        "chain_goods_disagreements": _disagreements(docs, "hs_code", goods_sources)
        # Processing sells other goods, but only what the purchased ones are processed into.
        + float(made.get("processing_route_known") == 0.0),
        **made,
    }
    ev = Evidence(features=f, facts={"margin": margin, "trade_model": trade_model})
    if margin != margin:
        ev.checks.append(Check(name="resale_margin", status="unknown", detail="a contract price is missing"))
    else:
        lo, hi = margin_band(trade_model)
        ev.checks.append(Check(name="resale_margin", status="pass" if lo <= margin <= hi else "fail",
                               detail=f"sale vs purchase {margin:+.1%} ({trade_model.replace('_', ' ')})"))
    return ev
