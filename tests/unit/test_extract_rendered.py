"""End to end on rendered documents: DocSpec -> PDF (and scan) -> extract -> the DocSpec's values."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from tradeverify.domain import Word
from tradeverify.extract.document import extract_document
from tradeverify.extract.fields import CANONICAL_FIELDS, DATE_FIELDS, DATE_ORDER_FACTOR
from tradeverify.extract.layout import is_total
from tradeverify.extract.normalize import ambiguous_date
from tradeverify.extract.reading import INVALID_FACTOR
from tradeverify_train.synth.docspec import DocSpec, Party, PortInfo
from tradeverify_train.synth.render import render_pdf
from tradeverify_train.synth.scan import scan_document

PARTIES = {
    p.name: p
    for p in (
        Party("Qingdao Huaxin Metals Co., Ltd.", "88 Harbour Road\nQingdao, China", "China"),
        Party("Zenith Resources Pte. Ltd.", "1 Marina Boulevard, #20-01\nSingapore", "Singapore"),
        Party("Andes Copper Exports S.A.", "Avenida Apoquindo 3721\nSantiago, Chile", "Chile"),
        Party("Oceanic Star Lines", "12 Dock Lane\nHamburg, Germany", "Germany"),
    )
}
PORTS = {
    "CLSAI": PortInfo("CLSAI", "San Antonio", "Chile"),
    "CNTAO": PortInfo("CNTAO", "Qingdao", "China"),
    "KRPUS": PortInfo("KRPUS", "Pusan", "South Korea"),
}
GOODS = "Refined copper cathodes Grade A, LME registered brand, 99.99% Cu min, in bundles"
CONTAINERS = ["OSLU1234564", "OSLU7654327", "TGHU3337775", "CSQU3054383", "MSKU9070323"]
ITEM = {"description": GOODS, "hs_code": "740311", "quantity": 124.5, "unit": "MT",
        "unit_price": 9081.12, "amount": 1130599.44}  # fmt: skip
FIELDS: dict[str, dict[str, Any]] = {
    "sales_contract": {
        "contract_number": "SC-25-0147", "contract_date": "2025-03-12",
        "seller_name": "Zenith Resources Pte. Ltd.", "buyer_name": "Qingdao Huaxin Metals Co., Ltd.",
        "goods_description": GOODS, "hs_code": "740311", "quantity": 124.5, "unit": "MT",
        "unit_price": 9250.75, "currency": "USD", "total_amount": 1151718.38,
        "incoterms": "CIF", "port_of_loading": "CLSAI", "port_of_discharge": "CNTAO",
        "latest_shipment_date": "2025-04-30", "payment_terms": "T/T 30 days after B/L date",
    },
    "commercial_invoice": {
        "invoice_number": "INV25000147", "invoice_date": "2025-04-11",
        "seller_name": "Andes Copper Exports S.A.", "buyer_name": "Zenith Resources Pte. Ltd.",
        "contract_number": "PC25-32608", "currency": "USD", "total_amount": 1130599.44,
        "incoterms": "FOB", "port_of_loading": "CLSAI", "port_of_discharge": "CNTAO",
        "vessel_name": "OCEANIC AURORA", "bl_number": "OSLB123456789", "goods_description": GOODS,
        "hs_code": "740311", "quantity": 124.5, "unit": "MT", "unit_price": 9081.12,
        "line_items": [ITEM],
    },
    "bill_of_lading": {
        "bl_number": "OSLB123456789", "shipper_name": "Andes Copper Exports S.A.",
        "consignee_name": "Zenith Resources Pte. Ltd.",
        "notify_party": "Qingdao Huaxin Metals Co., Ltd.", "carrier_name": "Oceanic Star Lines",
        "vessel_name": "OCEANIC AURORA", "imo_number": "9074729", "voyage_number": "036W",
        "port_of_loading": "CLSAI", "port_of_discharge": "KRPUS",
        "shipped_on_board_date": "2025-04-09", "issue_date": "2025-04-10",
        "container_numbers": CONTAINERS, "number_of_packages": 125, "gross_weight_kg": 126744.25,
        "goods_description": GOODS, "hs_code": "740311",
    },
    "packing_list": {
        "invoice_number": "INV25000147", "number_of_packages": 125, "gross_weight_kg": 126744.25,
        "net_weight_kg": 124500.0, "container_numbers": CONTAINERS,
    },
}  # fmt: skip
# Development layouts; the held-out ones (E, F) are only measured, see test_extract_holdout.py.
DEV_LAYOUTS = ("A", "B", "C", "D")
CASES = [(doc_type, layout) for doc_type in FIELDS for layout in DEV_LAYOUTS]


def make_spec(doc_type: str, layout: str, role: str | None = "sale", **fields: Any) -> DocSpec:
    role = role if doc_type == "sales_contract" else None
    return DocSpec(doc_type, layout, {**FIELDS[doc_type], **fields}, PARTIES, PORTS, role)


def same(got: Any, want: Any) -> bool:
    """Equality with float tolerance, recursing into lists and dicts."""
    if isinstance(want, float) or isinstance(got, float):
        return isinstance(got, int | float) and math.isclose(got, want, abs_tol=1e-6)
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(same, got, want))
    if isinstance(want, dict):
        return isinstance(got, dict) and all(same(got.get(k), v) for k, v in want.items())
    return bool(got == want)


def wrong_fields(result: Any, spec: DocSpec, names: Any = None) -> dict[str, tuple[Any, Any]]:
    names = spec.fields if names is None else names
    return {
        n: (result.value(n), spec.fields[n])
        for n in names
        if not same(result.value(n), spec.fields[n])
    }


@pytest.mark.parametrize(("doc_type", "layout"), CASES)
def test_digital_documents_read_exactly(tmp_path: Path, doc_type: str, layout: str) -> None:
    spec = make_spec(doc_type, layout)
    assert set(spec.fields) == set(CANONICAL_FIELDS[doc_type])  # the fixture covers them all
    path = tmp_path / f"{doc_type}_{layout}.pdf"
    render_pdf(spec, path)
    result = extract_document(path)
    assert (result.doc_type, result.ocr, result.errors) == (doc_type, False, [])
    assert wrong_fields(result, spec) == {}
    # D prints numeric dates (11.04.2025, 30.04.2025): a day over 12 fixes the order of the others;
    # with none on the page the order comes from the issuer's country, a weaker reading.
    dates = [f.raw for n, f in result.fields.items() if n in DATE_FIELDS]
    undecided = bool(dates) and all(ambiguous_date(raw) for raw in dates)
    for name, field in result.fields.items():
        weak = name in DATE_FIELDS and undecided
        assert field.confidence == (DATE_ORDER_FACTOR["country"] if weak else 1.0), name
        assert field.page == 1 and field.bbox is not None and field.raw, name


@pytest.mark.parametrize("layout", DEV_LAYOUTS)
def test_purchase_contract_role(tmp_path: Path, layout: str) -> None:
    path = tmp_path / "pc.pdf"
    render_pdf(make_spec("sales_contract", layout, role="purchase"), path)
    result = extract_document(path)
    assert (result.doc_type, result.contract_role) == ("sales_contract", "purchase")


@pytest.mark.parametrize("layout", DEV_LAYOUTS)
def test_long_items_table_across_pages(tmp_path: Path, layout: str) -> None:
    items = [
        {**ITEM, "description": f"Copper cathodes lot {i}", "quantity": 10.0 + i,
         "unit_price": 9000.0 + i, "amount": round((10.0 + i) * (9000.0 + i), 2)}
        for i in range(30)
    ]  # fmt: skip
    total = round(sum(i["amount"] for i in items), 2)
    spec = make_spec("commercial_invoice", layout, line_items=items, total_amount=total)
    path = tmp_path / "long.pdf"
    render_pdf(spec, path)
    result = extract_document(path)
    assert result.pages >= 2
    assert wrong_fields(result, spec, ["line_items", "total_amount", "invoice_number"]) == {}


def test_invalid_container_is_kept_with_low_confidence(tmp_path: Path) -> None:
    bad = [*CONTAINERS[:2], "MSCU1234565"]  # the last check digit should be 6
    spec = make_spec("bill_of_lading", "A", container_numbers=bad)
    path = tmp_path / "bl.pdf"
    render_pdf(spec, path)
    field = extract_document(path).fields["container_numbers"]
    assert field.value == bad and field.confidence == pytest.approx(INVALID_FACTOR)
    assert "MSCU 123456 5" in field.raw
    assert field.reason is not None and "MSCU1234565" in field.reason


# --- scanned (OCR) ----------------------------------------------------------------------------

SCANNED_KEYS = {
    "sales_contract": ("contract_number", "contract_date", "seller_name", "buyer_name",
                       "total_amount", "port_of_loading", "latest_shipment_date", "payment_terms"),
    "commercial_invoice": ("invoice_number", "invoice_date", "total_amount", "currency",
                           "seller_name"),
    "packing_list": ("invoice_number", "number_of_packages", "gross_weight_kg", "net_weight_kg",
                     "container_numbers"),
    "bill_of_lading": ("bl_number", "vessel_name", "imo_number", "port_of_loading",
                       "port_of_discharge", "container_numbers"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("doc_type", "layout", "suffix"),
    [("commercial_invoice", "A", ".png"), ("bill_of_lading", "B", ".pdf"),
     ("commercial_invoice", "C", ".jpg"), ("bill_of_lading", "C", ".png"),
     ("packing_list", "C", ".pdf"), ("sales_contract", "D", ".png"),
     ("bill_of_lading", "D", ".jpg"), ("packing_list", "D", ".png")],
)
def test_scanned_documents_key_fields(
    tmp_path: Path, doc_type: str, layout: str, suffix: str
) -> None:
    spec = make_spec(doc_type, layout)
    digital = tmp_path / "digital.pdf"
    render_pdf(spec, digital)
    scanned = tmp_path / f"scan{suffix}"
    scan_document(digital, scanned, seed=3)
    result = extract_document(scanned)
    assert (result.doc_type, result.ocr, result.errors) == (doc_type, True, [])
    assert wrong_fields(result, spec, SCANNED_KEYS[doc_type]) == {}
    assert all(0.0 < f.confidence <= 1.0 for f in result.fields.values())


# --- contract clauses: free text is never a field -------------------------------------------------

# Clauses quote labels, values, dates, amounts and parties in prose, some even "Label: value".
CLAUSES = (
    "Quality and weight as determined by an independent surveyor at the port of loading shall be "
    "final and binding on both parties.",
    "Payment Terms: the Buyer shall pay USD 4,250,000.00 by T/T within 5 days of 15 Jun 2025 and "
    "the balance by irrevocable L/C at sight in favour of the Seller.",
    "The Seller shall ship the goods from the Port of Loading Rotterdam, Netherlands not later than "
    "31 Jul 2025; Latest Shipment Date 2025-08-15 may be extended by mutual consent.",
    "Total Amount: USD 9,999,999.99 includes all charges; the Currency of payment is the Euro and "
    "Incoterms FOB Rotterdam apply with HS Code 2601.11 declared.",
    "Seller: Pacific Rim Metals Ltd. warrants good title to the goods; Buyer Nordic Ore Trading AB "
    "shall open the credit. Contract No. ZZ-0001 supersedes all earlier drafts.",
    "Any dispute arising from this contract shall be settled by arbitration in Singapore under the "
    "SIAC rules in force.",
)
ABSENT = {"payment_terms": None, "port_of_loading": None, "total_amount": None, "currency": None,
          "latest_shipment_date": None, "incoterms": None, "hs_code": None, "seller_name": None}  # fmt: skip


def fields_of(result: Any) -> dict[str, tuple[Any, float]]:
    return {name: (field.value, field.confidence) for name, field in result.fields.items()}


@pytest.mark.parametrize("layout", DEV_LAYOUTS)
@pytest.mark.parametrize("absent", [False, True])
def test_clauses_never_change_extraction(tmp_path: Path, layout: str, absent: bool) -> None:
    spec = make_spec("sales_contract", layout, **(ABSENT if absent else {}))
    plain, with_clauses = tmp_path / "plain.pdf", tmp_path / "clauses.pdf"
    render_pdf(spec, plain)
    render_pdf(replace(spec, clauses=CLAUSES), with_clauses)
    before, after = extract_document(plain), extract_document(with_clauses)
    with pdfplumber.open(with_clauses) as pdf:
        printed = " ".join(page.extract_text() for page in pdf.pages)
    assert "Terms and Conditions" in printed and "ZZ-0001" in printed  # the clauses are there
    assert (after.doc_type, after.contract_role) == (before.doc_type, before.contract_role)
    assert fields_of(after) == fields_of(before)
    assert wrong_fields(after, spec, [n for n, v in spec.fields.items() if v is not None]) == {}
    if absent:  # no clause fills a field the contract does not print
        assert not set(ABSENT) & set(after.fields)


def test_clauses_spilling_onto_a_second_page_change_nothing(tmp_path: Path) -> None:
    spec = make_spec("sales_contract", "C")
    render_pdf(spec, tmp_path / "plain.pdf")
    render_pdf(replace(spec, clauses=CLAUSES * 4), tmp_path / "long.pdf")
    before, after = extract_document(tmp_path / "plain.pdf"), extract_document(tmp_path / "long.pdf")
    assert after.pages == 2
    assert fields_of(after) == fields_of(before)


@pytest.mark.parametrize(("layout", "suffix"), [("A", ".png"), ("C", ".jpg"), ("D", ".pdf")])
def test_scanned_contract_with_clauses_reads_its_fields(tmp_path: Path, layout: str, suffix: str) -> None:
    spec = replace(make_spec("sales_contract", layout, role="purchase"), clauses=CLAUSES)
    render_pdf(spec, tmp_path / "digital.pdf")
    scan_document(tmp_path / "digital.pdf", tmp_path / f"scan{suffix}", seed=11)
    result = extract_document(tmp_path / f"scan{suffix}")
    assert (result.doc_type, result.contract_role, result.ocr) == ("sales_contract", "purchase", True)
    assert wrong_fields(result, spec, SCANNED_KEYS["sales_contract"]) == {}


def test_goods_named_grand_are_an_item_not_a_summary_row(tmp_path: Path) -> None:
    # "Grand" opens "Grand Total" rows, and goods names too.
    item = {**ITEM, "description": "Grand pianos"}
    spec = make_spec("commercial_invoice", "A", goods_description="Grand pianos", line_items=[item])
    render_pdf(spec, tmp_path / "ci.pdf")
    assert wrong_fields(extract_document(tmp_path / "ci.pdf"), spec, ["line_items"]) == {}
    words = [Word(text, 0.1 * i, 0.5, 0.1 * i + 0.08, 0.52, 1) for i, text in enumerate(("Grand", "Total"))]
    assert is_total(words) and not is_total([words[0], replace(words[1], text="pianos")])
