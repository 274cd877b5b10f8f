"""Each canonical field's parser and its OCR repairs: what a value's text becomes, by field.

Shared by the caption reader (``extract/fields.py``), the field scorer's fallbacks
(``extract/scored_fields.py``) and the review desk's corrections (``service/decisions.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from tradeverify.extract import normalize as nz
from tradeverify.extract import ocr_repairs as ocr
from tradeverify.extract.labels import GENERIC_DATE
from tradeverify.extract.normalize import Norm
from tradeverify.extract.party_fill import PARTY_FIELDS
from tradeverify.extract.ports import resolve_port

PORT_FIELDS = frozenset({"port_of_loading", "port_of_discharge"})


def _port(text: str) -> Norm:
    code, confidence = resolve_port(text)
    if code is None:
        return Norm(None, False, "unknown port")
    return Norm(code, True, None if confidence == 1.0 else f"fuzzy port match ({confidence})")


Parser = Callable[[str], Norm]
PARSERS: dict[str, Parser] = {
    **dict.fromkeys(
        ("contract_date", "invoice_date", "latest_shipment_date", "shipped_on_board_date",
         "issue_date"), nz.parse_date),
    **dict.fromkeys(sorted(PARTY_FIELDS), nz.parse_party),
    **dict.fromkeys(("goods_description", "payment_terms"), nz.parse_text),
    "vessel_name": nz.parse_vessel,
    **dict.fromkeys(("contract_number", "invoice_number", "bl_number", "voyage_number"),
                    nz.parse_code),
    **dict.fromkeys(("unit_price", "total_amount"), nz.parse_amount),
    **dict.fromkeys(("gross_weight_kg", "net_weight_kg"), nz.parse_weight_kg),
    **dict.fromkeys(PORT_FIELDS, _port),
    "hs_code": nz.parse_hs_code, "quantity": nz.parse_quantity, "currency": nz.parse_currency,
    "incoterms": nz.parse_incoterm, "imo_number": nz.parse_imo,
    "container_numbers": nz.parse_containers, "number_of_packages": nz.parse_count,
    GENERIC_DATE: nz.parse_date,
}  # fmt: skip


# Numeric fields, re-bound to the document's number convention (see nz.infer_number_style).
NUMERIC: dict[str, Callable[..., Norm]] = {
    **dict.fromkeys(("unit_price", "total_amount"), nz.parse_amount),
    **dict.fromkeys(("gross_weight_kg", "net_weight_kg"), nz.parse_weight_kg),
    "quantity": nz.parse_quantity, "number_of_packages": nz.parse_count,
}  # fmt: skip


def parser_for(name: str, numbers: nz.NumberStyle = nz.PLAIN_NUMBERS) -> Parser:
    """Return the parser of field ``name`` for a document with the given number convention."""
    if numbers != nz.PLAIN_NUMBERS and name in NUMERIC:
        numeric, options = NUMERIC[name], numbers.options()
        return lambda text: numeric(text, **options)
    return PARSERS[name]


# OCR-specific repairs, applied before parsing only when a value's words came from OCR: on a
# text layer "O36W" or "UC" would be what the issuer really printed.
OCR_REPAIRS: dict[str, Callable[[str], str]] = {
    **dict.fromkeys(("contract_number", "invoice_number"), ocr.repair_code),
    "bl_number": ocr.repair_bl_number,
    "voyage_number": ocr.repair_voyage,
    **dict.fromkeys(("seller_name", "buyer_name", "shipper_name", "consignee_name",
                     "notify_party", "carrier_name"), ocr.repair_name),
    "payment_terms": ocr.repair_payment_terms,
    "goods_description": ocr.repair_description,
}  # fmt: skip
