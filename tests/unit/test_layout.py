"""Layout reading on hand-made word lists: lines, labels, values, the items table, classify."""

from __future__ import annotations

import pytest

from tradeverify.domain import PageText, Word
from tradeverify.extract.classify import classify, contract_role
from tradeverify.extract.fields import extract_fields
from tradeverify.extract.layout import build_layout
from tradeverify.extract.lines import group_lines
from tradeverify.extract.reading import INVALID_FACTOR

CW, H = 0.01, 0.012  # one character's width and a line's height, in page fractions


def row(y: float, *cells: tuple[float, str], page: int = 1, conf: float = 1.0) -> list[Word]:
    """Words of one printed line: each cell's text starts at x; words are half a char apart."""
    words = []
    for x, text in cells:
        cx = x
        for token in text.split():
            words.append(Word(token, cx, y, cx + len(token) * CW, y + H, page, conf))
            cx += (len(token) + 0.5) * CW
    return words


def pages_of(*rows: list[Word]) -> list[PageText]:
    words = [w for r in rows for w in r]
    numbers = sorted({w.page for w in words}) or [1]
    return [
        PageText(n, tuple(w for w in words if w.page == n), ocr=any(w.conf < 1 for w in words))
        for n in numbers
    ]


def value_of(pages: list[PageText], name: str, *, multiline: bool = False) -> str | None:
    values = build_layout(pages).values(name, multiline=multiline)
    return values[0].text if values else None


# --- lines ------------------------------------------------------------------------------------


def test_group_lines_orders_words_and_pages() -> None:
    words = row(0.30, (0.1, "second line")) + row(0.10, (0.5, "right"), (0.1, "first"))
    words += row(0.05, (0.1, "page two"), page=2)
    lines = group_lines(reversed(words))
    assert [(ln.page, ln.text) for ln in lines] == [
        (1, "first right"),
        (1, "second line"),
        (2, "page two"),
    ]


def test_group_lines_tolerates_a_baseline_shift() -> None:
    words = row(0.100, (0.1, "Seller:")) + row(0.103, (0.3, "Helios Metals"))
    assert [ln.text for ln in group_lines(words)] == ["Seller: Helios Metals"]


# --- labels and values ------------------------------------------------------------------------


def test_label_colon_value_on_same_line() -> None:
    pages = pages_of(
        row(0.10, (0.08, "Invoice No.:"), (0.34, "INV-88213")),
        row(0.13, (0.08, "Unit Price:"), (0.34, "9,081.12")),
    )
    assert value_of(pages, "invoice_number") == "INV-88213"
    assert value_of(pages, "unit_price") == "9,081.12"
    hits = build_layout(pages).hits
    assert [(h.field, h.label.text) for h in hits] == [
        ("invoice_number", "Invoice No."),
        ("unit_price", "Unit Price"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Copper cathodes Price fixed on LME",  # "Price" inside a description
        "Goods Price Adjustment",  # prose starting with a one-word label
        "To order of the bank",  # "To" is a port label variant
    ],
)
def test_words_inside_prose_are_not_labels(text: str) -> None:
    pages = pages_of(row(0.10, (0.08, text)))
    assert build_layout(pages).hits == []


def test_detached_colon_belongs_to_label() -> None:
    pages = pages_of(row(0.10, (0.08, "Seller :"), (0.34, "Helios Metals Pte. Ltd.")))
    assert value_of(pages, "seller_name") == "Helios Metals Pte. Ltd."


def test_boxed_labels_above_values_in_two_columns() -> None:
    pages = pages_of(
        row(0.20, (0.09, "The Seller"), (0.51, "The Buyer")),
        # The left value runs up to the column rule: only the column bound separates them.
        row(0.215, (0.09, "Helios Metals Trading Pte. Ltd. Singapore"), (0.51, "Nordhafen GmbH")),
        row(0.230, (0.09, "80 Robinson Road"), (0.51, "Am Sandtorkai 41")),
        row(0.26, (0.09, "Contract Number"), (0.51, "Date of Contract")),
        row(0.275, (0.09, "HMT-SC-2025-0147"), (0.51, "2025-03-12")),
    )
    assert value_of(pages, "seller_name") == "Helios Metals Trading Pte. Ltd. Singapore"
    assert value_of(pages, "buyer_name") == "Nordhafen GmbH"
    assert value_of(pages, "contract_number") == "HMT-SC-2025-0147"
    assert value_of(pages, "contract_date") == "2025-03-12"


def test_label_followed_by_next_label_has_no_value() -> None:
    pages = pages_of(
        row(0.20, (0.09, "The Seller")),
        row(0.215, (0.09, "Contract Number")),
        row(0.23, (0.09, "SC-1")),
    )
    assert value_of(pages, "seller_name") is None
    assert value_of(pages, "contract_number") == "SC-1"


def test_wrapped_description_joins_but_next_row_does_not() -> None:
    pages = pages_of(
        row(0.40, (0.08, "Description of Goods:"), (0.34, "Refined copper cathodes, grade A,")),
        row(0.415, (0.34, "packed in bundles")),
        row(0.44, (0.08, "HS Code:"), (0.34, "740311")),
    )
    text = value_of(pages, "goods_description", multiline=True)
    assert text == "Refined copper cathodes, grade A, packed in bundles"


def test_party_name_excludes_address_lines() -> None:
    pages = pages_of(
        row(0.14, (0.08, "Seller:"), (0.34, "Helios Metals Trading Pte. Ltd.")),
        row(0.155, (0.34, "80 Robinson Road, #17-02")),
        row(0.17, (0.34, "Singapore 068898")),
    )
    assert value_of(pages, "seller_name") == "Helios Metals Trading Pte. Ltd."


def test_stacked_containers_in_a_box_column() -> None:
    pages = pages_of(
        row(0.50, (0.09, "Container Numbers"), (0.51, "Number of Packages")),
        row(0.515, (0.09, "CSQU3054383"), (0.51, "1,250")),
        row(0.530, (0.09, "MSKU9070323")),
        row(0.545, (0.09, "TGHU3337770")),
        row(0.575, (0.09, "Commodity")),
    )
    text = value_of(pages, "container_numbers", multiline=True)
    assert text == "CSQU3054383 MSKU9070323 TGHU3337770"
    assert value_of(pages, "number_of_packages") == "1,250"


def test_ocr_words_match_labels_despite_misreads() -> None:
    ocr = row(0.10, (0.08, "BIL No.:"), (0.34, "MEDU123"), conf=0.9)
    ocr += row(0.12, (0.08, "lnvoice Date:"), (0.34, "2025-01-02"), conf=0.9)
    assert value_of(pages_of(ocr), "bl_number") == "MEDU123"
    assert value_of(pages_of(ocr), "invoice_date") == "2025-01-02"
    digital = row(0.10, (0.08, "BIL No.:"), (0.34, "MEDU123"))
    assert value_of(pages_of(digital), "bl_number") is None


# --- items table --------------------------------------------------------------------------------

HEADER = ((0.09, "Description"), (0.37, "HS Code"), (0.515, "Quantity"), (0.59, "Unit"),
          (0.69, "Unit Price"), (0.855, "Amount"))  # fmt: skip


def table_pages() -> list[PageText]:
    return pages_of(
        row(0.50, *HEADER),
        row(0.52, (0.09, "Refined copper cathodes,"), (0.37, "740311"), (0.52, "100.000"),
            (0.59, "MT"), (0.70, "9,125.50"), (0.84, "912,550.00")),  # fmt: skip
        row(0.535, (0.09, "grade A")),
        row(0.56, (0.09, "Off-grade lot"), (0.37, "740311"), (0.53, "24.500"), (0.59, "MT"),
            (0.70, "8,900.00"), (0.84, "218,050.00")),  # fmt: skip
        row(0.60, (0.08, "Total Amount:"), (0.34, "1,130,600.00")),
    )


def test_table_rows_with_wrapped_description() -> None:
    table = build_layout(table_pages()).table
    assert table is not None
    cells = [{k: " ".join(w.text for w in v) for k, v in r.items()} for r in table.rows]
    assert cells == [
        {"description": "Refined copper cathodes, grade A", "hs_code": "740311",
         "quantity": "100.000", "unit": "MT", "unit_price": "9,125.50", "amount": "912,550.00"},
        {"description": "Off-grade lot", "hs_code": "740311", "quantity": "24.500",
         "unit": "MT", "unit_price": "8,900.00", "amount": "218,050.00"},
    ]  # fmt: skip


def test_table_header_words_are_not_field_labels() -> None:
    layout = build_layout(table_pages())
    assert [h.field for h in layout.hits] == ["total_amount"]


def test_invoice_fields_fall_back_to_the_table() -> None:
    fields = extract_fields(table_pages(), "commercial_invoice")
    assert fields["total_amount"].value == 1130600.0
    assert fields["quantity"].value == pytest.approx(124.5)
    assert fields["unit"].value == "MT"
    assert fields["hs_code"].value == "740311"
    items = fields["line_items"].value
    assert [i["amount"] for i in items] == [912550.0, 218050.0]
    assert items[0] == {
        "description": "Refined copper cathodes, grade A", "hs_code": "740311",
        "quantity": 100.0, "unit": "MT", "unit_price": 9125.5, "amount": 912550.0,
    }  # fmt: skip


# --- fields -----------------------------------------------------------------------------------


def test_failed_check_digit_is_kept_with_low_confidence() -> None:
    pages = pages_of(
        row(0.05, (0.35, "BILL OF LADING")),
        row(0.10, (0.08, "Container Nos.:"), (0.34, "MSCU 123456 5, CSQU 305438 3"), conf=0.9),
        row(0.12, (0.08, "IMO No.:"), (0.34, "9312341")),
    )
    fields = extract_fields(pages, "bill_of_lading")
    containers = fields["container_numbers"]
    assert containers.value == ["MSCU1234565", "CSQU3054383"]
    assert containers.confidence == pytest.approx(0.9 * INVALID_FACTOR)
    assert containers.raw == "MSCU 123456 5, CSQU 305438 3"
    assert fields["imo_number"].value == "9312341" and fields["imo_number"].confidence == 1.0
    x0, y0, x1, y1 = containers.bbox or (0, 0, 0, 0)
    assert containers.page == 1 and x0 == pytest.approx(0.34) and y0 == pytest.approx(0.10)


def test_quantity_gives_unit() -> None:
    pages = pages_of(row(0.10, (0.08, "Quantity:"), (0.34, "25,000.000 MT")))
    fields = extract_fields(pages, "sales_contract")
    assert (fields["quantity"].value, fields["unit"].value) == (25000.0, "MT")


def test_pattern_fallbacks_when_ocr_dropped_the_labels() -> None:
    pages = pages_of(
        row(0.05, (0.6, "SALES CONTRACT")),
        # "Qty" and "Curr." were not read; their values still have a unique shape.
        row(0.25, (0.51, "Price per Unit"), conf=0.9),
        row(0.26, (0.09, "320,002.000 BBL"), (0.51, "111.32"), conf=0.9),
        row(0.29, (0.51, "Invoice Total"), conf=0.9),
        row(0.30, (0.09, "USD"), (0.51, "35,622,622.64"), conf=0.9),
        row(0.33, (0.09, "Terms of Delivery"), conf=0.9),
        row(0.34, (0.09, "CIF"), conf=0.9),
    )
    fields = extract_fields(pages, "sales_contract")
    assert fields["unit_price"].value == 111.32 and fields["incoterms"].value == "CIF"
    assert (fields["quantity"].value, fields["unit"].value) == (320002.0, "BBL")
    assert fields["currency"].value == "USD"
    assert fields["currency"].confidence == pytest.approx(0.9 * 0.6)


def test_containers_found_without_their_label() -> None:
    pages = pages_of(
        row(0.05, (0.6, "PACKING LIST")),
        row(0.20, (0.09, "CSQU3054383")),
        row(0.215, (0.09, "MSKU9070323")),
        row(0.24, (0.09, "Invoice No.:"), (0.34, "INV-1")),
    )
    fields = extract_fields(pages, "packing_list")
    assert fields["container_numbers"].value == ["CSQU3054383", "MSKU9070323"]
    assert fields["invoice_number"].value == "INV-1"


def test_ambiguous_shape_is_not_guessed() -> None:
    pages = pages_of(row(0.30, (0.09, "USD"), (0.51, "EUR")))
    assert "currency" not in extract_fields(pages, "sales_contract")


# --- classification -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("COMMERCIAL INVOICE", "commercial_invoice"),
        ("BILL OF LADING", "bill_of_lading"),
        ("PACKING LIST", "packing_list"),
        ("SALES CONTRACT", "sales_contract"),
        ("PURCHASE CONTRACT", "sales_contract"),
        ("SEA WAYBILL", "bill_of_lading"),
    ],
)
def test_classify_by_title(title: str, doc_type: str) -> None:
    pages = pages_of(row(0.05, (0.35, title)), row(0.10, (0.08, "Seller:"), (0.34, "Helios")))
    assert classify(pages)[0] == doc_type


def test_title_beside_letterhead_counts() -> None:
    pages = pages_of(row(0.05, (0.08, "Helios Metals Ltd."), (0.62, "COMMERCIAL INVOICE")))
    assert classify(pages)[0] == "commercial_invoice"


def test_title_words_inside_a_label_do_not_count() -> None:
    pages = pages_of(
        row(0.05, (0.62, "PACKING LIST")),
        row(0.10, (0.08, "Bill of Lading No."), (0.40, "Invoice No.")),
    )
    assert classify(pages)[0] == "packing_list"


def test_classify_by_labels_without_title() -> None:
    pages = pages_of(
        row(0.10, (0.08, "Shipper:"), (0.34, "Andes Copper")),
        row(0.12, (0.08, "Consignee:"), (0.34, "Nordhafen")),
        row(0.14, (0.08, "Vessel:"), (0.34, "MSC AURORA")),
        row(0.16, (0.08, "Container Nos.:"), (0.34, "CSQU3054383")),
    )
    doc_type, confidence = classify(pages)
    assert doc_type == "bill_of_lading" and 0 < confidence < 0.6


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [row(0.5, (0.2, "a beach at sunset"))],
        [row(0.5, (0.2, "Seller:"), (0.4, "Bob"))],  # one label is not a document
    ],
)
def test_classify_unknown(rows: list[list[Word]]) -> None:
    assert classify(pages_of(*rows)) == ("unknown", 0.0)


@pytest.mark.parametrize(
    ("title", "role"),
    [("PURCHASE CONTRACT", "purchase"), ("SALES CONTRACT", "sale"), ("SALES AGREEMENT", "sale")],
)
def test_contract_role(title: str, role: str) -> None:
    assert contract_role(pages_of(row(0.05, (0.35, title)))) == role


def test_contract_role_without_title() -> None:
    assert contract_role(pages_of(row(0.05, (0.35, "COMMERCIAL INVOICE")))) is None


def test_fuzzy_port_lowers_confidence_only() -> None:
    pages = pages_of(
        row(0.10, (0.08, "Port of Loading:"), (0.34, "Busan, South Korea")),
        row(0.12, (0.08, "Port of Discharge:"), (0.34, "Hamburg, Germany")),
    )
    fields = extract_fields(pages, "sales_contract")
    assert fields["port_of_loading"].value == "KRPUS"
    assert 0.5 < fields["port_of_loading"].confidence < 1.0
    assert fields["port_of_discharge"].value == "DEHAM"
    assert fields["port_of_discharge"].confidence == 1.0
    assert fields["port_of_discharge"].raw == "Hamburg, Germany"
