"""Items tables found by their rows' arithmetic, and the other readers of unknown layouts."""

from __future__ import annotations

from tests.unit.words import words_at
from tradeverify.domain import PageText, Word
from tradeverify.extract.classify import classify
from tradeverify.extract.fields import extract_fields
from tradeverify.extract.layout import build_layout
from tradeverify.extract.lines import group_lines
from tradeverify.extract.normalize import PLAIN_NUMBERS, NumberStyle, parse_figure
from tradeverify.extract.ranker import FIGURES, Candidate, typed
from tradeverify.extract.rowshape import item_row


def _row(y: float, *cells: tuple[float, str]) -> list[Word]:
    return [w for x, text in cells for w in words_at(x, y, text)]


def _page(*words: list[Word]) -> list[PageText]:
    return [PageText(1, tuple(w for group in words for w in group), False)]


# Column names the header vocabulary does not know ("Commodity Code", "Volume", "Each", "Extended").
UNKNOWN_HEADER = _row(0.40, (0.08, "Commodity Code"), (0.25, "Article"), (0.55, "Volume"),
                      (0.70, "Each"), (0.85, "Extended"))


def test_a_row_whose_figures_multiply_names_its_own_columns() -> None:
    line = group_lines(_row(0.42, (0.08, "470321 Bleached softwood kraft pulp"), (0.55, "692.308 MT"),
                            (0.70, "3'654.71"), (0.85, "2'530'184.97")))[0]
    row = item_row(line, 0, PLAIN_NUMBERS)
    assert row is not None
    assert [key for key, _, _ in row.spans] == ["hs_code", "description", "quantity", "unit_price", "amount"]


def test_captions_between_the_figures_are_no_item_row() -> None:
    """A line of captions and values whose figures happen to multiply is not a table row."""
    line = group_lines(_row(0.42, (0.05, "Menge"), (0.15, "692,308 MT"), (0.32, "Preis"),
                            (0.42, "3.683,30"), (0.60, "Wert"), (0.72, "2.549.978,06")))[0]
    assert item_row(line, 0, NumberStyle(decimal_comma=True)) is None


def test_a_factor_of_one_must_give_the_amount_to_the_cent() -> None:
    """Two weights and a count of 1 ("35'780'585.653 KGS  1  35'754'227.000 KGS") are no item."""
    line = group_lines(_row(0.42, (0.08, "35'780'585.653 KGS"), (0.40, "1"), (0.60, "35'754'227.000 KGS")))[0]
    assert item_row(line, 0, PLAIN_NUMBERS) is None


def test_an_invoice_with_unknown_column_names_still_has_its_items_read() -> None:
    words = [_row(0.05, (0.08, "SALES INVOICE")),
             _row(0.10, (0.08, "Date Invoiced:"), (0.30, "22.09.2025")), UNKNOWN_HEADER,
             _row(0.42, (0.08, "470321"), (0.25, "Bleached softwood kraft pulp"), (0.55, "692.308 MT"),
                  (0.70, "3'654.71"), (0.85, "2'530'184.97")),
             _row(0.44, (0.08, "480100"), (0.25, "Newsprint in rolls"), (0.55, "10 MT"),
                  (0.70, "500.00"), (0.85, "5'000.00"))]
    fields = extract_fields(_page(*words), "commercial_invoice")
    items = fields["line_items"].value
    keys = ("hs_code", "description", "quantity", "unit", "unit_price", "amount")
    assert [tuple(i[k] for k in keys) for i in items] == [
        ("470321", "Bleached softwood kraft pulp", 692.308, "MT", 3654.71, 2530184.97),
        ("480100", "Newsprint in rolls", 10.0, "MT", 500.0, 5000.0)]
    assert fields["total_amount"].value == 2535184.97


def test_a_description_wrapped_under_its_cell_stays_with_its_row() -> None:
    words = [UNKNOWN_HEADER,
             _row(0.42, (0.08, "Technically specified rubber TSR"), (0.55, "340.21 MT"),
                  (0.70, "1,456.52"), (0.85, "495,522.67")),
             _row(0.432, (0.08, "20"))]
    items = extract_fields(_page(*words), "commercial_invoice")["line_items"].value
    assert [i["description"] for i in items] == ["Technically specified rubber TSR 20"]


def test_a_figure_type_refuses_a_segment_with_words_after_its_number() -> None:
    def candidate(text: str) -> Candidate:
        return Candidate(0, tuple(words_at(0.1, 0.5, text)), "", "")

    parsers = {name: (lambda t: parse_figure(t.split()[0] if t[0].isdigit() else "x")) for name in FIGURES}
    assert typed(candidate("349 Commerce Street, Port Said"), parsers, sorted(FIGURES)) == {}
    assert set(typed(candidate("2,549,978.06 (PROVISIONAL, BASIS 300,000 BBL)"), parsers,
                     sorted(FIGURES))) == set(FIGURES)


def test_a_chinese_compound_title_names_its_head_noun() -> None:
    """电子发票（增值税专用发票）: an electronic (VAT) invoice is an invoice."""
    page = _page(_row(0.05, (0.3, "电子发票（增值税专用发票）")),
                 _row(0.12, (0.08, "开票日期: 2025年9月12日")))
    assert classify(build_layout(page))[0] == "commercial_invoice"


def test_an_uncaptioned_quantity_is_read_in_the_documents_number_convention() -> None:
    words = [_row(0.05, (0.08, "KAUFVERTRAG")), _row(0.10, (0.08, "Vertragswert"), (0.30, "2.549.978,06")),
             _row(0.14, (0.08, "Preis je Einheit"), (0.30, "3.683,30")), _row(0.18, (0.50, "692,308 MT"))]
    assert extract_fields(_page(*words), "sales_contract")["quantity"].value == 692.308


def test_a_letterhead_that_is_the_shipper_is_not_the_carrier() -> None:
    """A shipper's own footer on its B/L names the shipper, not the carrier."""
    words = [_row(0.05, (0.08, "BILL OF LADING")), _row(0.10, (0.08, "Shipper:")),
             _row(0.12, (0.08, "Dune Trading Ltd.")), _row(0.14, (0.08, "691 Dock Lane, Kuwait")),
             _row(0.95, (0.08, "Dune Trading Ltd. · 691 Dock Lane, Kuwait, Kuwait"))]
    fields = extract_fields(_page(*words), "bill_of_lading")
    assert fields["shipper_name"].value == "Dune Trading Ltd."
    assert "carrier_name" not in fields


def test_payment_terms_are_typed_by_the_instrument_they_name() -> None:
    from tradeverify.extract.normalize import parse_payment_terms

    named = ["D/P at sight", "T/T 30 days after B/L date", "Zahlung per Akkreditiv", "电汇 30%",
             "100 PCT BY IRREVOCABLE STANDBY LETTER OF CREDIT", "Net 30"]
    assert all(parse_payment_terms(t).ok for t in named)
    assert not any(parse_payment_terms(t).ok for t in ("Dune Trading Ltd.", "Valencia, Spain", "Kraft pulp"))


def test_a_printed_total_beats_the_sum_of_the_items() -> None:
    """A tax invoice's total adds tax to its items; the items' sum is used only without one."""
    rows = [UNKNOWN_HEADER,
            _row(0.42, (0.08, "Bolts M6"), (0.55, "100 PCS"), (0.70, "2.00"), (0.85, "200.00")),
            _row(0.44, (0.08, "Nuts M6"), (0.55, "100 PCS"), (0.70, "1.00"), (0.85, "100.00"))]
    total = [_row(0.50, (0.60, "Total incl. VAT"), (0.85, "357.00"))]
    with_total = extract_fields(_page(*rows, *total), "commercial_invoice")["total_amount"]
    without = extract_fields(_page(*rows), "commercial_invoice")["total_amount"]
    assert (with_total.value, without.value) == (357.0, 300.0)
    assert without.reason == "no total printed: the sum of the items"


def test_a_space_grouped_total_is_read_whole() -> None:
    words = [_row(0.05, (0.08, "FACTURE")), _row(0.10, (0.08, "Date:"), (0.30, "12.09.2025")),
             _row(0.20, (0.08, "Poids"), (0.30, "2 386 981,44 kg")),
             _row(0.50, (0.40, "Total TTC"), (0.70, "217 298 746,21"))]
    assert extract_fields(_page(*words), "commercial_invoice")["total_amount"].value == 217298746.21


def test_a_contracts_total_under_an_unknown_caption_is_the_quantity_times_the_price() -> None:
    words = [_row(0.05, (0.08, "CONTRACT FOR THE SALE OF GOODS")),
             _row(0.10, (0.08, "Quantity:"), (0.30, "692.308 MT")),
             _row(0.14, (0.08, "Unit Price:"), (0.30, "516.06")),
             _row(0.18, (0.08, "Freight allowance"), (0.30, "1,200.00")),
             _row(0.22, (0.08, "Sum Total"), (0.30, "357,272.47"))]
    total = extract_fields(_page(*words), "sales_contract")["total_amount"]
    assert total.value == 357272.47
    assert total.reason == "no known caption: the amount that is quantity times unit price"


def test_a_tax_column_run_into_the_amount_cell_is_not_the_amount() -> None:
    """"Qty  Description  Unit Price  GST  Line Total": the GST figure is not the line's amount."""
    words = [_row(0.40, (0.05, "Qty"), (0.15, "Description"), (0.55, "Unit Price"), (0.78, "GST"),
                  (0.85, "Line Total")),
             _row(0.42, (0.05, "2"), (0.15, "Stainless shaft coupling"), (0.55, "1,180.00"), (0.78, "236.00"),
                  (0.85, "2,360.00"))]
    items = extract_fields(_page(*words), "commercial_invoice")["line_items"].value
    assert [(i["quantity"], i["unit_price"], i["amount"]) for i in items] == [(2.0, 1180.0, 2360.0)]


def test_a_tax_rate_or_a_package_word_between_the_figures_keeps_an_item_row() -> None:
    vat = group_lines(_row(0.42, (0.06, "Herringbone wool weave, Slate"), (0.53, "85"), (0.62, "£24.60"),
                           (0.75, "20%"), (0.87, "2,091.00")))[0]
    row = item_row(vat, 0, PLAIN_NUMBERS)
    assert row is not None
    assert [key for key, _, _ in row.spans] == ["description", "quantity", "unit_price", "_other", "amount"]
    german = group_lines(_row(0.42, (0.06, "1"), (0.10, "FP-30112"), (0.22, "Ventilblock Aluminium"),
                              (0.59, "120"), (0.63, "Stk"), (0.73, "48,60"), (0.84, "5.832,00")))[0]
    row = item_row(german, 0, NumberStyle(decimal_comma=True))
    assert row is not None
    # the position and the part number are columns of their own, not the description's
    assert [key for key, _, _ in row.spans] == [
        "_other", "_other", "description", "quantity", "_other", "unit_price", "amount"]


def test_a_date_column_stays_out_of_the_description_and_an_ocr_gap_does_not_split_it() -> None:
    header = _row(0.35, (0.10, "DATE"), (0.21, "DESCRIPTION"), (0.63, "HOURS"), (0.74, "RATE"),
                  (0.83, "AMOUNT"))
    rows = [_row(0.38, (0.10, "08/04/2025"), (0.21, "Cold-chain audit"), (0.382, "Salem distribution center"),
                 (0.66, "6.5"), (0.74, "165.00"), (0.84, "1,072.50")),
            _row(0.40, (0.10, "08/18/2025"), (0.21, "Traceability workshop"), (0.66, "8.0"), (0.74, "165.00"),
                 (0.84, "1,320.00"))]
    items = extract_fields(_page(header, *rows), "commercial_invoice")["line_items"].value
    assert [i["description"] for i in items] == [
        "Cold-chain audit Salem distribution center", "Traceability workshop"]
    assert [i["amount"] for i in items] == [1072.5, 1320.0]


def test_the_currency_printed_in_the_items_cells_is_the_invoices() -> None:
    header = _row(0.35, (0.08, "Item Description"), (0.55, "Qty"), (0.70, "Unit Price"), (0.85, "Extended"))
    item = _row(0.38, (0.08, "Dehydrated potato flakes"), (0.55, "960"), (0.70, "$38.40"),
                (0.85, "$36,864.00"))
    fields = extract_fields(_page(header, item), "commercial_invoice")
    assert fields["line_items"].value[0]["amount"] == 36864.0
    assert fields["currency"].value == "USD"
