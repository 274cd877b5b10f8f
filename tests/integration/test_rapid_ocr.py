"""The second OCR engine (RapidOCR, bundled ONNX models) and when the auto engine calls it."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tradeverify.config import Settings
from tradeverify.domain import Word
from tradeverify.ingest import ocr
from tradeverify.ingest.rapid import rapid_words

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _page(lines: list[str], size: int = 40) -> Image.Image:
    image = Image.new("L", (1200, 120 + 80 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype(FONT, size)
    except OSError:
        font = ImageFont.load_default(size)
    for i, text in enumerate(lines):
        draw.text((60, 60 + 80 * i), text, fill=0, font=font)
    return image


def test_rapid_words_have_text_boxes_and_ocr_confidence() -> None:
    words = rapid_words(_page(["GRAND TOTAL 12.50", "Date 25/01/2018"]), 1, file="t.png")
    texts = [w.text for w in words]
    assert "12.50" in " ".join(texts) and "25/01/2018" in " ".join(texts)
    for w in words:
        assert 0.0 <= w.x0 < w.x1 <= 1.0 and 0.0 <= w.y0 < w.y1 <= 1.0
        assert w.page == 1 and 0.0 < w.conf < 1.0  # below 1: the extractor treats it as OCR
    total = next(w for w in words if "12.50" in w.text)
    date = next(w for w in words if "25/01/2018" in w.text)
    assert total.y1 <= date.y0  # reading order and geometry kept


def test_blank_page_gives_no_words() -> None:
    assert rapid_words(Image.new("L", (600, 400), 255), 1, file="blank.png") == []


def _words(confs: list[float]) -> list[Word]:
    return [Word("w", 0.1, 0.1, 0.2, 0.2, 1, c) for c in confs]


def test_a_page_reads_badly_when_few_of_its_words_are_sure() -> None:
    assert not ocr.reads_badly(_words([0.95] * 99 + [0.3]))
    assert ocr.reads_badly(_words([0.95] * 8 + [0.3] * 2))
    assert not ocr.reads_badly([])  # judged by its ink instead


def test_a_blank_page_is_not_read_twice() -> None:
    blank = Image.new("L", (800, 1000), 255)
    assert ocr.ink_share(blank) == 0.0 and ocr.ink_share(_page(["TOTAL 12.50"])) > 0.0
    assert ocr.read_page(blank, 1, Settings(ocr_engine="auto"), file="blank.png") == []


RECEIPT = Path(__file__).parents[1] / "golden" / "outside" / "receipt_217.jpg"  # a real SROIE scan


def test_auto_hands_a_page_tesseract_reads_badly_to_rapidocr() -> None:
    image = Image.open(RECEIPT)
    tesseract = ocr.read_page(image, 1, Settings(ocr_engine="tesseract"), file=RECEIPT.name)
    assert ocr.reads_badly(tesseract)  # a faint thermal receipt: under 95 % of its words sure
    rapid = ocr.read_page(image, 1, Settings(ocr_engine="rapidocr"), file=RECEIPT.name)
    auto = ocr.read_page(image, 1, Settings(ocr_engine="auto"), file=RECEIPT.name)
    assert [w.text for w in auto] == [w.text for w in rapid] != [w.text for w in tesseract]


def test_auto_keeps_tesseract_on_a_clean_page() -> None:
    page = _page(["COMMERCIAL INVOICE", "Invoice No. INV-2025-0042", "Total USD 1,234.50"])
    auto = ocr.read_page(page, 1, Settings(ocr_engine="auto"), file="clean.png")
    tesseract = ocr.read_page(page, 1, Settings(ocr_engine="tesseract"), file="clean.png")
    assert [w.text for w in auto] == [w.text for w in tesseract]
