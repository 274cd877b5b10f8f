"""Till receipts: read as an invoice of seller, date, total, currency and receipt number.

A till receipt (a shop's or restaurant's slip) lists retail articles, not a trade deal's goods.
The invoice reader would take an HS code, a quantity, a unit price and a goods description from
its article lines ("SR", "6,00", a product code), and the price and quantity checks would then
compare those with a commodity benchmark. So on a receipt only the fields a receipt carries are
kept; its article rows stay in ``line_items``.

A page is a till receipt when it names no trade party, port, vessel, term or transport document
and prints at least ``MIN_TILL_SIGNALS`` different words of a till ("cashier", "change",
"rounding adj.", "thank you, please come again"). One alone is not enough: trade invoices print
"cash against documents" or "thank you for your business".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

RECEIPT_FIELDS = frozenset({"invoice_number", "invoice_date", "seller_name", "total_amount", "currency",
                            "line_items"})
# Any of these read means the page is trade paperwork, whatever else it prints. Not the B/L
# number: on a receipt the reader takes the shop's registration number ("0195932-X") for one.
TRADE_FIELDS = ("buyer_name", "port_of_loading", "port_of_discharge", "vessel_name", "incoterms",
                "contract_number")
MIN_TILL_SIGNALS = 2
_TILL = re.compile(r"\b(cashier|cash|change|counter|tender(?:ed)?|rounding|come\s+again|thank\s+you)\b",
                   re.IGNORECASE)


def till_signals(texts: Iterable[str]) -> set[str]:
    """Return the different till words the lines print ("cash", "rounding", "thank you" ...)."""
    return {" ".join(m.group(1).lower().split()) for text in texts for m in _TILL.finditer(text)}


def is_till_receipt(texts: Iterable[str], read: Mapping[str, object]) -> bool:
    """Return True when an invoice's lines read like a till receipt and it names nothing of a trade."""
    if any(name in read for name in TRADE_FIELDS):
        return False
    return len(till_signals(texts)) >= MIN_TILL_SIGNALS


def receipt_fields(names: Iterable[str]) -> tuple[str, ...]:
    """Return the fields of ``names`` (in their order) that a till receipt is read for."""
    return tuple(name for name in names if name in RECEIPT_FIELDS)
