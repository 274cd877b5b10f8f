"""Rendering of the issuer layouts C-F and of contract clauses (layouts A/B: test_render.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from tests.unit.test_render import CONTAINERS, FIELDS, GOODS, make_spec
from tradeverify.cli import main
from tradeverify_train.synth.docspec import LAYOUT_SETS, LAYOUTS, DocSpec
from tradeverify_train.synth.formats import format_container, format_date
from tradeverify_train.synth.generate import WorldConfig, generate_world
from tradeverify_train.synth.render import (
    CLAUSES_HEADING,
    build_entries,
    document_title,
    layout_label,
    render_pdf,
)
from tradeverify_train.synth.render_more import COLUMNS

NEW = ("C", "D", "E", "F")
CASES = [(doc_type, layout) for doc_type in FIELDS for layout in NEW]
CLAUSES = (
    "Quality and weight as determined by an independent surveyor at the port of loading shall be "
    "final and binding on both parties.",
    "Payment Terms: the Buyer shall pay USD 250,000.00 by T/T within 5 days of 15 March 2025; the "
    "balance by L/C at sight against documents presented by the Seller.",
    "Any dispute arising from this contract shall be settled by arbitration in Singapore under "
    "the SIAC rules in force.",
)
# What each layout prints for dates and containers: the printed forms differ on purpose.
DATES = {"C": "March 12, 2025", "D": "12.03.2025", "E": "12-MAR-2025", "F": "12th March 2025"}
TITLES = {
    ("sales_contract", "C"): "CONTRACT OF SALE", ("sales_contract", "D"): "SALES AGREEMENT",
    ("sales_contract", "E"): "SALES CONTRACT", ("sales_contract", "F"): "Sales Contract",
    ("commercial_invoice", "C"): "COMMERCIAL INVOICE", ("commercial_invoice", "D"): "INVOICE",
    ("bill_of_lading", "C"): "OCEAN BILL OF LADING", ("bill_of_lading", "E"): "SEA WAYBILL",
    ("packing_list", "C"): "PACKING / WEIGHT LIST", ("packing_list", "E"): "WEIGHT LIST",
}  # fmt: skip


def words_of(path: Path) -> list[list[dict[str, Any]]]:
    """Return the words of every page (pdfplumber dicts with text, x0, x1, top, bottom)."""
    with pdfplumber.open(path) as pdf:
        return [page.extract_words(keep_blank_chars=False) for page in pdf.pages]


def text_of(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


def render(tmp_path: Path, spec: DocSpec, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    render_pdf(spec, path)
    return path


def find(words: list[dict[str, Any]], text: str) -> dict[str, Any]:
    """Return the first word whose text is ``text`` (fails the test when absent)."""
    found = [w for w in words if w["text"] == text]
    assert found, text
    return found[0]


def test_layout_sets_split_development_from_held_out() -> None:
    assert {k: v for k, v in LAYOUT_SETS.items() if not k.startswith("diverse")} == {
        "train": ("A", "B", "C", "D"), "holdout": ("E", "F")}
    assert LAYOUT_SETS["diverse"][:2] == ("R0", "R1") and LAYOUT_SETS["diverse-holdout"][-1] == "X499"
    assert set(LAYOUT_SETS["train"]) | set(LAYOUT_SETS["holdout"]) == set(LAYOUTS)


@pytest.mark.parametrize("doc_type, layout", CASES)
def test_new_layout_prints_title_labels_and_values(tmp_path: Path, doc_type: str, layout: str) -> None:
    spec = make_spec(doc_type, layout)
    path = render(tmp_path, spec)
    text = text_of(path)
    flat = " ".join(text.split())
    title = document_title(spec)
    assert (title.title() if layout == "F" else title) in flat
    assert TITLES.get((doc_type, layout), title.title() if layout == "F" else title) in flat
    for entry in build_entries(spec):
        assert entry.label.lower() in flat.lower(), entry.label
    date_fields = [f for f in ("contract_date", "invoice_date", "issue_date") if f in spec.fields]
    for name in date_fields:
        assert format_date(spec.fields[name], layout) in flat, name
    if "goods_description" in spec.fields:  # wrapped or not, every word is printed
        assert set(GOODS.split()) <= set(text.split())
    if "container_numbers" in spec.fields:
        assert all(format_container(c, layout) in flat for c in CONTAINERS)


@pytest.mark.parametrize("doc_type, layout", CASES)
def test_new_layout_keeps_every_char_on_one_page(tmp_path: Path, doc_type: str, layout: str) -> None:
    with pdfplumber.open(render(tmp_path, make_spec(doc_type, layout))) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert all(0 <= c["x0"] and c["x1"] <= page.width - 40 for c in page.chars)
        assert all(0 <= c["top"] and c["bottom"] <= page.height for c in page.chars)


@pytest.mark.parametrize("layout", NEW)
def test_new_layout_is_byte_reproducible(tmp_path: Path, layout: str) -> None:
    spec = replace(make_spec("sales_contract", layout), clauses=CLAUSES)
    assert render(tmp_path, spec, "a.pdf").read_bytes() == render(tmp_path, spec, "b.pdf").read_bytes()


@pytest.mark.parametrize(
    "layout, expected",
    [("C", "March 12, 2025"), ("D", "12.03.2025"), ("E", "12-MAR-2025"), ("F", "12th March 2025")],
)
def test_format_date_new_layouts(layout: str, expected: str) -> None:
    assert format_date("2025-03-12", layout) == expected
    assert format_date(date(2025, 3, 12), layout) == expected


@pytest.mark.parametrize(
    "day, expected", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                      (13, "13th"), (21, "21st"), (22, "22nd"), (31, "31st")],
)  # fmt: skip
def test_layout_f_prints_ordinal_days(day: int, expected: str) -> None:
    assert format_date(date(2025, 1, day), "F") == f"{expected} January 2025"


def test_format_container_new_layouts() -> None:
    assert format_container("MSCU1234565", "E") == "MSCU 1234565"
    assert {format_container("MSCU1234565", lay) for lay in "CDF"} == {"MSCU1234565"}


@pytest.mark.parametrize("layout", NEW)
def test_labels_come_from_the_vocabulary_but_not_from_a_or_b(layout: str) -> None:
    spec = make_spec("bill_of_lading", layout)
    labels = [e.label for e in build_entries(spec)]
    a_b = {layout_label(lay, e.field) for e in build_entries(spec) for lay in "AB"}
    assert len(set(labels) - a_b) >= len(labels) // 2  # mostly other words than A and B print
    if layout in ("C", "D", "F"):
        printed = {layout_label(layout, e.field, i) for i, e in enumerate(build_entries(spec))}
        assert len(printed) == len(labels)


def test_layout_c_prints_labels_above_values_and_parties_side_by_side(tmp_path: Path) -> None:
    words = words_of(render(tmp_path, make_spec("sales_contract", "C")))[0]
    vendor, purchaser = find(words, "VENDOR"), find(words, "PURCHASER")
    assert abs(vendor["top"] - purchaser["top"]) < 1 and purchaser["x0"] > vendor["x0"] + 200
    seller = find(words, "Helios")
    assert seller["top"] > vendor["bottom"] and abs(seller["x0"] - vendor["x0"]) < 1
    ref = find(words, "HMT-SC-2025-0147")
    label = find(words, "REF")  # "CONTRACT REF", small capitals over the value
    assert ref["top"] > label["bottom"] and ref["top"] - label["bottom"] < 8


def test_layout_d_right_aligns_its_labels(tmp_path: Path) -> None:
    words = words_of(render(tmp_path, make_spec("commercial_invoice", "D")))[0]
    ends = [w["x1"] for w in words if w["text"].endswith(":") and w["x0"] < 200]
    assert len(ends) >= 10 and max(ends) - min(ends) < 1
    top = find(words, "Goods")["top"]
    headers = [w["text"] for w in words if abs(w["top"] - top) < 1]
    assert headers == ["Goods", "H.S.", "Code", "Qty", "Unit", "Price", "Total"]


def test_layout_d_wraps_long_values_in_its_narrow_column(tmp_path: Path) -> None:
    words = words_of(render(tmp_path, make_spec("sales_contract", "D")))[0]
    goods = [w for w in words if w["text"] in GOODS.split() and w["x0"] > 150]
    rows: dict[int, list[float]] = {}
    for w in goods:
        rows.setdefault(round(w["top"]), []).append(w["x0"])
    assert len(rows) >= 2  # wrapped onto several lines ...
    assert len({round(min(xs)) for xs in rows.values()}) == 1  # ... all starting at the value column
    assert max(w["x1"] for w in goods) < 420


def test_layout_e_prints_two_key_value_pairs_per_row(tmp_path: Path) -> None:
    spec = make_spec("bill_of_lading", "E")
    words = words_of(render(tmp_path, spec))[0]
    imo = find(words, "9312345")
    same_row = [w for w in words if abs(w["top"] - imo["top"]) < 2]
    assert len({round(w["x0"] // 100) for w in same_row}) >= 3  # label, value, label, value
    assert any(w["text"].isupper() and w["x0"] > 290 for w in same_row)


def test_layout_f_puts_parties_left_and_references_right(tmp_path: Path) -> None:
    words = words_of(render(tmp_path, make_spec("bill_of_lading", "F")))[0]
    shipper = min((w for w in words if w["text"] == "Andes"), key=lambda w: w["x0"])
    bl_no = find(words, "MEDUCL482913")
    assert shipper["x0"] < 100 and bl_no["x0"] > 350
    assert abs(shipper["top"] - bl_no["top"]) < 60  # the two zones share the same band


@pytest.mark.parametrize("layout", NEW)
def test_unruled_items_table_with_the_layouts_headers(tmp_path: Path, layout: str) -> None:
    words = words_of(render(tmp_path, make_spec("commercial_invoice", layout)))[0]
    text = " ".join(w["text"] for w in words)
    for _key, header, _w, _r in COLUMNS[layout]:
        assert header in text, header
    assert "912,550.00" in text and "218,050.00" in text and "1,130,600.00" in text
    with pdfplumber.open(tmp_path / "doc.pdf") as pdf:
        page = pdf.pages[0]
        header_top = find(words, COLUMNS[layout][0][1].split()[0])["top"]
        rows_bottom = find(words, "218,050.00")["bottom"]
        inside = [ln for ln in page.lines if header_top - 3 < ln["top"] < rows_bottom]
    assert len(inside) <= 1  # no cell rules (F rules the header off once)


# --- clauses ----------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_clauses_print_numbered_after_the_fields_and_before_the_signature(
    tmp_path: Path, layout: str
) -> None:
    spec = replace(make_spec("sales_contract", layout), clauses=CLAUSES)
    path = render(tmp_path, spec)
    lines = [ln for ln in text_of(path).splitlines() if ln.strip()]
    heading = lines.index(CLAUSES_HEADING)
    signature = lines.index("Authorised Signature")
    assert heading < signature
    body = " ".join(lines[heading + 1 : signature])
    assert body.startswith("1. Quality and weight")
    assert "2. Payment Terms: the Buyer shall pay USD 250,000.00" in body
    assert "3. Any dispute arising" in body and body.endswith("in force.")
    last_field = max(i for i, ln in enumerate(lines) if "Hamburg" in ln or "bank" in ln)
    assert last_field < heading


@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_clauses_no_terms_block(tmp_path: Path, layout: str) -> None:
    assert CLAUSES_HEADING not in text_of(render(tmp_path, make_spec("sales_contract", layout)))


@pytest.mark.parametrize("layout", ["A", "C"])
def test_long_clauses_spill_onto_a_second_page(tmp_path: Path, layout: str) -> None:
    many = tuple(f"{c} Clause {i} repeats the point." for i in range(8) for c in CLAUSES)
    spec = replace(make_spec("sales_contract", layout), clauses=many)
    with pdfplumber.open(render(tmp_path, spec)) as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            assert all(c["bottom"] <= page.height - 40 for c in page.chars)
        second = pdf.pages[1].extract_text()
    assert "Authorised Signature" in second and f"{len(many)}. " in second


def test_holdout_world_uses_only_held_out_layouts(tmp_path: Path) -> None:
    generate_world(tmp_path, WorldConfig(n=2, seed=5, scanned_rate=0.0, layout_set="holdout"))
    layouts = {json.loads(p.read_text())["layout"] for p in (tmp_path / "truth").glob("*/*.json")}
    assert layouts and layouts <= set(LAYOUT_SETS["holdout"])


def test_cli_rejects_an_unknown_layout_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["synth", "--out", str(tmp_path / "w"), "--n", "1", "--layout-set", "bogus"])
    assert exit_info.value.code == 2
    assert "--layout-set" in capsys.readouterr().err
    assert not (tmp_path / "w").exists()
