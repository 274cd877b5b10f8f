"""Conventions and layouts of paperwork from outside the generator: numbers, dates, titles, receipts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from tests.unit.test_layout import pages_of, row
from tradeverify.extract import candidates as cand
from tradeverify.extract import normalize as nz
from tradeverify.extract.classify import UNKNOWN, classify
from tradeverify.extract.fields import extract_fields
from tradeverify.extract.layout import build_layout
from tradeverify_train.extraction.golden import evaluate_golden, fold_name, golden_pairs

# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "comma", "value"),
    [
        ("358.800,00", False, 358800.0),
        ("EUR 25.304.125,00", False, 25304125.0),
        ("1 234,56", False, 1234.56),  # French / Scandinavian grouping by space
        ("CHF 1'234.56", False, 1234.56),  # Swiss apostrophe
        ("1\u2019234.56", False, 1234.56),
        ("1,234.56", False, 1234.56),
        ("218,400", True, 218.4),
        ("100 200", False, 100.0),  # two numbers of a table row, not one grouped by a space
    ],
)
def test_amounts_in_every_convention(text: str, comma: bool, value: float) -> None:
    assert nz.parse_amount(text, decimal_comma=comma).value == value


def test_decimal_mark_is_voted_by_all_numbers_of_a_document() -> None:
    assert nz.infer_decimal_comma(["Zwischensumme 12,50", "MwSt 2,38", "Gesamt 14,88"])
    assert nz.infer_decimal_comma(["Total 1 234,56 EUR"])
    assert not nz.infer_decimal_comma(["TOTAL 9.00", "CASH 10.00", "ITEM 3"])
    # A dotted date is no decimal evidence either way.
    assert not nz.infer_decimal_comma(["Datum 12.09.2025"])


def test_find_amounts_keeps_money_not_counts() -> None:
    assert nz.find_amounts("TOTAL RM 12.50 CASH 50.00 ITEMS 3") == [12.5, 50.0]


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("12 Sept 2025", "2025-09-12"),
        ("SHIPPED ON BOARD: 30. SEP. 2022", "2022-09-30"),
        ("Rechnungsdatum: 12.09.2025", "2025-09-12"),
        ("le 1er septembre 2025", "2025-09-01"),
        ("Fecha: 12 de septiembre de 2025", "2025-09-12"),
        ("Datum: 3. März 2025", "2025-03-03"),
        ("12 februari 2025", "2025-02-12"),  # Dutch
        ("05-JAN-2017", "2017-01-05"),
        ("06/01/18 16:52", "2018-01-06"),  # two-digit year, day first
        ("2025年9月12日", "2025-09-12"),
        ("12 units, shipped 3 Oct 2024", "2024-10-03"),  # a word that is no month hides nothing
    ],
)
def test_dates_in_the_worlds_conventions(text: str, iso: str) -> None:
    assert nz.parse_date(text).value == iso


def test_two_digit_numeric_dates_count_for_the_documents_order() -> None:
    order = nz.infer_date_order(["Date 25/01/18", "Due 03/02/18"])
    assert (order.day_first, order.basis) == (True, "dates")


# --- document type ------------------------------------------------------------------------------


def test_a_title_that_starts_its_segment_names_the_type() -> None:
    pages = pages_of(
        row(0.08, (0.05, "Invoice INV/2023/03/0008")),
        row(0.20, (0.05, "Invoice Date:"), (0.30, "03/15/2023")),
        row(0.22, (0.05, "Due Date:"), (0.30, "04/14/2023")),
    )
    assert classify(pages)[0] == "commercial_invoice"


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [("RECHNUNG 2025-118", "commercial_invoice"), ("Facture", "commercial_invoice"),
     ("NON-NEGOTIABLE SEA WAYBILL", "bill_of_lading"), ("Packliste", "packing_list"),
     ("Kaufvertrag", "sales_contract")],
)  # fmt: skip
def test_titles_in_other_languages(title: str, doc_type: str) -> None:
    pages = pages_of(row(0.06, (0.05, title)), row(0.30, (0.05, "some text of the body")))
    assert classify(pages)[0] == doc_type


def test_a_caption_that_starts_with_a_title_word_is_no_title() -> None:
    pages = pages_of(row(0.06, (0.05, "Contract No.:"), (0.30, "AB-1")), row(0.3, (0.05, "hello there")))
    assert classify(pages) == (UNKNOWN, 0.0)


RECEIPT = (
    row(0.05, (0.20, "FUYI MINI MARKET SDN BHD"), conf=0.9),
    row(0.08, (0.15, "No 8, Jalan 7/118B, Kuala Lumpur"), conf=0.9),
    row(0.10, (0.20, "Tel 03-9201 6281"), conf=0.9),
    row(0.15, (0.05, "25/01/2018 16:52"), (0.50, "Slip 0020070154"), conf=0.9),
    row(0.30, (0.05, "SUB TOTAL"), (0.60, "9.43"), conf=0.9),
    row(0.32, (0.05, "GST 6%"), (0.60, "0.57"), conf=0.9),
    row(0.34, (0.05, "TOTAL RM Incl. of GST"), (0.60, "10.00"), conf=0.9),
    row(0.36, (0.05, "CASH"), (0.60, "50.00"), conf=0.9),
    row(0.38, (0.05, "CHANGE"), (0.60, "40.00"), conf=0.9),
)


def test_a_receipt_is_read_as_an_invoice_with_issuer_date_and_total() -> None:
    pages = pages_of(*RECEIPT)
    assert classify(pages)[0] == "commercial_invoice"
    fields = extract_fields(pages, "commercial_invoice")
    assert fields["seller_name"].value == "FUYI MINI MARKET SDN BHD"
    assert fields["invoice_date"].value == "2018-01-25"
    assert fields["total_amount"].value == 10.0
    # Found without a caption: below the review threshold, with the reason.
    assert fields["total_amount"].confidence < 0.6
    assert "total" in (fields["total_amount"].reason or "")


def test_total_candidates_prefer_the_grand_total_over_sub_tax_and_cash() -> None:
    layout = build_layout(pages_of(*RECEIPT))
    scored = {c.norm.value: c.score for c in cand.total_candidates(layout, set())}
    assert max(scored, key=scored.__getitem__) == 10.0
    assert scored[10.0] > scored[9.43] and 50.0 not in scored or scored[10.0] > scored[50.0]


def test_a_bare_date_caption_is_the_main_date_of_the_type() -> None:
    pages = pages_of(row(0.05, (0.05, "INVOICE")), row(0.10, (0.05, "Date:"), (0.25, "12 Sept 2025")),
                     row(0.12, (0.05, "Due Date:"), (0.25, "12 Oct 2025")))
    assert extract_fields(pages, "commercial_invoice")["invoice_date"].value == "2025-09-12"


def test_a_due_date_is_not_taken_for_the_invoice_date() -> None:
    layout = build_layout(pages_of(row(0.10, (0.05, "Payment due 12 Oct 2025")),
                                   row(0.20, (0.05, "Shop 14"), (0.40, "12 Sept 2025"))))
    top = cand.best(cand.date_candidates(layout, set()))
    assert top is not None and top.norm.value == "2025-09-12"


def test_issuer_candidates_skip_contact_and_address_lines() -> None:
    layout = build_layout(pages_of(row(0.03, (0.3, "Tel: 03-7880 5750")), row(0.05, (0.2, "POPULAR BOOK")),
                                   row(0.07, (0.2, "CO. (M) SDN BHD")), row(0.09, (0.2, "No 8, Jalan 7"))))
    top = cand.best(cand.issuer_candidates(layout), cand.ISSUER_FLOOR)
    assert top is not None and top.norm.value == "POPULAR BOOK CO. (M) SDN BHD"


def test_a_heading_that_holds_a_known_title_is_no_issuer() -> None:
    """A carrier's own wording of its form's title ("MULTIMODAL SEA WAYBILL") is the title still."""
    titles = frozenset({"SEA WAYBILL", "INVOICE"})
    assert cand.names_a_title("MULTIMODAL SEA WAYBILL", titles)
    assert not cand.names_a_title("Invoice Masters Ltd", titles)  # a name ending in its legal form
    assert not cand.names_a_title("SEAWAY LINES", titles)  # whole words only
    layout = build_layout(pages_of(row(0.03, (0.2, "MULTIMODAL SEA WAYBILL")),
                                   row(0.06, (0.2, "Pacific Crest Shipping"))))
    top = cand.best(cand.issuer_candidates(layout, titles), cand.ISSUER_FLOOR)
    assert top is None or top.norm.value != "MULTIMODAL SEA WAYBILL"


@pytest.mark.parametrize(("lines", "total"), [
    # two "Total Amount" captions: the one after the rounding is what was paid
    (("SUBTOTAL 79.60", "Total Amount : 49.60", "Rounding Adj : -0.03", "Total Amount: 57.80",
      "CASH 60.00", "CHANGE 2.20"), 57.8),
    # the total after the adjustment, not before it, nor the GST summary's row of two sums
    (("Sub-total 46.54", "Total Sales Incl GST 46.54", "Rounding Adj 0.01", "Total After Adj Incl GST 46.55",
      "CASH 100.00", "GST Summary Amount Tax", "Total 43.90 2.64"), 46.55),
])
def test_a_receipt_total_after_rounding(lines: tuple[str, ...], total: float) -> None:
    rows = [row(0.04, (0.20, "KEDAI RUNCIT ZBH SDN BHD")), row(0.08, (0.05, "Date 21/08/2017"))]
    rows += [row(0.30 + 0.02 * i, (0.05, text)) for i, text in enumerate(lines)]
    fields = extract_fields(pages_of(*rows), "commercial_invoice")
    assert fields["total_amount"].value == pytest.approx(total)


# --- the golden evaluator -----------------------------------------------------------------------


def _invoice_pdf(path: Path) -> None:
    canvas = Canvas(str(path), invariant=1)
    for y, text in ((800, "ACME TRADING GMBH"), (760, "RECHNUNG Nr. RE-2025-0042"),
                    (730, "Rechnungsdatum: 12.09.2025"), (700, "Gesamtbetrag: 1.234,56 EUR")):
        canvas.drawString(60, y, text)
    canvas.showPage()
    canvas.save()


def test_golden_folder_is_scored_per_field(tmp_path: Path) -> None:
    _invoice_pdf(tmp_path / "de_rechnung.pdf")
    truth = {"doc_type": "commercial_invoice", "fields": {
        "invoice_number": "RE-2025-0042", "invoice_date": "2025-09-12", "total_amount": 1234.56,
        "currency": "EUR", "seller_name": "Acme Trading GmbH", "buyer_name": "Nobody Ltd"}}
    (tmp_path / "de_rechnung.json").write_text(json.dumps(truth))
    (tmp_path / "orphan.pdf").write_bytes(b"%PDF-1.4")  # no truth: not part of the set
    assert [p.name for p, _ in golden_pairs(tmp_path)] == ["de_rechnung.pdf"]
    result = evaluate_golden(tmp_path)
    doc = result["documents"][0]
    assert (doc["read_type"], doc["fields_right"], doc["fields_expected"]) == ("commercial_invoice", 5, 6)
    assert set(doc["wrong"]) == {"buyer_name"}
    overall = result["kinds"]["digital"]["overall"]
    assert (overall["tp"], overall["fn"]) == (5, 1)


def test_names_compare_as_a_reader_compares_them() -> None:
    printed = "S.H.H. MOTOR (SUNGAI RENGIT) SDN. BHD."
    assert fold_name(printed) == fold_name("s.h.h. motor sungai rengit sdn bhd")
    assert fold_name("ACME") != fold_name("ACNE")


def test_a_folder_without_truth_is_an_input_error(tmp_path: Path) -> None:
    from tradeverify.errors import InputError

    with pytest.raises(InputError):
        golden_pairs(tmp_path)


# --- contracts in clauses -----------------------------------------------------------------------


def _contract(*clauses: str) -> list:
    rows = [row(0.05, (0.3, "SALES CONTRACT")), row(0.08, (0.05, "Contract No.: SPR/SC/2025/0318"))]
    y = 0.12
    for clause in clauses:
        rows.append(row(y, (0.05, clause)))
        y += 0.02
    return pages_of(*rows)


def test_terms_printed_only_in_numbered_clauses_are_read() -> None:
    pages = _contract(
        "1. COMMODITY: RBD Palm Olein IV 56 (HS code 1511.90), of Malaysian origin, free fatty acid max",
        "2. QUANTITY: 1,000 MT (one thousand metric tons), 5% more or less at the Seller's option.",
        "3. PRICE: USD 1,045.00 (US dollars one thousand forty-five) per metric ton CFR Jebel"
        " Ali, Incoterms 2020.",
        "4. SHIPMENT: The Seller shall ship the goods from Port Klang, Malaysia to Jebel Ali, United Arab",
        "Emirates not later than 12 Sept 2025. Partial shipments and transhipment are not allowed here.",
        "5. PAYMENT: 100% by irrevocable documentary letter of credit payable at sight. The L/C shall be",
    )
    fields = extract_fields(pages, "sales_contract")
    got = {k: v.value for k, v in fields.items()}
    assert got | {"contract_number": None} == {
        "contract_number": None, "goods_description": "RBD Palm Olein IV 56", "hs_code": "151190",
        "quantity": 1000.0, "unit": "MT", "unit_price": 1045.0, "currency": "USD", "incoterms": "CFR",
        "port_of_discharge": "AEJEA", "port_of_loading": "MYPKG", "latest_shipment_date": "2025-09-12",
        "payment_terms": "100% by irrevocable documentary letter of credit payable at sight",
    }  # fmt: skip
    assert fields["unit_price"].confidence < 1.0
    assert fields["unit_price"].reason == "read from the contract's clause"


def test_clauses_in_other_languages_and_numberings() -> None:
    pages = _contract(
        "PRIMERA. Objeto. Vino tinto Cabernet Sauvignon Reserva 2023, D.O. Valle del Maipo, en botellas",
        "SEGUNDA. Cantidad. 2.400 CTNS (cajas de 12 botellas de vino tinto de la bodega del Vendedor).",
        "TERCERA. Precio. USD 38,50 por caja, CIF Manzanillo (México), Incoterms 2020. Importe"
        " total: USD 92.400,00.",
        "§ 4 Lieferung. Verladung ab Hamburg nach Koper bis spätestens 31.10.2025."
        " Teilverladungen sind zulässig.",
    )
    got = {k: v.value for k, v in extract_fields(pages, "sales_contract").items()}
    assert got["quantity"] == 2400.0 and got["unit"] == "CTNS"
    assert (got["unit_price"], got["total_amount"], got["incoterms"]) == (38.5, 92400.0, "CIF")
    assert got["port_of_discharge"] == "MXZLO"  # the named place of the C rule, before the route's
    assert (got["port_of_loading"], got["latest_shipment_date"]) == ("DEHAM", "2025-10-31")


def test_a_telex_recap_with_aligned_colons_reads_its_terms() -> None:
    lines = [("1. PRODUCT", "ULTRA LOW SULPHUR DIESEL 10 PPM (EN 590)"),
             ("2. QUANTITY", "300,000 BBL +/- 5 PCT"), ("3. PRICE", "USD 96.15 PER BBL, FIXED"),
             ("4. INSPECTION", "AT LOADPORT, COSTS 50/50"),
             ("5. LAYCAN", "20-25 OCT 2025. VESSEL TO COMPLETE LOADING NOT LATER THAN 25 OCT 2025"),
             ("6. PAYMENT", "100 PCT BY IRREVOCABLE STANDBY LETTER OF CREDIT, 30 DAYS AFTER B/L")]
    rows = [row(0.05, (0.3, "CONTRACT CONFIRMATION / DEAL RECAP"))]
    for i, (heading, value) in enumerate(lines):
        rows.append(row(0.10 + 0.03 * i, (0.05, heading), (0.20, ":"), (0.23, value)))
    rows.append(row(0.10 + 0.03 * 5 + 0.013, (0.23, "DATE")))  # the payment term wraps under its text
    rows.append(row(0.40, (0.05, "ALL OTHER TERMS AS PER GTC 2015 EDITION. PLEASE CONFIRM BY RETURN.")))
    got = {k: v.value for k, v in extract_fields(pages_of(*rows), "sales_contract").items()}
    assert (got["goods_description"], got["quantity"], got["unit"]) == (
        "ULTRA LOW SULPHUR DIESEL 10 PPM", 300000.0, "BBL")
    assert (got["unit_price"], got["currency"], got["latest_shipment_date"]) == (96.15, "USD", "2025-10-25")
    # the payment clause ends at its wrapped line, not in the paragraph after it
    assert got["payment_terms"] == "100 PCT BY IRREVOCABLE STANDBY LETTER OF CREDIT, 30 DAYS AFTER B/L DATE"


def test_a_clause_without_a_known_heading_gives_nothing() -> None:
    pages = _contract(
        "9. ARBITRATION: Any dispute shall be settled by arbitration in Singapore under SIAC Rules.",
        "This Contract is governed by the laws of Malaysia and the parties agree on that forever.",
    )
    got = {k: v.value for k, v in extract_fields(pages, "sales_contract").items()}
    assert set(got) == {"contract_number"}


# --- carriers' paperwork -------------------------------------------------------------------------


def test_vessel_and_voyage_under_one_caption_without_a_separator() -> None:
    pages = pages_of(row(0.10, (0.05, "Ocean Vessel Voy. No."), (0.40, "Port of Loading")),
                     row(0.12, (0.05, "GLOBAL VOYAGER V-202"), (0.40, "HAMBURG")))
    fields = extract_fields(pages, "bill_of_lading")
    assert (fields["vessel_name"].value, fields["voyage_number"].value) == ("GLOBAL VOYAGER", "V-202")


def test_a_caption_beside_a_reference_caption_is_not_its_value() -> None:
    pages = pages_of(row(0.10, (0.05, "B/L No."), (0.30, "Export References")),
                     row(0.12, (0.05, "NCLHAM2209314"), (0.30, "EPF-7781")))
    assert extract_fields(pages, "bill_of_lading")["bl_number"].value == "NCLHAM2209314"


def test_the_carrier_a_bl_is_signed_for() -> None:
    pages = pages_of(row(0.10, (0.05, "B/L No.: NCLHAM2209314")),
                     row(0.80, (0.05, "Signed for the Carrier NORDSEE CONTAINER LINIE GmbH")))
    fields = extract_fields(pages, "bill_of_lading")
    assert fields["carrier_name"].value == "NORDSEE CONTAINER LINIE GmbH"
    assert fields["carrier_name"].confidence < 0.6


@pytest.mark.parametrize(("printed", "name"), [("AEGEAN MERCHANT (IMO 9317420)", "AEGEAN MERCHANT"),
                                               ("M/V CORAL SEA SPIRIT", "CORAL SEA SPIRIT")])
def test_vessel_names_lose_prefix_and_imo(printed: str, name: str) -> None:
    assert nz.parse_vessel(printed).value == name


@pytest.mark.parametrize(("title", "number"), [("Invoice INV/2023/03/0008", "INV/2023/03/0008"),
                                               ("COMMERCIAL INVOICE NO. LGM-INV-25-0611", "LGM-INV-25-0611")])
def test_the_reference_printed_after_the_title(title: str, number: str) -> None:
    pages = pages_of(row(0.05, (0.05, title)), row(0.10, (0.05, "Invoice Date:"), (0.3, "12 Sept 2025")))
    fields = extract_fields(pages, "commercial_invoice")
    assert fields["invoice_number"].value == number and fields["invoice_number"].confidence < 1.0


def test_incoterms_and_port_from_a_line_without_caption() -> None:
    pages = pages_of(row(0.05, (0.05, "INVOICE")), row(0.10, (0.05, "Invoice No.: X-1")),
                     row(0.20, (0.05, "Kampala, Uganda"), (0.5, "CIF Mombasa, Kenya, Incoterms 2020")),
                     row(0.30, (0.05, "CIF B23847116")))  # a Spanish tax number, no rule
    fields = extract_fields(pages, "commercial_invoice")
    assert (fields["incoterms"].value, fields["port_of_discharge"].value) == ("CIF", "KEMBA")


def test_chinese_glued_to_an_english_caption_is_split_on_the_text_layer() -> None:
    from tradeverify.domain import Word
    from tradeverify.ingest.cjk import split_scripts

    pieces = split_scripts(Word("发票号Invoice", 0.1, 0.1, 0.5, 0.12, 1))
    assert [w.text for w in pieces] == ["发票号", "Invoice"]
    assert pieces[0].x1 == pieces[1].x0 and pieces[1].x1 == 0.5
    assert [w.text for w in split_scripts(Word("HS编码", 0.1, 0.1, 0.5, 0.12, 1))] == ["HS编码"]


def test_a_contract_in_two_language_columns_reads_its_english_clauses() -> None:
    pages = pages_of(
        row(0.05, (0.3, "SALES CONTRACT")),
        row(0.08, (0.05, "Seller 卖方:"), (0.3, "ZHEJIANG QIANTANG TEXTILES CO., LTD.")),
        row(0.20, (0.05, "2. Quantity:60,000 YDS, 3% more or less."), (0.55, "2. 数量：60,000 码。")),
        row(0.22, (0.05, "3. Unit price:USD 2.35 per yard FOB Shanghai,"), (0.55, "3. 单价：每码 2.35 美元")),
    )
    got = {k: v.value for k, v in extract_fields(pages, "sales_contract").items()}
    assert got["seller_name"] == "ZHEJIANG QIANTANG TEXTILES CO., LTD."
    assert (got["quantity"], got["unit"]) == (60000.0, "YDS")
    assert (got["unit_price"], got["incoterms"]) == (2.35, "FOB")
    assert got["port_of_loading"] == "CNSHA"


def test_a_receipts_total_caption_or_phone_line_is_no_goods() -> None:
    from tradeverify.extract.fallback import _names_goods

    assert [_names_goods(t) for t in ("GRAND TOTAL", "Item", "6,00", "Tel:07-8263254Fax:07-8266888", "SR")] \
        == [False] * 5
    assert _names_goods("Copper cathodes Grade A") and _names_goods("Chicken Curry Puff")
