"""Generic readings added for layouts outside the generator, on hand-made word lists."""

from __future__ import annotations

import pytest

from tests.unit.test_layout import pages_of, row, value_of
from tradeverify.extract import normalize as nz
from tradeverify.extract.classify import classify, spaced_title
from tradeverify.extract.fields import extract_fields
from tradeverify.extract.layout import build_layout


def test_box_number_and_bracketed_remark_belong_to_the_caption() -> None:
    pages = pages_of(
        row(0.10, (0.05, "1 Shipper (complete name and address)"), (0.55, "5 B/L No.")),
        row(0.12, (0.05, "TAMARIND BAY MINING PTY LTD"), (0.55, "BACLFRE2504417")),
    )
    assert value_of(pages, "shipper_name") == "TAMARIND BAY MINING PTY LTD"
    assert value_of(pages, "bl_number") == "BACLFRE2504417"


def test_compound_caption_splits_its_value() -> None:
    pages = pages_of(row(0.10, (0.05, "Vessel / Voy.:"), (0.30, "ASIAN TRIDENT / 087W")))
    fields = extract_fields(pages, "bill_of_lading")
    assert (fields["vessel_name"].value, fields["voyage_number"].value) == ("ASIAN TRIDENT", "087W")


@pytest.mark.parametrize(("captions", "values", "vessel", "voyage"), [
    # side by side in two columns, no separator: split where each caption starts
    (((0.05, "Vessel"), (0.36, "Voyage No."), (0.65, "Port of Loading")),
     ((0.05, "ANDES REEFER"), (0.36, "538N"), (0.65, "SAN ANTONIO, CHILE")), "ANDES REEFER", "538N"),
    # the voyage's caption runs on from the vessel's; the value carries the separator
    (((0.05, "Vessel Voy. No."), (0.36, "Port of Loading")),
     ((0.05, "VEMBANAD / 0925W"), (0.36, "COCHIN, INDIA")), "VEMBANAD", "0925W"),
    # one caption for both; the voyage is told by its shape
    (((0.05, "Vessel and Voyage"),), ((0.05, "MARE NOSTRUM EXPRESS V-318E"),),
     "MARE NOSTRUM EXPRESS", "V-318E"),
])
def test_vessel_and_voyage_captions_without_a_separator(captions: tuple, values: tuple, vessel: str,
                                                         voyage: str) -> None:
    fields = extract_fields(pages_of(row(0.10, *captions), row(0.12, *values)), "bill_of_lading")
    assert (fields["vessel_name"].value, fields["voyage_number"].value) == (vessel, voyage)


def test_dotted_leader_ends_a_caption() -> None:
    pages = pages_of(row(0.10, (0.05, "Commodity ..........."), (0.30, "Uruguayan soybeans in bulk")))
    assert value_of(pages, "goods_description") == "Uruguayan soybeans in bulk"


def test_total_row_closes_a_column_of_per_container_rows() -> None:
    pages = pages_of(
        row(0.10, (0.05, "Cont. No."), (0.30, "Bales"), (0.45, "Gross Wt. (kg)")),
        row(0.12, (0.05, "ZCSU 733860 1"), (0.30, "44"), (0.45, "21,560.000")),
        row(0.14, (0.05, "ZCSU 733912 5"), (0.30, "40"), (0.45, "19,600.000")),
        row(0.16, (0.05, "TOTAL"), (0.30, "84"), (0.45, "41,160.000")),
    )
    fields = extract_fields(pages, "packing_list")
    assert fields["container_numbers"].value == ["ZCSU7338601", "ZCSU7339125"]
    assert fields["number_of_packages"].value == 84
    assert fields["gross_weight_kg"].value == pytest.approx(41160.0)


def test_weight_unit_named_in_the_caption() -> None:
    pages = pages_of(row(0.10, (0.05, "GROSS WEIGHT (METRIC TONS)"), (0.40, "35,012.450")))
    assert extract_fields(pages, "bill_of_lading")["gross_weight_kg"].value == pytest.approx(35012450.0)


def test_decimal_comma_is_a_document_convention() -> None:
    assert nz.infer_decimal_comma(["Total 1.627.080,00", "218,400 MT"])
    assert not nz.infer_decimal_comma(["Total 1,130,600.00", "218,400 MT"])
    assert not nz.infer_decimal_comma(["HS 1509.20", "218,400 MT"])  # no grouped decimals: no evidence
    assert nz.parse_quantity("218,400 MT", decimal_comma=True).value == (218.4, "MT")
    assert nz.parse_amount("218,400").value == 218400.0


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Karnaphuli Edible Oils Ltd., Plot 7, Chattogram,", "Karnaphuli Edible Oils Ltd."),
        ("Brightwater Agri Commodities SA, Rue du Rhone 14", "Brightwater Agri Commodities SA"),
        ("Qingdao Huaxin Metals Co., Ltd.", "Qingdao Huaxin Metals Co., Ltd."),
        ("Baltic Knitwear GmbH & Co. KG, Hamburg", "Baltic Knitwear GmbH & Co. KG"),
        ("Zenith Resources Pte. Ltd.", "Zenith Resources Pte. Ltd."),
    ],
)
def test_party_name_ends_at_its_legal_form(printed: str, name: str) -> None:
    assert nz.parse_party(printed).value == name


@pytest.mark.parametrize("printed", ["MT CORAL SEA SPIRIT", "M/V CORAL SEA SPIRIT", "M.V. CORAL SEA SPIRIT"])
def test_vessel_type_prefix_is_dropped(printed: str) -> None:
    assert nz.parse_vessel(printed).value == "CORAL SEA SPIRIT"


def test_a_letter_spaced_title_names_the_type() -> None:
    # consignee, carrier and containers alone would make this packing list a B/L
    pages = pages_of(
        row(0.05, (0.30, "P A C K I N G"), (0.52, "L I S T")),
        row(0.10, (0.05, "CONSIGNEE :"), (0.25, "KOREA ANODE MATERIALS CO LTD")),
        row(0.12, (0.05, "CARRIER :"), (0.25, "PACIFIC LINES")),
        row(0.14, (0.05, "CONTAINER :"), (0.25, "ZCSU7338601")),
    )
    assert classify(pages)[0] == "packing_list"
    assert spaced_title(row(0.05, (0.30, "I N V O I C E")))[0] == "commercial_invoice"
    assert spaced_title(row(0.05, (0.30, "A B C D E"))) is None  # letters that spell no title
    assert spaced_title(row(0.05, (0.30, "B / L"))) is None  # too short to be letter-spacing


def test_a_till_slip_with_a_net_amount_and_a_clock_time_is_an_invoice() -> None:
    pages = pages_of(
        row(0.05, (0.20, "PANDAH INDAH RESTAURANT")),
        row(0.10, (0.05, "Date :30-04-201819:50:14")),  # OCR lost the space before the time
        row(0.20, (0.05, "Gross Amt: 47.80")),
        row(0.22, (0.05, "Net Amt : 53.55")),
    )
    assert classify(pages)[0] == "commercial_invoice"
    fields = extract_fields(pages, "commercial_invoice")
    assert fields["invoice_date"].value == "2018-04-30"
    assert fields["total_amount"].value == pytest.approx(53.55)


def test_an_ocr_title_with_a_misread_letter_still_names_the_type() -> None:
    captions = (row(0.10, (0.05, "CONSIGNEE :"), (0.25, "KOREA ANODE MATERIALS CO LTD"), conf=0.9),
                row(0.12, (0.05, "CARRIER :"), (0.25, "PACIFIC LINES"), conf=0.9))
    assert classify(pages_of(row(0.05, (0.30, "PACKING LIstT"), conf=0.9), *captions))[0] == "packing_list"
    # a text layer is not misread: the same letters there are no title
    assert classify(pages_of(row(0.05, (0.30, "PACKING LIstT")), *captions))[0] != "packing_list"


def test_goods_end_at_the_first_line_broken_on_purpose() -> None:
    """The product line, then its specification: the line under it would have fitted after it."""
    pages = pages_of(
        row(0.10, (0.05, "Description of Goods"), (0.60, "Gross Weight")),
        row(0.12, (0.05, "ROMANIAN MILLING WHEAT, CROP 2025"), (0.60, "25,300 KGS")),
        row(0.14, (0.05, "PROTEIN MIN 12.5 PCT, MOISTURE MAX 13.5 PCT")),
        row(0.16, (0.05, "TEST WEIGHT MIN 78 KG/HL")),
    )
    fields = extract_fields(pages, "bill_of_lading")
    assert fields["goods_description"].value == "ROMANIAN MILLING WHEAT, CROP 2025"


def test_goods_wrapped_by_a_narrow_column_are_read_whole() -> None:
    """Each line ends where the next word would not have fitted: one description."""
    pages = pages_of(
        row(0.10, (0.05, "Description of Goods"), (0.40, "Gross Weight")),
        row(0.12, (0.05, "Refined bleached deodorized palm"), (0.40, "25,300 KGS")),
        row(0.14, (0.05, "olein in flexitanks")),
    )
    fields = extract_fields(pages, "bill_of_lading")
    assert fields["goods_description"].value == "Refined bleached deodorized palm olein in flexitanks"


@pytest.mark.parametrize(("lines", "name"), [
    (("Shenzhen Lumen Resources Co.,", "Ltd.", "88 Binhe Road, Futian"),
     "Shenzhen Lumen Resources Co., Ltd."),
    (("Shenzhen Baosheng", "Commodities Co., Ltd.", "88 Binhe Road, Futian"),
     "Shenzhen Baosheng Commodities Co., Ltd."),
    # a complete name keeps to its line: the next one is its address
    (("Cedar Metals Ltd.", "Harbour Works Ltd.", "12 Quay Street"), "Cedar Metals Ltd."),
])
def test_a_party_name_wrapped_in_its_column_is_joined(lines: tuple[str, ...], name: str) -> None:
    pages = pages_of(row(0.10, (0.05, "Buyer:"), (0.20, lines[0])),
                     *(row(0.12 + 0.02 * i, (0.20, text)) for i, text in enumerate(lines[1:])))
    assert extract_fields(pages, "sales_contract")["buyer_name"].value == name


@pytest.mark.parametrize(("caption", "field"), [
    ("Detailed Description:", "goods_description"),  # the head word last, after its qualifier
    ("Désignation du produit:", "goods_description"),  # the head word first, before a joining word
    ("Produktbeschreibung:", "goods_description"),  # the head word ends a compound
    ("Performing Carrier:", "carrier_name"),
])
def test_an_unknown_caption_is_read_by_its_head_word(caption: str, field: str) -> None:
    pages = pages_of(row(0.10, (0.05, caption), (0.40, "Bluefin Ocean Lines")))
    assert value_of(pages, field) == "Bluefin Ocean Lines"


@pytest.mark.parametrize("caption", [
    "Dangerous Goods:",  # a short head after a qualifier: what kind of goods, not their description
    "Valeur des marchandises:",  # the head word is 'value'
    "Description des",  # a caption wrapping on to the next line
])
def test_a_caption_whose_head_names_no_field_is_none(caption: str) -> None:
    pages = pages_of(row(0.10, (0.05, caption), (0.40, "No")))
    assert value_of(pages, "goods_description") is None


def test_a_header_of_unknown_captions_reads_the_value_under_its_own() -> None:
    """Beside a caption without its colon stands the next caption of the row, unknown or not."""
    pages = pages_of(
        row(0.10, (0.05, "Detailed Description"), (0.40, "Valor Unitario"), (0.70, "Cantidad")),
        row(0.12, (0.05, "Bleached softwood kraft pulp"), (0.40, "565,54"), (0.70, "692,308 MT")),
    )
    assert value_of(pages, "goods_description") == "Bleached softwood kraft pulp"


def test_an_unknown_caption_ending_at_its_colon_bounds_the_columns_and_the_wrapped_value() -> None:
    pages = pages_of(
        row(0.10, (0.05, "Goods:"), (0.30, "Soya beans not for sowing")),
        row(0.12, (0.05, "Invoice Serial Code:"), (0.30, "INV25620142")),
        row(0.20, (0.05, "Goods:"), (0.40, "Routing Notes:")),
        row(0.22, (0.05, "Hot-rolled steel coils"), (0.40, "via Singapore")),
    )
    values = build_layout(pages).values("goods_description", multiline=True)
    assert [v.text for v in values] == ["Soya beans not for sowing", "Hot-rolled steel coils"]
