"""Till receipts are read for seller, date, total, currency and number, not for trade goods."""

from __future__ import annotations

import pytest

from tests.unit.test_layout import pages_of, row
from tradeverify.extract.fields import extract_fields
from tradeverify.extract.normalize import parse_party
from tradeverify.extract.receipts import is_till_receipt, till_signals

RECEIPT = (
    row(0.05, (0.20, "KEDAI MAKAN SRI MELATI SDN BHD")),
    row(0.08, (0.20, "Receipt No: 22497")),
    row(0.10, (0.20, "Date: 23/01/2019")),
    row(0.14, (0.05, "Item"), (0.40, "Qty"), (0.55, "Unit Price"), (0.75, "Amount")),
    row(0.16, (0.05, "Nasi Lemak Special"), (0.40, "2"), (0.55, "10.00"), (0.75, "20.00")),
    row(0.22, (0.05, "Total"), (0.75, "20.00")),
    row(0.24, (0.05, "Cash"), (0.75, "50.00")),
    row(0.26, (0.05, "Change"), (0.75, "30.00")),
    row(0.30, (0.20, "Thank you, please come again")),
)


def test_a_till_receipt_keeps_only_a_receipts_fields() -> None:
    fields = extract_fields(pages_of(*RECEIPT), "commercial_invoice")
    assert fields["total_amount"].value == 20.0
    assert fields["invoice_date"].value == "2019-01-23"
    assert {"quantity", "unit_price", "hs_code", "goods_description", "unit"}.isdisjoint(fields)
    assert fields["line_items"].value[0]["quantity"] == 2.0  # the article row itself is kept


def test_a_trade_invoice_with_till_words_keeps_its_goods() -> None:
    # "Cash against documents" and a thank-you line do not make a trade invoice a receipt:
    # it names a buyer and ports.
    invoice = (
        row(0.05, (0.30, "COMMERCIAL INVOICE")),
        row(0.08, (0.05, "Invoice No.: CI-2025-0117"), (0.55, "Date: 12 Sept 2025")),
        row(0.10, (0.05, "Buyer: Nordic Resources B.V.")),
        row(0.12, (0.05, "Port of Loading: Santos, Brazil"), (0.55, "Port of Discharge: Rotterdam")),
        row(0.14, (0.05, "Description of Goods: Raw cane sugar ICUMSA 600-1200")),
        row(0.16, (0.05, "Quantity: 12,500 MT"), (0.55, "Unit Price: USD 412.50")),
        row(0.18, (0.05, "Total Amount: USD 5,156,250.00")),
        row(0.20, (0.05, "Payment: cash against documents. Thank you for your business.")),
    )
    fields = extract_fields(pages_of(*invoice), "commercial_invoice")
    assert fields["quantity"].value == 12500.0
    assert fields["unit_price"].value == 412.5


@pytest.mark.parametrize(("lines", "read", "expected"), [
    (["CASH 50.00", "CHANGE 30.00"], {}, True),
    (["Cashier: Aminah", "Rounding Adj -0.03"], {}, True),
    (["Thank you for your business"], {}, False),  # one till word is not a receipt
    (["Cash against documents", "Thank you"], {"port_of_loading": "BRSSZ"}, False),
    (["Cash 50.00", "Change 30.00"], {"buyer_name": "Nordic Resources B.V."}, False),
    (["Cash 50.00", "Change 30.00"], {"bl_number": "0195932-X"}, True),  # a registration number
])
def test_till_receipt_needs_two_till_words_and_no_trade_field(lines: list[str], read: dict,
                                                              expected: bool) -> None:
    assert is_till_receipt(lines, read) is expected


def test_till_signals_are_distinct_words() -> None:
    assert till_signals(["CASH 10.00", "cash", "Thank  you, come   again"]) == {"cash", "thank you",
                                                                              "come again"}


@pytest.mark.parametrize(("printed", "name"), [
    ("MYNEWS RETAIL SB(306295-X) FKA BISON STORES SB", "MYNEWS RETAIL SB"),
    ("Kedai Runcit Maju Sdn Bhd (Co. No. 123456-A) Lot 5, Jalan Ampang", "Kedai Runcit Maju Sdn Bhd"),
    # brackets that are not a registration after the legal form stay
    ("GARDENIA BAKERIES (KL) SDN BHD", "GARDENIA BAKERIES (KL) SDN BHD"),
    ("Acme Trading (2019) Ltd", "Acme Trading (2019) Ltd"),
])
def test_a_registration_number_after_the_legal_form_ends_the_name(printed: str, name: str) -> None:
    assert parse_party(printed).value == name
