"""Carrier paperwork as printed outside the generator: stamps, bilingual and slashed captions."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.unit.test_layout import CW, pages_of, row, value_of
from tradeverify.domain import Word
from tradeverify.extract.fields import extract_fields
from tradeverify.extract.labels import line_labels
from tradeverify.extract.layout import soft_wrapped
from tradeverify.extract.lines import group_lines
from tradeverify.extract.normalize import parse_party
from tradeverify.ingest.readers import read_pages


def _stamped_bl(path: Path, angle: float) -> Path:
    """Write a one-page B/L whose on-board date is only in a stamp tilted by ``angle`` degrees."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(60, 780, "BILL OF LADING")
    canvas.drawString(60, 750, "Shipper")
    canvas.drawString(60, 736, "Elbtal Papierfabrik GmbH")
    canvas.drawString(320, 750, "B/L No.")
    canvas.drawString(320, 736, "NCLHAM2209314")
    canvas.drawString(60, 700, "Place and date of issue")
    canvas.drawString(60, 686, "HAMBURG 01.10.2022")
    canvas.saveState()
    canvas.translate(120, 560)
    canvas.rotate(angle)
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(0, 16, "SHIPPED ON BOARD")
    canvas.drawString(20, 0, "30. SEP. 2022")
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize("angle", [9.0, -12.0])
def test_a_tilted_stamp_reads_as_level_lines(tmp_path: Path, angle: float) -> None:
    pages, _ = read_pages(_stamped_bl(tmp_path / "bl.pdf", angle))
    texts = [line.text for line in group_lines(pages[0].words)]
    assert "SHIPPED ON BOARD" in texts
    assert "30. SEP. 2022" in texts
    fields = extract_fields(pages, "bill_of_lading")
    assert fields["shipped_on_board_date"].value == "2022-09-30"
    assert fields["issue_date"].value == "2022-10-01"


def test_level_text_is_read_as_before(tmp_path: Path) -> None:
    pages, _ = read_pages(_stamped_bl(tmp_path / "bl.pdf", 0.0))
    texts = [line.text for line in group_lines(pages[0].words)]
    assert "SHIPPED ON BOARD" in texts and "30. SEP. 2022" in texts


def test_a_stamp_caption_over_its_own_date_caption() -> None:
    pages = pages_of(row(0.60, (0.20, "SHIPPED ON BOARD")), row(0.62, (0.21, "DATE: 2025.09.30")))
    assert extract_fields(pages, "bill_of_lading")["shipped_on_board_date"].value == "2025-09-30"


def test_a_chinese_caption_before_the_english_one() -> None:
    pages = pages_of(
        row(0.30, (0.05, "船名航次 Vessel & Voy. No."), (0.40, "装货港 Port of Loading")),
        row(0.32, (0.05, "DONGHAI EXPLORER 2409E"), (0.40, "QINGDAO, CHINA")),
        row(0.50, (0.05, "签发地点和日期 Place and Date of Issue")),
        row(0.52, (0.05, "QINGDAO, 2025-10-01")),
    )
    fields = extract_fields(pages, "bill_of_lading")
    assert (fields["vessel_name"].value, fields["voyage_number"].value) == ("DONGHAI EXPLORER", "2409E")
    assert fields["issue_date"].value == "2025-10-01"


def test_a_caption_after_its_translation_and_a_slash() -> None:
    pages = pages_of(row(0.40, (0.05, "Total de bultos / Total packages: 1,920 cajas")),
                     row(0.45, (0.05, "Pallets: 20 (96 cajas por pallet)")))
    assert extract_fields(pages, "packing_list")["number_of_packages"].value == 1920
    # words with figures before the slash are a value, not the caption's translation
    value = group_lines(row(0.40, (0.05, "GALIL / HAIFA 54 / Packages: 12")))[0]
    assert [hit.field for hit in line_labels(value, 0)] == []


def test_a_caption_written_with_slashes_and_no_spaces() -> None:
    pages = pages_of(row(0.05, (0.05, "SHIPPER/EXPORTER")), row(0.07, (0.05, "Gulf Coast Polymers LLC")),
                     row(0.30, (0.05, "EXPORTING CARRIER (VESSEL/VOYAGE)")),
                     row(0.32, (0.05, "BRAZOS TRADER / 037S")))
    fields = extract_fields(pages, "bill_of_lading")
    assert fields["shipper_name"].value == "Gulf Coast Polymers LLC"
    assert (fields["vessel_name"].value, fields["voyage_number"].value) == ("BRAZOS TRADER", "037S")


def test_a_small_caption_over_its_value_is_its_own_line() -> None:
    # A tall title beside both overlaps the caption and its value vertically.
    caption = Word("Shipper", 0.07, 0.051, 0.12, 0.059, 1)
    value = [Word(t, x, 0.062, x + 0.045, 0.072, 1) for t, x in (("Pampas", 0.077), ("S.A.", 0.13))]
    title = [Word(t, x, 0.054, x + 0.06, 0.073, 1) for t, x in (("BILL", 0.52), ("OF", 0.59))]
    lines = group_lines([caption, *title, *value])
    assert [line.text for line in lines] == ["Shipper BILL OF", "Pampas S.A."]
    fields = extract_fields(pages_of([caption, *title, *value]), "bill_of_lading")
    assert fields["shipper_name"].value == "Pampas S.A."


def test_ocr_words_of_one_line_may_overlap() -> None:
    words = [Word("Seal", 0.10, 0.30, 0.14, 0.31, 1, 0.9), Word("/", 0.135, 0.30, 0.145, 0.31, 1, 0.9)]
    assert [line.text for line in group_lines(words)] == ["Seal /"]


def test_a_description_broken_before_the_next_column_ends_there() -> None:
    first = tuple(row(0.40, (0.40, "Porcelain stoneware floor tiles")))
    rows = [tuple(row(0.42, (0.40, "Rectified 60x60 cm, 1,382.4 sqm")))]
    # Judged by the lines alone the first looks full; the next column starts far to its right.
    assert soft_wrapped(first, rows, CW) == rows
    assert soft_wrapped(first, rows, CW, column_end=0.40 + 45 * CW) == []


def test_capital_lines_stack_the_goods_over_their_packing() -> None:
    first = tuple(row(0.40, (0.40, "BLEACHED SOFTWOOD KRAFT PULP")))
    packing = [tuple(row(0.42, (0.40, "IN BALES OF ABOUT 250 KG"))), tuple(row(0.44, (0.40, "HS 4703.21")))]
    # Measured alone the first line looks full, but a capital line ending on a whole word ended.
    assert soft_wrapped(first, packing, CW) == []
    # One left open by a comma or a joining word goes on.
    for opened in ("ARGENTINE SOYBEAN MEAL, HIPRO,", "NATURAL RUBBER IN BALES OF"):
        head = tuple(row(0.40, (0.40, opened)))
        rest = [tuple(row(0.42, (0.40, "IN BULK")))]
        assert soft_wrapped(head, rest, CW) == rest
    # Chinese has no case: its lines are measured, not stacked.
    han = tuple(row(0.40, (0.40, "不锈钢合页不锈钢合页不锈钢合页 304")))
    assert soft_wrapped(han, [tuple(row(0.42, (0.40, "海关编码")))], CW) != []


def test_an_invoices_goods_are_the_first_line_of_its_items_description() -> None:
    pages = pages_of(
        row(0.30, (0.05, "Marks"), (0.25, "Description"), (0.60, "Qty"), (0.75, "Unit Price"),
            (0.88, "Amount")),
        row(0.32, (0.05, "PRTC"), (0.25, "HYDRAULIC POWER CHUCK, 10 INCH"), (0.60, "120"), (0.75, "36,300"),
            (0.88, "4,356,000")),
        row(0.34, (0.25, "MODEL HP-10A, THROUGH-HOLE 81 MM")),
        row(0.36, (0.25, "HS CODE 8466.20")),
    )
    fields = extract_fields(pages, "commercial_invoice")
    assert fields["goods_description"].value == "HYDRAULIC POWER CHUCK, 10 INCH"
    assert fields["line_items"].value[0]["description"] == (
        "HYDRAULIC POWER CHUCK, 10 INCH MODEL HP-10A, THROUGH-HOLE 81 MM HS CODE 8466.20")
    # a description wrapped because the next word did not fit before the next column goes on
    wrapped = pages_of(
        row(0.30, (0.05, "Description"), (0.30, "Qty"), (0.45, "Unit Price"), (0.80, "Amount")),
        row(0.32, (0.05, "Refined copper cathodes"), (0.30, "25"), (0.45, "9,081.12"), (0.80, "227,028.00")),
        row(0.34, (0.05, "Grade A")),
    )
    assert extract_fields(wrapped, "commercial_invoice")["goods_description"].value == (
        "Refined copper cathodes Grade A")


def test_a_sentence_going_on_in_lower_case_was_wrapped() -> None:
    first = tuple(row(0.40, (0.40, "Polyethylene LLDPE granules")))
    rows = [tuple(row(0.42, (0.40, "density under 0.94")))]
    assert soft_wrapped(first, rows, CW, column_end=0.40 + 45 * CW) == rows


def test_a_particulars_header_set_off_by_a_blank_line() -> None:
    pages = pages_of(
        row(0.30, (0.05, "Marks and Numbers"), (0.27, "No. of Packages"), (0.45, "Description of Goods"),
            (0.75, "Gross Weight")),
        # two and a half line heights under the header: too far for a lone caption's value
        row(0.336, (0.05, "PDP"), (0.27, "60 REELS"), (0.45, "KRAFTLINER BOARD IN REELS"),
            (0.73, "58,420.000 KGS")),
    )
    fields = extract_fields(pages, "bill_of_lading")
    assert fields["goods_description"].value == "KRAFTLINER BOARD IN REELS"
    assert fields["gross_weight_kg"].value == pytest.approx(58420.0)
    lone = pages_of(row(0.30, (0.45, "Description of Goods")), row(0.336, (0.45, "KRAFTLINER BOARD")))
    assert value_of(lone, "goods_description") is None


def test_a_to_order_consignee_keeps_its_wording() -> None:
    assert parse_party("TO THE ORDER OF JAMUNA COMMERCIAL BANK LTD.").value == (
        "TO THE ORDER OF JAMUNA COMMERCIAL BANK LTD.")
    assert parse_party("GC Gulf Crescent Trading LLC").value == "Gulf Crescent Trading LLC"


def test_a_receipt_counter_before_a_name_is_no_part_of_it() -> None:
    assert parse_party("#000002 BAIFU (M) Sdn Bhd").value == "BAIFU (M) Sdn Bhd"
    assert parse_party("Kedai #2 Runcit").value == "Kedai #2 Runcit"  # only a leading counter


def test_an_unnamed_column_stays_out_of_the_description() -> None:
    pages = pages_of(
        row(0.30, (0.05, "S.No"), (0.10, "Part No."), (0.25, "Description"), (0.60, "Qty"), (0.68, "Unit"),
            (0.75, "Unit Price"), (0.88, "Amount")),
        row(0.32, (0.05, "1"), (0.10, "GC-4472"), (0.25, "Oil filter element"), (0.60, "40"), (0.68, "PCS"),
            (0.75, "58.74"), (0.88, "2,349.60")),
        row(0.34, (0.05, "2"), (0.10, "GC-4793"), (0.25, "Air filter, primary"), (0.60, "200"), (0.68, "PCS"),
            (0.75, "31.29"), (0.88, "6,258.00")),
        # a line of marks beside the description's second line continues the row above
        row(0.36, (0.10, "C/NO. 1-12"), (0.25, "HS CODE 8421.23")),
    )
    items = extract_fields(pages, "commercial_invoice")["line_items"].value
    assert [i["description"] for i in items] == ["Oil filter element", "Air filter, primary HS CODE 8421.23"]
    assert [i["hs_code"] for i in items] == [None, "842123"]
    assert [i["amount"] for i in items] == [2349.6, 6258.0]


def test_a_reference_on_the_line_under_the_title() -> None:
    pages = pages_of(row(0.05, (0.40, "KAUFVERTRAG")), row(0.07, (0.42, "Nr. HMH-KV-2025-077")),
                     row(0.10, (0.30, "zwischen Hanseatische Metallhandel GmbH")))
    assert extract_fields(pages, "sales_contract")["contract_number"].value == "HMH-KV-2025-077"
    # a line under the title without a number word is no reference
    plain = pages_of(row(0.05, (0.40, "KAUFVERTRAG")), row(0.07, (0.42, "zwischen HMH-KV-2025-077")))
    assert "contract_number" not in extract_fields(plain, "sales_contract")


def test_the_contract_date_quoted_on_an_invoice_is_not_its_date() -> None:
    pages = pages_of(
        row(0.05, (0.05, "COMMERCIAL INVOICE NO. LGM-INV-25-0611")),
        row(0.07, (0.05, "GENEVA, 12 SEPT 2025")),
        row(0.10, (0.05, "CONTRACT   :"), (0.20, "LGM/25/117 DATED 04 JUL 2025")),
    )
    assert extract_fields(pages, "commercial_invoice")["invoice_date"].value == "2025-09-12"


def test_a_one_word_caption_with_its_colon_after_a_value_on_the_same_line() -> None:
    # two character widths apart: closer than the gap that separates columns
    pages = pages_of(row(0.10, (0.05, "Vessel: GLOBAL VOYAGER"), (0.28, "Voyage: V-202")))
    fields = extract_fields(pages, "bill_of_lading")
    assert (fields["vessel_name"].value, fields["voyage_number"].value) == ("GLOBAL VOYAGER", "V-202")


def _item_rows(y: float, page: int, *items: tuple[str, str, str]) -> list[list[Word]]:
    return [row(y + 0.02 * i, (0.05, str(n)), (0.25, desc), (0.60, qty), (0.68, "PCS"), (0.75, "1.00"),
                (0.88, qty), page=page) for i, (n, desc, qty) in enumerate(items)]


def test_items_go_on_under_the_next_pages_repeated_header() -> None:
    header = ((0.05, "S.No"), (0.25, "Description"), (0.60, "Qty"), (0.68, "Unit"), (0.75, "Unit Price"),
              (0.88, "Amount"))
    pages = pages_of(
        row(0.05, (0.05, "GC Gulf Crescent General Trading LLC"), (0.70, "COMMERCIAL INVOICE")),
        row(0.30, *header),
        *_item_rows(0.32, 1, ("1", "Oil filter element", "40"), ("2", "Air filter, primary", "200")),
        row(0.40, (0.05, "Continued on page 2")),
        # page 2: the letterhead again (its tax number is no quantity), then the header
        row(0.05, (0.05, "GC Gulf Crescent General Trading LLC"), (0.70, "COMMERCIAL INVOICE"), page=2),
        row(0.07, (0.05, "Al Maktoum Road, Dubai - TRN 100384572900003"), (0.80, "Page 2 of 2"), page=2),
        row(0.20, *header, page=2),
        *_item_rows(0.22, 2, ("3", "Hub seal", "50")),
        row(0.30, (0.60, "Freight & insurance"), (0.88, "3,850.00"), page=2),
    )
    items = extract_fields(pages, "commercial_invoice")["line_items"].value
    assert [(i["description"], i["quantity"]) for i in items] == [
        ("Oil filter element", 40.0), ("Air filter, primary", 200.0), ("Hub seal", 50.0)]


def test_goods_set_far_under_their_caption_are_read_past_no_caption() -> None:
    pages = pages_of(
        row(0.314, (0.08, "Shipper's description of goods"), (0.85, "Gross weight")),
        row(0.347, (0.08, "ARGENTINE SOYBEAN MEAL, HIPRO, IN BULK"), (0.72, "52,500.000 METRIC TONS")),
        row(0.364, (0.08, "CROP 2025, PROTEIN MIN 46.5%")),
    )
    assert extract_fields(pages, "bill_of_lading")["goods_description"].value == (
        "ARGENTINE SOYBEAN MEAL, HIPRO, IN BULK")
    # a caption line under the caption is no goods
    captions = pages_of(row(0.314, (0.08, "Description of goods")), row(0.347, (0.08, "Gross weight")))
    assert "goods_description" not in extract_fields(captions, "bill_of_lading")
