"""Rendering of DocSpecs to PDFs (layouts A and B) and their scanned variants (C-F: test_render_layouts)."""

from __future__ import annotations

import random
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber
import pytesseract
import pytest
from PIL import Image

from tradeverify.extract.vocab import label_for
from tradeverify_train.synth.docspec import DocSpec, Party, PortInfo
from tradeverify_train.synth.formats import (
    format_amount,
    format_container,
    format_count,
    format_date,
    format_price,
    format_quantity,
    format_weight,
)
from tradeverify_train.synth.render import render_pdf
from tradeverify_train.synth.scan import draw_params, scan_document

PARTIES = {
    "Helios Metals Trading Pte. Ltd.": Party(
        "Helios Metals Trading Pte. Ltd.",
        "80 Robinson Road, #17-02\nSingapore 068898",
        "SG",
    ),
    "Nordhafen Kupfer GmbH": Party("Nordhafen Kupfer GmbH", "Am Sandtorkai 41\n20457 Hamburg, Germany", "DE"),
    "Andes Copper Exports S.A.": Party(
        "Andes Copper Exports S.A.", "Avenida Apoquindo 3721, Piso 9\nLas Condes, Santiago", "CL"
    ),
    "Mediterranean Shipping Company S.A.": Party(
        "Mediterranean Shipping Company S.A.", "12-14 Chemin Rieu\n1208 Geneva, Switzerland", "CH"
    ),
}
PORTS = {
    "CLSAI": PortInfo("CLSAI", "San Antonio", "Chile"),
    "DEHAM": PortInfo("DEHAM", "Hamburg", "Germany"),
}
GOODS = "Refined copper cathodes, grade A, LME registered brand, 99.99% Cu min, packed in bundles"
CONTAINERS = ["MSCU1234565", "MSCU7654321", "TGHU3337770", "MEDU9012344", "CAIU5558886"]
ITEMS = [
    {"description": GOODS, "hs_code": "740311", "quantity": 100.0, "unit": "MT",
     "unit_price": 9125.5, "amount": 912550.0},
    {"description": "Copper cathodes, off-grade lot", "hs_code": "740311", "quantity": 24.5,
     "unit": "MT", "unit_price": 8900.0, "amount": 218050.0},
]  # fmt: skip
FIELDS: dict[str, dict[str, Any]] = {
    "sales_contract": {
        "contract_number": "HMT-SC-2025-0147", "contract_date": "2025-03-12",
        "seller_name": "Helios Metals Trading Pte. Ltd.", "buyer_name": "Nordhafen Kupfer GmbH",
        "goods_description": GOODS, "hs_code": "740311", "quantity": 124.5, "unit": "MT",
        "unit_price": 9082.73, "currency": "USD", "total_amount": 1130799.89,
        "incoterms": "CIF Hamburg", "port_of_loading": "CLSAI", "port_of_discharge": "DEHAM",
        "latest_shipment_date": "2025-04-30",
        "payment_terms": (
            "100% by irrevocable documentary L/C at sight, confirmed by a first-class bank"
        ),
    },
    "commercial_invoice": {
        "invoice_number": "INV-88213", "invoice_date": "2025-04-18",
        "seller_name": "Helios Metals Trading Pte. Ltd.", "buyer_name": "Nordhafen Kupfer GmbH",
        "contract_number": "HMT-SC-2025-0147", "currency": "USD", "total_amount": 1130600.0,
        "incoterms": "CIF Hamburg", "port_of_loading": "CLSAI", "port_of_discharge": "DEHAM",
        "vessel_name": "MSC AURORA", "bl_number": "MEDUCL482913", "goods_description": GOODS,
        "hs_code": "740311", "quantity": 124.5, "unit": "MT", "unit_price": 9081.12,
        "line_items": ITEMS,
    },
    "bill_of_lading": {
        "bl_number": "MEDUCL482913", "shipper_name": "Andes Copper Exports S.A.",
        "consignee_name": "Nordhafen Kupfer GmbH", "notify_party": "Nordhafen Kupfer GmbH",
        "carrier_name": "Mediterranean Shipping Company S.A.", "vessel_name": "MSC AURORA",
        "imo_number": "9312345", "voyage_number": "FA512W", "port_of_loading": "CLSAI",
        "port_of_discharge": "DEHAM", "shipped_on_board_date": "2025-04-09",
        "issue_date": "2025-04-10", "container_numbers": CONTAINERS, "number_of_packages": 1250,
        "gross_weight_kg": 125125.5, "goods_description": GOODS, "hs_code": "740311",
    },
    "packing_list": {
        "invoice_number": "INV-88213", "number_of_packages": 1250, "gross_weight_kg": 125125.5,
        "net_weight_kg": 124500.0, "container_numbers": CONTAINERS,
    },
}  # fmt: skip
CASES = [(doc_type, layout) for doc_type in FIELDS for layout in ("A", "B")]


def make_spec(doc_type: str, layout: str, **overrides: Any) -> DocSpec:
    """Return a realistic DocSpec of one copper deal (overrides replace fields)."""
    fields = {**FIELDS[doc_type], **overrides}
    return DocSpec(doc_type, layout, fields, dict(PARTIES), dict(PORTS), contract_role="sale")


# Formatted values each rendering must show (short ones: checked as exact substrings).
EXPECTED_VALUES: dict[tuple[str, str], list[str]] = {
    ("sales_contract", "A"): [
        "HMT-SC-2025-0147", "12 Mar 2025", "Helios Metals Trading Pte. Ltd.", "Singapore 068898",
        "Nordhafen Kupfer GmbH", "740311", "124.500 MT", "9,082.73", "USD", "1,130,799.89",
        "CIF Hamburg", "San Antonio, Chile", "Hamburg, Germany", "30 Apr 2025",
    ],
    ("sales_contract", "B"): [
        "HMT-SC-2025-0147", "2025-03-12", "Helios Metals Trading Pte. Ltd.", "Singapore 068898",
        "Nordhafen Kupfer GmbH", "740311", "124.500 MT", "9,082.73", "USD", "1,130,799.89",
        "CIF Hamburg", "San Antonio, Chile", "Hamburg, Germany", "2025-04-30",
    ],
    ("commercial_invoice", "A"): [
        "INV-88213", "18 Apr 2025", "HMT-SC-2025-0147", "USD", "1,130,600.00", "MSC AURORA",
        "MEDUCL482913", "San Antonio, Chile", "124.500 MT", "9,081.12", "912,550.00",
        "20457 Hamburg, Germany",
    ],
    ("commercial_invoice", "B"): [
        "INV-88213", "2025-04-18", "HMT-SC-2025-0147", "USD", "1,130,600.00", "MSC AURORA",
        "MEDUCL482913", "San Antonio, Chile", "124.500 MT", "9,081.12", "912,550.00",
        "20457 Hamburg, Germany",
    ],
    ("bill_of_lading", "A"): [
        "MEDUCL482913", "Andes Copper Exports S.A.", "Mediterranean Shipping Company S.A.",
        "MSC AURORA", "9312345", "FA512W", "09 Apr 2025", "10 Apr 2025", "MSCU 123456 5",
        "CAIU 555888 6", "1,250", "125,125.500 KGS", "740311",
    ],
    ("bill_of_lading", "B"): [
        "MEDUCL482913", "Andes Copper Exports S.A.", "Mediterranean Shipping Company S.A.",
        "MSC AURORA", "9312345", "FA512W", "2025-04-09", "2025-04-10", "MSCU1234565",
        "CAIU5558886", "1,250", "125,125.500 KGS", "740311",
    ],
    ("packing_list", "A"): [
        "INV-88213", "1,250", "125,125.500 KGS", "124,500.000 KGS", "MSCU 123456 5",
        "TGHU 333777 0",
    ],
    ("packing_list", "B"): [
        "INV-88213", "1,250", "125,125.500 KGS", "124,500.000 KGS", "MSCU1234565", "TGHU3337770",
    ],
}  # fmt: skip
TITLES = {
    "sales_contract": "SALES CONTRACT",
    "commercial_invoice": "COMMERCIAL INVOICE",
    "bill_of_lading": "BILL OF LADING",
    "packing_list": "PACKING LIST",
}


def render(tmp_path: Path, spec: DocSpec, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    render_pdf(spec, path)
    return path


def page_text(path: Path, page: int = 0) -> str:
    with pdfplumber.open(path) as pdf:
        return pdf.pages[page].extract_text()


@pytest.fixture(scope="module")
def invoice_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = make_spec("commercial_invoice", "A")
    return render(tmp_path_factory.mktemp("invoice"), spec, "invoice.pdf")


# --- rendering ------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_type, layout", CASES)
def test_render_prints_title_labels_and_values(tmp_path: Path, doc_type: str, layout: str) -> None:
    text = page_text(render(tmp_path, make_spec(doc_type, layout)))
    assert TITLES[doc_type] in text
    index = "AB".index(layout)
    for field in set(FIELDS[doc_type]) - {"unit", "line_items"}:
        assert label_for(field, index) in text, field
    for value in EXPECTED_VALUES[(doc_type, layout)]:
        assert value in text, value
    words = set(text.split())
    if "goods_description" in FIELDS[doc_type]:  # wrapped: every word is still printed
        assert set(GOODS.split()) <= words


@pytest.mark.parametrize("doc_type, layout", CASES)
def test_render_keeps_every_char_on_one_page(tmp_path: Path, doc_type: str, layout: str) -> None:
    with pdfplumber.open(render(tmp_path, make_spec(doc_type, layout))) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert page.chars
        assert all(0 <= c["x0"] and c["x1"] <= page.width for c in page.chars)
        assert all(0 <= c["top"] and c["bottom"] <= page.height for c in page.chars)


@pytest.mark.parametrize(
    "label, value",
    [
        ("Invoice No.", "INV-88213"),
        ("Invoice Date", "18 Apr 2025"),
        ("Seller", "Helios Metals Trading Pte. Ltd."),
        ("Port of Loading", "San Antonio, Chile"),
        ("Quantity", "124.500 MT"),
        ("Total Amount", "1,130,600.00"),
    ],
)
def test_layout_a_prints_label_and_value_on_one_line(invoice_pdf: Path, label: str, value: str) -> None:
    assert f"{label}: {value}" in page_text(invoice_pdf).splitlines()


def test_layout_a_prints_party_address_under_its_name(invoice_pdf: Path) -> None:
    lines = page_text(invoice_pdf).splitlines()
    seller = lines.index("Seller: Helios Metals Trading Pte. Ltd.")
    assert lines[seller + 1 : seller + 3] == ["80 Robinson Road, #17-02", "Singapore 068898"]


@pytest.mark.parametrize("layout", ["A", "B"])
def test_invoice_prints_line_items_table_then_total(tmp_path: Path, layout: str) -> None:
    with pdfplumber.open(render(tmp_path, make_spec("commercial_invoice", layout))) as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
        header = page.search("Description HS Code Quantity Unit Unit Price Amount")
        last_row = page.search("24.500 MT 8,900.00 218,050.00")
        total = page.search("1,130,600.00")
    assert "740311 100.000 MT 9,125.50 912,550.00" in text
    assert "Copper cathodes, off-grade lot 740311" in text
    assert header and last_row and total
    assert header[0]["top"] < last_row[0]["top"] < total[0]["top"]
    assert label_for("total_amount", "AB".index(layout)) in text


def test_purchase_contract_has_its_own_title(tmp_path: Path) -> None:
    spec = make_spec("sales_contract", "A")
    spec.contract_role = "purchase"
    text = page_text(render(tmp_path, spec))
    assert "PURCHASE CONTRACT" in text
    assert "SALES CONTRACT" not in text


@pytest.mark.parametrize("layout", ["A", "B"])
def test_absent_fields_are_not_printed(tmp_path: Path, layout: str) -> None:
    spec = make_spec("bill_of_lading", layout, imo_number=None, notify_party=None)
    text = page_text(render(tmp_path, spec))
    index = "AB".index(layout)
    assert label_for("imo_number", index) not in text
    assert label_for("notify_party", index) not in text
    assert "MEDUCL482913" in text


@pytest.mark.parametrize("doc_type, layout", [("commercial_invoice", "A"), ("bill_of_lading", "B")])
def test_render_is_byte_reproducible(tmp_path: Path, doc_type: str, layout: str) -> None:
    first = render(tmp_path, make_spec(doc_type, layout), "one.pdf")
    second = render(tmp_path, make_spec(doc_type, layout), "two.pdf")
    assert first.read_bytes() == second.read_bytes()


def test_layout_a_wraps_containers_without_breaking_one(tmp_path: Path) -> None:
    containers = [f"MSCU{n:06d}{n % 10}" for n in range(100001, 100013)]
    text = page_text(render(tmp_path, make_spec("packing_list", "A", container_numbers=containers)))
    lines = [ln for ln in text.splitlines() if "MSCU" in ln]
    assert len(lines) > 1
    assert all(ln.endswith(",") for ln in lines[:-1])
    printed = re.findall(r"MSCU \d{6} \d", " ".join(lines))
    assert printed == [format_container(c, "A") for c in containers]


def test_layout_b_stacks_one_container_per_line(tmp_path: Path) -> None:
    with pdfplumber.open(render(tmp_path, make_spec("packing_list", "B"))) as pdf:
        words = [w for w in pdf.pages[0].extract_words() if w["text"] in CONTAINERS]
    assert [w["text"] for w in words] == CONTAINERS
    assert len({round(w["x0"]) for w in words}) == 1
    assert all(a["top"] < b["top"] for a, b in zip(words, words[1:], strict=False))


def test_overlong_document_breaks_page_instead_of_clipping(tmp_path: Path) -> None:
    containers = [f"TGHU{n:07d}" for n in range(80)]
    spec = make_spec("bill_of_lading", "B", container_numbers=containers)
    with pdfplumber.open(render(tmp_path, spec)) as pdf:
        assert len(pdf.pages) > 1
        for page in pdf.pages:
            assert all(0 <= c["top"] and c["bottom"] <= page.height for c in page.chars)
        printed = [w["text"] for p in pdf.pages for w in p.extract_words()]
    assert set(containers) <= set(printed)


def test_unknown_layout_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="layout"):
        render_pdf(make_spec("packing_list", "Z"), tmp_path / "x.pdf")


# --- formatting helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, layout, expected",
    [
        ("2025-03-12", "A", "12 Mar 2025"),
        ("2025-03-12", "B", "2025-03-12"),
        ("2024-12-05", "A", "05 Dec 2024"),
        (date(2025, 1, 31), "A", "31 Jan 2025"),
        (date(2025, 1, 31), "B", "2025-01-31"),
    ],
)
def test_format_date(value: str | date, layout: str, expected: str) -> None:
    assert format_date(value, layout) == expected


@pytest.mark.parametrize(
    "value, expected",
    [(1234567.891, "1,234,567.89"), (0, "0.00"), (999.995, "1,000.00"), (12, "12.00")],
)
def test_format_amount(value: float, expected: str) -> None:
    assert format_amount(value) == expected


@pytest.mark.parametrize(
    "value, expected", [(9125.5, "9,125.50"), (12.345, "12.345"), (0.12345, "0.1235"), (78, "78.00")]
)
def test_format_price(value: float, expected: str) -> None:
    assert format_price(value) == expected


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (25000, "MT", "25,000.000 MT"),
        (183250.5, "BBL", "183,250.500 BBL"),
        (12000, "PCS", "12,000 PCS"),
        (12.5, "PCS", "12.500 PCS"),
        (124.5, None, "124.500"),
    ],
)
def test_format_quantity(value: float, unit: str | None, expected: str) -> None:
    assert format_quantity(value, unit) == expected


@pytest.mark.parametrize(
    "formatter, value, expected",
    [(format_weight, 25125.5, "25,125.500 KGS"), (format_count, 1250, "1,250")],
)
def test_format_weight_and_count(formatter: Any, value: float, expected: str) -> None:
    assert formatter(value) == expected


@pytest.mark.parametrize(
    "number, layout, expected",
    [
        ("MSCU1234565", "A", "MSCU 123456 5"),
        ("MSCU1234565", "B", "MSCU1234565"),
        ("mscu 123456 5", "B", "MSCU1234565"),
        ("MSCU 123456 5", "A", "MSCU 123456 5"),
        ("BAD123", "A", "BAD123"),
    ],
)
def test_format_container(number: str, layout: str, expected: str) -> None:
    assert format_container(number, layout) == expected


# --- scanning -------------------------------------------------------------------------------


def test_scanned_pdf_has_no_text_layer_and_same_seed_same_bytes(tmp_path: Path, invoice_pdf: Path) -> None:
    paths = [tmp_path / name for name in ("a.pdf", "b.pdf", "c.pdf")]
    for path, seed in zip(paths, (7, 7, 8), strict=True):
        scan_document(invoice_pdf, path, seed=seed, dpi=100)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()
    with pdfplumber.open(paths[0]) as pdf:
        assert len(pdf.pages) == 1
        assert pdf.pages[0].chars == []
        assert pdf.pages[0].width == pytest.approx(595.3, abs=1.0)


@pytest.mark.parametrize("suffix, fmt", [(".png", "PNG"), (".jpg", "JPEG")])
def test_scanned_image_outputs(tmp_path: Path, invoice_pdf: Path, suffix: str, fmt: str) -> None:
    out = tmp_path / f"scan{suffix}"
    scan_document(invoice_pdf, out, seed=3, dpi=72)
    with Image.open(out) as image:
        assert image.format == fmt
        assert image.mode == "L"
        assert image.size[0] in (595, 596) and image.size[1] in (842, 843)  # pdfium rounds up


def test_scan_rejects_unknown_suffix(tmp_path: Path, invoice_pdf: Path) -> None:
    with pytest.raises(ValueError, match="unsupported"):
        scan_document(invoice_pdf, tmp_path / "scan.gif", seed=1)


def test_scan_params_stay_slight() -> None:
    for seed in range(200):
        params = draw_params(random.Random(seed))
        assert abs(params.angle) <= 1.2
        assert params.blur_radius <= 0.8
        assert 60 <= params.jpeg_quality <= 85


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_tesseract_reads_key_values_of_a_scanned_invoice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One OpenMP thread: on 2 cores Tesseract's default threading is ~5x slower, not faster.
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")
    pdf = render(tmp_path, make_spec("commercial_invoice", "B"))  # ruled boxes: the harder case
    scan_document(pdf, tmp_path / "scan.png", seed=11)
    text = pytesseract.image_to_string(Image.open(tmp_path / "scan.png"))
    for value in ("INV-88213", "1,130,600.00", "MEDUCL482913", "2025-04-18", "912,550.00"):
        assert value in text, value
