"""The five documents of an offshore-resale deal, as DocSpecs (values = ground truth)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tradeverify.reference.fx import usd_per_unit
from tradeverify.reference.sea import port_table
from tradeverify_train.synth.clauses import clause_text, house_style
from tradeverify_train.synth.deals import Deal
from tradeverify_train.synth.docspec import DocSpec, Party, PortInfo
from tradeverify_train.synth.world import CARRIERS, Company

DOCUMENT_STEMS = (
    "purchase_contract", "sales_contract", "commercial_invoice", "bill_of_lading", "packing_list",
)


def _party(company: Company) -> Party:
    return Party(company.name, company.address, company.country)


def _ports(docs: list[dict[str, Any]]) -> dict[str, PortInfo]:
    table = port_table()
    codes = {d[k] for d in docs for k in ("port_of_loading", "port_of_discharge") if d.get(k)}
    return {
        code: PortInfo(code, str(table[code]["name"]), str(table[code]["country"]))
        for code in sorted(codes)
    }


def local_price(usd: float, currency: str, day: date) -> float:
    """Return a USD unit price in ``currency`` at the ECB rate of ``day``, as an issuer prints it."""
    rate = usd_per_unit(currency, day)
    if rate is None:
        raise ValueError(f"no ECB rate for {currency} on {day}")
    return round(usd / rate, 2)


def _contract(deal: Deal, role: str) -> dict[str, Any]:
    sale = role == "sale"
    seller, buyer = (deal.applicant, deal.buyer) if sale else (deal.supplier, deal.applicant)
    day = deal.sale_date if sale else deal.contract_date
    currency = deal.currency_sell if sale else deal.currency_buy
    price = local_price(deal.price_sell if sale else deal.price_buy, currency, day)
    goods = (deal.sale_commodity if sale else None) or deal.commodity
    qty = (deal.sale_quantity if sale else None) or deal.contract_quantity
    pol, pod = ((deal.sale_pol, deal.sale_pod) if sale and deal.sale_pol else (deal.pol, deal.pod))
    return {
        "contract_number": deal.numbers["sales_contract" if sale else "purchase_contract"],
        "contract_date": day.isoformat(),
        "seller_name": seller.name, "buyer_name": buyer.name,
        "goods_description": goods.description, "hs_code": goods.hs_code,
        "quantity": qty, "unit": goods.unit, "unit_price": price,
        "currency": currency, "total_amount": round(qty * price, 2),
        "incoterms": deal.incoterms[1 if sale else 0],
        "port_of_loading": pol, "port_of_discharge": pod,
        "latest_shipment_date": deal.latest_shipment.isoformat(),
        "payment_terms": deal.payment_terms,
    }


def invoice_amounts(deal: Deal) -> tuple[float, float]:
    """Return the invoice's (unit price, total) in the purchase leg's currency."""
    price = local_price(deal.price_buy, deal.currency_buy, deal.invoice_date)
    return price, round(deal.quantity * price, 2)


def _invoice(deal: Deal) -> dict[str, Any]:
    com = deal.commodity
    price, total = invoice_amounts(deal)
    item = {
        "description": com.description, "hs_code": com.hs_code, "quantity": deal.quantity,
        "unit": com.unit, "unit_price": price, "amount": total,
    }
    return {
        "invoice_number": deal.numbers["invoice"], "invoice_date": deal.invoice_date.isoformat(),
        "seller_name": deal.supplier.name, "buyer_name": deal.applicant.name,
        "contract_number": deal.numbers["purchase_contract"], "currency": deal.currency_buy,
        "total_amount": total, "incoterms": deal.incoterms[0],
        "port_of_loading": deal.pol, "port_of_discharge": deal.pod,
        "vessel_name": deal.vessel_name, "bl_number": deal.numbers["bl"],
        "goods_description": com.description, "hs_code": com.hs_code, "quantity": deal.quantity,
        "unit": com.unit, "unit_price": price, "line_items": [item],
    }


def _bill_of_lading(deal: Deal) -> dict[str, Any]:
    return {
        "bl_number": deal.numbers["bl"], "shipper_name": deal.supplier.name,
        "consignee_name": deal.applicant.name, "notify_party": deal.buyer.name,
        "carrier_name": CARRIERS[deal.carrier][0], "vessel_name": deal.vessel_name,
        "imo_number": deal.imo, "voyage_number": deal.voyage,
        "port_of_loading": deal.pol, "port_of_discharge": deal.pod,
        "shipped_on_board_date": deal.on_board.isoformat(), "issue_date": deal.issue_date.isoformat(),
        "container_numbers": list(deal.containers), "number_of_packages": deal.packages,
        "gross_weight_kg": deal.gross_kg, "goods_description": deal.commodity.description,
        "hs_code": deal.commodity.hs_code,
    }


def _packing_list(deal: Deal) -> dict[str, Any]:
    gross = deal.pl_gross_kg if deal.pl_gross_kg is not None else deal.gross_kg
    return {
        "invoice_number": deal.numbers["invoice"], "number_of_packages": deal.packages,
        "gross_weight_kg": gross, "net_weight_kg": deal.net_kg,
        "container_numbers": list(deal.containers),
    }


def deal_documents(deal: Deal) -> dict[str, DocSpec]:
    """Return stem -> DocSpec for the five documents of a deal."""
    parties = {c.name: _party(c) for c in (deal.applicant, deal.supplier, deal.buyer)}
    specs = {
        "purchase_contract": ("sales_contract", _contract(deal, "purchase"), "purchase"),
        "sales_contract": ("sales_contract", _contract(deal, "sale"), "sale"),
        "commercial_invoice": ("commercial_invoice", _invoice(deal), None),
        "bill_of_lading": ("bill_of_lading", _bill_of_lading(deal), None),
        "packing_list": ("packing_list", _packing_list(deal), None),
    }
    for stem, changes in deal.overrides.items():
        specs[stem][1].update(changes)
    ports = _ports([fields for _, fields, _ in specs.values()])
    return {
        stem: DocSpec(doc_type, deal.layouts.get(stem, "A"), fields, parties, ports, role,
                      clauses=_clauses(deal, stem))
        for stem, (doc_type, fields, role) in specs.items()
    }


def _clauses(deal: Deal, stem: str) -> tuple[str, ...]:
    """Contract terms in the issuing seller's house style (or the style a scheme imposed)."""
    if stem not in ("purchase_contract", "sales_contract"):
        return ()
    issuer = deal.supplier if stem == "purchase_contract" else deal.applicant
    return clause_text(deal.clause_styles.get(stem) or house_style(issuer.company_id))


def submission_json(deal: Deal) -> dict[str, Any]:
    """Return the submission.json a bank would send with the documents."""
    return {
        "submission_id": deal.submission_id, "bank_id": deal.bank_id,
        "applicant": deal.applicant.name, "trade_model": deal.trade_model,
        "submitted_at": deal.submitted_at.isoformat(),
        "payment": {
            "amount": invoice_amounts(deal)[1], "currency": deal.currency_buy,
            "payer": deal.applicant.name,
            "payee": deal.supplier.name, "value_date": deal.submitted_at.isoformat(),
        },
    }
