"""Bilingual English + Simplified Chinese documents: vocabulary, rendering, extraction, OCR."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from tests.unit.test_extract_rendered import FIELDS, make_spec, wrong_fields
from tradeverify.domain import PageText, Word
from tradeverify.extract import vocab
from tradeverify.extract.classify import classify, contract_role
from tradeverify.extract.document import extract_document
from tradeverify.extract.normalize import parse_date
from tradeverify.ingest.cjk import join_cjk, overlay
from tradeverify.ingest.ocr import installed_languages
from tradeverify_train.synth.docspec import DocSpec
from tradeverify_train.synth.generate import bilingual_variant
from tradeverify_train.synth.render import document_title, printed_label, render_pdf, zh_title
from tradeverify_train.synth.scan import scan_document

DEV_LAYOUTS = ("A", "B", "C", "D")
# Labelled in Chinese alone; the other fields print "中文 English" (where it fits).
ZH_ONLY = frozenset({"bl_number", "invoice_number", "seller_name", "gross_weight_kg", "quantity"})


def bilingual(doc_type: str, layout: str, *, zh_dates: bool = True, role: str = "sale") -> DocSpec:
    return replace(make_spec(doc_type, layout, role), lang="en+zh", zh_only=ZH_ONLY, zh_dates=zh_dates)


def text_of(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


# --- vocabulary -----------------------------------------------------------------------------


def test_loader_merges_chinese_labels_after_the_english_ones() -> None:
    english, merged = vocab.field_labels("en"), vocab.field_labels()
    assert "zh" in vocab.language_files()
    for name, variants in english.items():
        assert merged[name][: len(variants)] == variants, name  # English indexes never move
    assert "提单号" in merged["bl_number"] and "发票号码" in merged["invoice_number"]
    assert "提单号 B/L No." in merged["bl_number"]  # bilingual pairs are built, not listed
    assert "销售合同" in vocab.title_labels()["sales_contract"]
    assert "提单号" not in english["bl_number"] and vocab.field_labels("zh")["bl_number"][0] == "提单号"


def test_every_chinese_field_and_title_names_a_known_one() -> None:
    assert set(vocab.field_labels("zh")) <= set(vocab.field_labels("en"))
    assert set(vocab.title_labels("zh")) == set(vocab.title_labels("en"))


def test_chinese_dates_normalize() -> None:
    assert parse_date("2025年3月12日").value == "2025-03-12"
    assert parse_date("开船日期 2025 年 12 月 1 日").value == "2025-12-01"


# --- generator and rendering --------------------------------------------------------------------


def test_bilingual_rate_draws_languages_from_its_own_stream() -> None:
    spec = make_spec("bill_of_lading", "A")
    assert bilingual_variant(spec, random.Random(1), 0.0) is spec
    again = bilingual_variant(spec, random.Random(1), 1.0)
    assert again.lang == "en+zh" and again.truth()["lang"] == "en+zh"
    assert "lang" not in spec.truth()  # English truth files keep their bytes


@pytest.mark.parametrize("layout", [*DEV_LAYOUTS, "E", "F"])
def test_bilingual_render_prints_chinese_titles_labels_and_dates(tmp_path: Path, layout: str) -> None:
    spec = bilingual("bill_of_lading", layout)
    render_pdf(spec, tmp_path / "bl.pdf")
    text = text_of(tmp_path / "bl.pdf")
    assert "提单" in text and document_title(spec).upper() in text.upper()
    assert "开船日期" in text or "装船日期" in text
    assert "2025年4月9日" in text and "OSLB123456789" in text
    for name in ("bl_number", "gross_weight_kg"):  # Chinese alone
        assert printed_label(spec, name) in text and printed_label(spec, name).isascii() is False


def test_bilingual_labels_pair_chinese_with_the_layouts_english() -> None:
    spec = bilingual("commercial_invoice", "A")
    assert printed_label(spec, "vessel_name") == "船名 Vessel"
    assert printed_label(spec, "invoice_number") == "发票号码"
    assert printed_label(replace(spec, lang="en"), "vessel_name") == "Vessel"
    assert zh_title(replace(spec, lang="en")) is None
    purchase = bilingual("sales_contract", "A", role="purchase")
    assert (zh_title(purchase), zh_title(bilingual("sales_contract", "A"))) == ("采购合同", "销售合同")


def test_english_documents_do_not_embed_the_cjk_font(tmp_path: Path) -> None:
    render_pdf(make_spec("bill_of_lading", "A"), tmp_path / "en.pdf")
    render_pdf(bilingual("bill_of_lading", "A"), tmp_path / "zh.pdf")
    assert b"WQY" not in (tmp_path / "en.pdf").read_bytes()
    assert (tmp_path / "zh.pdf").read_bytes() == _render_again(tmp_path, bilingual("bill_of_lading", "A"))


def _render_again(tmp_path: Path, spec: DocSpec) -> bytes:
    render_pdf(spec, tmp_path / "again.pdf")
    return (tmp_path / "again.pdf").read_bytes()


# --- extraction ------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", DEV_LAYOUTS)
@pytest.mark.parametrize("doc_type", list(FIELDS))
def test_bilingual_digital_documents_read_exactly(tmp_path: Path, doc_type: str, layout: str) -> None:
    spec = bilingual(doc_type, layout, zh_dates=layout in "AC")
    render_pdf(spec, tmp_path / "doc.pdf")
    result = extract_document(tmp_path / "doc.pdf")
    assert (result.doc_type, result.errors) == (doc_type, [])
    assert wrong_fields(result, spec) == {}


@pytest.mark.parametrize("layout", DEV_LAYOUTS)
def test_chinese_titles_classify_and_give_the_contract_role(tmp_path: Path, layout: str) -> None:
    spec = bilingual("sales_contract", layout, role="purchase")
    render_pdf(spec, tmp_path / "pc.pdf")
    result = extract_document(tmp_path / "pc.pdf")
    assert (result.doc_type, result.contract_role) == ("sales_contract", "purchase")


def test_a_chinese_title_alone_names_the_type() -> None:
    page = _page([("装箱单", 0.4, 0.05, 0.6, 0.08), ("采购合同", 0.1, 0.5, 0.2, 0.51)])  # quoted small
    assert classify(page)[0] == "packing_list"
    assert contract_role(_page([("采购合同", 0.4, 0.05, 0.6, 0.08)])) == "purchase"


def _page(words: list[tuple[str, float, float, float, float]]) -> list[PageText]:
    return [PageText(1, tuple(Word(t, x0, y0, x1, y1, 1, 1.0) for t, x0, y0, x1, y1 in words), False)]


# --- OCR -----------------------------------------------------------------------------------------


def test_join_cjk_joins_chinese_runs_and_dates_but_not_latin_words() -> None:
    # "2025" spans the whole date, as Tesseract's box of a mixed run does.
    spans = [
        ("提单", 0.10, 0.14),
        ("号", 0.141, 0.16),
        (":", 0.161, 0.165),
        ("B/L", 0.17, 0.19),
        ("2025", 0.30, 0.40),
        ("年", 0.33, 0.34),
        ("3", 0.34, 0.35),
        ("月", 0.35, 0.36),
    ]
    words = [Word(text, x0, 0.10, x1, 0.12, 1, 0.9) for text, x0, x1 in spans]
    assert [w.text for w in join_cjk(words, 1.0)] == ["提单号:", "B/L", "2025年3月"]


def test_overlay_replaces_the_english_readings_garbage_under_chinese_words() -> None:
    english = [Word("RA:", 0.10, 0.10, 0.16, 0.12, 1, 0.67), Word("Seller:", 0.17, 0.10, 0.22, 0.12, 1, 0.95)]
    chinese = [Word("卖方:", 0.10, 0.10, 0.161, 0.12, 1, 0.93)]
    assert [w.text for w in overlay(english, chinese)] == ["卖方:", "Seller:"]
    # An unreadable Chinese word is left out; it clears only unsure English words under it.
    unreadable = [replace(chinese[0], conf=0.05)]
    assert [w.text for w in overlay(english, unreadable)] == ["RA:", "Seller:"]
    unsure = [replace(english[0], text="ENE", conf=0.55), english[1]]
    assert [w.text for w in overlay(unsure, unreadable)] == ["Seller:"]


@pytest.mark.skipif("chi_sim" not in installed_languages(), reason="tesseract-ocr-chi-sim missing")
def test_ocr_of_a_bilingual_scan_reads_chinese_labels(tmp_path: Path) -> None:
    spec = bilingual("bill_of_lading", "A")
    render_pdf(spec, tmp_path / "bl.pdf")
    scan_document(tmp_path / "bl.pdf", tmp_path / "bl.png", seed=3)
    result = extract_document(tmp_path / "bl.png")
    assert result.ocr and result.doc_type == "bill_of_lading"
    raw = " ".join(f.raw for f in result.fields.values() if f.raw)
    assert "2025年4月9日" in raw or "2025年4月10日" in raw
    # bl_number and gross_weight_kg are labelled in Chinese alone: read only if Chinese is.
    keys = ("bl_number", "vessel_name", "port_of_loading", "shipped_on_board_date", "gross_weight_kg")
    assert wrong_fields(result, spec, keys) == {}


def test_chinese_pass_runs_only_on_unsure_pages_and_keeps_only_chinese_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PIL import Image

    from tradeverify.ingest import ocr

    chinese_reading = [Word("提单号", 0.1, 0.1, 0.16, 0.12, 1, 0.9),
                       Word("PCSU8446468，", 0.3, 0.1, 0.4, 0.12, 1, 0.9)]  # fmt: skip
    calls: list[str] = []

    def fake_recognize(gray: Image.Image, page: int, lang: str, file: str, config: str = "") -> list[Word]:
        calls.append(lang)
        return chinese_reading

    monkeypatch.setattr(ocr, "_recognize", fake_recognize)
    monkeypatch.setattr(ocr, "chinese_available", lambda lang: True)
    gray = Image.new("L", (100, 100), 255)
    sure = [Word(f"w{i}", 0.0, 0.0, 0.1, 0.1, 1, 0.95) for i in range(40)]
    assert ocr._chinese_words(gray, sure, 1, "eng", "x") == [] and calls == []
    unsure = sure[:30] + [replace(w, conf=0.3) for w in sure[30:]]
    assert [w.text for w in ocr._chinese_words(gray, unsure, 1, "eng", "x")] == ["提单号"]
    assert calls == ["chi_sim"]


def test_missing_chi_sim_falls_back_to_english_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from tradeverify.ingest import ocr

    monkeypatch.setattr(ocr, "installed_languages", lambda: frozenset({"eng", "osd"}))
    ocr.chinese_available.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="tradeverify.ingest.ocr"):
            assert ocr.chinese_available("eng") is False
        assert "tesseract-ocr-chi-sim" in caplog.text
        assert ocr.chinese_available("eng+chi_sim") is False  # one reading already does both
    finally:
        ocr.chinese_available.cache_clear()


def test_a_labels_colon_read_with_its_value_goes_back_to_the_label() -> None:
    words = [Word("开票日期", 0.10, 0.10, 0.18, 0.12, 1, 0.9), Word(":2025", 0.181, 0.10, 0.25, 0.12, 1, 0.9),
             Word("年", 0.25, 0.10, 0.26, 0.12, 1, 0.9)]  # fmt: skip
    assert [w.text for w in join_cjk(words, 1.0)] == ["开票日期:", "2025年"]


def test_lone_chinese_characters_do_not_replace_sure_english_words() -> None:
    english = [Word("Contract", 0.10, 0.10, 0.16, 0.12, 1, 0.93), Word("#:", 0.165, 0.10, 0.18, 0.12, 1, 0.9)]
    guess = [Word("具", 0.165, 0.10, 0.18, 0.12, 1, 0.47)]
    assert [w.text for w in overlay(english, guess)] == ["Contract", "#:"]
    # A Chinese label whose colon only the English reading saw keeps it.
    label = [Word("总数量", 0.10, 0.10, 0.15, 0.12, 1, 0.96)]
    garbled = [Word("Bim:", 0.12, 0.10, 0.16, 0.12, 1, 0.3)]
    assert [w.text for w in overlay(garbled, label)] == ["总数量:"]
