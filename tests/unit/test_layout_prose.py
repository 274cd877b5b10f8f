"""Running text (contract clauses) and table-header cells, on hand-made word lists."""

from __future__ import annotations

from tests.unit.test_layout import pages_of, row
from tradeverify.domain import Word
from tradeverify.extract.fields import extract_fields
from tradeverify.extract.layout import build_layout
from tradeverify.extract.lines import group_lines
from tradeverify.extract.prose import prose_lines
from tradeverify.extract.tables import find_table

CLAUSE_1 = "Quality and weight as determined by an independent surveyor at the port of loading shall"
CLAUSE_2 = "Payment Terms: the Buyer shall pay USD 250,000.00 by T/T within 5 days of 15 Mar 2025 and"
# A field block followed by a numbered terms block, as contracts print them.
FIELDS = [
    row(0.10, (0.05, "Seller:"), (0.25, "Helios Metals Trading Pte. Ltd.")),
    row(0.12, (0.05, "Port of Loading:"), (0.25, "San Antonio, Chile")),
    row(0.14, (0.05, "Payment Terms:"), (0.25, "T/T 30 days after B/L date")),
]
TERMS = [
    row(0.18, (0.05, "Terms and Conditions")),
    row(0.20, (0.05, "1."), (0.08, CLAUSE_1)),
    row(0.212, (0.08, "be final and binding on both parties.")),
    row(0.228, (0.05, "2."), (0.08, CLAUSE_2)),
    row(0.24, (0.08, "Port of Loading Santos, Brazil may be substituted.")),
    row(0.256, (0.05, "3."), (0.08, "Latest Shipment Date: 30 Jun 2025 may be extended by the Seller.")),
]


def test_numbered_clauses_and_their_wrapped_lines_are_prose() -> None:
    lines = group_lines(w for r in FIELDS + TERMS for w in r)
    prose = prose_lines(lines)
    texts = [lines[i].text for i in sorted(prose)]
    assert texts == [ln.text for ln in lines[4:]]  # every clause line, not the heading
    assert not prose & {0, 1, 2, 3}


def test_labels_quoted_in_clauses_are_not_read() -> None:
    fields = extract_fields(pages_of(*FIELDS, *TERMS), "sales_contract")
    assert fields["payment_terms"].value == "T/T 30 days after B/L date"
    assert fields["port_of_loading"].value == "CLSAI"
    assert "latest_shipment_date" not in fields and "total_amount" not in fields


def test_clauses_do_not_fill_absent_fields() -> None:
    fields = extract_fields(pages_of(FIELDS[0], *TERMS), "sales_contract")
    assert set(fields) == {"seller_name"}


def test_long_unnumbered_paragraph_is_prose_but_a_long_labelled_value_is_not() -> None:
    text = "The Seller shall ship the goods from the port of loading not later than the date"
    paragraph = row(0.30, (0.05, text))
    wrapped = row(0.312, (0.05, "agreed, on a vessel nominated by the Buyer."))
    goods = "Refined copper cathodes Grade A LME registered brand in bundles"
    field = row(0.35, (0.05, f"Cargo Description: {goods}"))
    layout = build_layout(pages_of(paragraph, wrapped, field))
    assert layout.prose == {0, 1}
    assert layout.values("goods_description")[0].text == goods


def test_ocr_stub_for_an_unreadable_number_still_starts_a_clause() -> None:
    clauses = [
        ("aR", "Seller: Golden Delta Commodities warrants good title to the goods and"),
        (None, "Total Amount: USD 6,402,855.75 is payable in full; the currency is the US dollar."),
        ("oS", "Any dispute arising from this contract shall be settled by arbitration"),
    ]
    words = [
        row(0.20 + 0.012 * i, *([(0.05, stub)] if stub else []), (0.08, text), conf=0.9)
        for i, (stub, text) in enumerate(clauses)
    ]
    layout = build_layout(pages_of(*words))
    assert layout.prose == {0, 1, 2}
    assert layout.hits == []


def test_address_starting_with_a_number_is_not_a_clause() -> None:
    words = [
        row(0.10, (0.05, "Buyer:"), (0.25, "Nordhafen Kupfer GmbH")),
        row(0.112, (0.25, "3 Am Sandtorkai Strasse, Block B, Level 4")),
        row(0.13, (0.05, "Consignee:"), (0.25, "Helios Metals")),
    ]
    layout = build_layout(pages_of(*words))
    assert layout.prose == frozenset()
    assert {h.field for h in layout.hits} == {"buyer_name", "consignee_name"}


# --- table header cells ---------------------------------------------------------------------


def test_unit_and_price_in_separate_cells_are_two_columns() -> None:
    header = row(0.40, (0.05, "Goods"), (0.40, "Qty"), (0.50, "Unit"), (0.60, "Price"), (0.75, "Total"))
    body = row(0.42, (0.05, "Copper cathodes"), (0.40, "124.500"), (0.50, "MT"), (0.60, "9,081.12"),
               (0.75, "1,130,599.44"))  # fmt: skip
    table = find_table(group_lines(header + body))
    assert table is not None
    assert [c.key for c in table.columns] == ["description", "quantity", "unit", "unit_price", "amount"]
    fields = extract_fields(pages_of(header, body), "commercial_invoice")
    assert fields["line_items"].value == [{
        "description": "Copper cathodes", "hs_code": None, "quantity": 124.5, "unit": "MT",
        "unit_price": 9081.12, "amount": 1130599.44,
    }]  # fmt: skip


def test_a_row_of_field_captions_is_not_a_table_header() -> None:
    # Label-above-value layouts print captions such as "GOODS  HS NO.  TOTAL QUANTITY" in a row.
    captions = row(0.40, (0.05, "GOODS"), (0.40, "HS NO."), (0.60, "TOTAL QUANTITY"))
    values = row(0.42, (0.05, "Copper cathodes"), (0.40, "740311"), (0.60, "124.500 MT"))
    assert find_table(group_lines(captions + values)) is None
    fields = extract_fields(pages_of(captions, values), "sales_contract")
    assert fields["quantity"].value == 124.5 and fields["hs_code"].value == "740311"


def test_ocr_abbreviation_without_its_dots_is_still_a_label() -> None:
    words = row(0.40, (0.05, "GW."), (0.30, "NW.")) + row(0.42, (0.05, "125.500 KGS"), (0.30, "120.000 KGS"))
    ocr = [Word(w.text, w.x0, w.y0, w.x1, w.y1, w.page, 0.9) for w in words]
    fields = extract_fields(pages_of(ocr), "packing_list")
    assert fields["gross_weight_kg"].value == 125.5 and fields["net_weight_kg"].value == 120.0
    # A text layer is taken as printed: "GW." is not the label "G.W.".
    assert extract_fields(pages_of(words), "packing_list") == {}



def test_a_clause_ending_on_a_label_word_is_still_prose() -> None:
    words = [
        row(0.20, (0.05, "2."), (0.08, "The Seller warrants good title to the goods free of any lien at")),
        row(0.212, (0.08, "delivery on board the")),
        row(0.224, (0.08, "vessel.")),
        row(0.24, (0.05, "Seller:"), (0.25, "Helios Metals Pte. Ltd.")),
    ]
    layout = build_layout(pages_of(*words))
    assert layout.prose == {0, 1, 2}
    assert [h.field for h in layout.hits] == ["seller_name"]
