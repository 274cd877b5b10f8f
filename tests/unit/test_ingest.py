"""Reading files: routing by magic bytes, text layer vs OCR, limits and typed errors."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from tradeverify.config import Settings
from tradeverify.errors import (
    CorruptDocumentError,
    DocumentReadError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    InputError,
    OcrError,
    TradeVerifyError,
    UnsupportedFileTypeError,
)
from tradeverify.extract.document import extract_document
from tradeverify.ingest import read_pages, sniff
from tradeverify.ingest.skew import deskew, estimate_skew

LINES = ("Invoice No.: INV-88213", "Total Amount: 1,130,600.00")


def make_pdf(path: Path, pages: int = 1, **canvas_args: object) -> Path:
    """Write a small text PDF (300 x 120 pt pages) with two lines per page."""
    canvas = Canvas(str(path), pagesize=(300, 120), **canvas_args)
    for _ in range(pages):
        canvas.setFont("Helvetica", 12)
        for i, line in enumerate(LINES):
            canvas.drawString(20, 90 - 24 * i, line)
        canvas.showPage()
    canvas.save()
    return path


def page_image(tmp_path: Path) -> Image.Image:
    """Rasterize the small PDF at 200 dpi, as a scanner would."""
    pdf = pdfium.PdfDocument(str(make_pdf(tmp_path / "src.pdf")))
    try:
        return pdf[0].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width: int, height: int) -> bytes:
    """Return a PNG declaring a size in its header, with a few bytes of pixel data only."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\0" * 64))


# --- happy paths ----------------------------------------------------------------------------


def test_text_pdf_words_are_normalized(tmp_path: Path) -> None:
    pages, used_ocr = read_pages(make_pdf(tmp_path / "inv.pdf", pages=2))
    assert not used_ocr and [p.number for p in pages] == [1, 2]
    words = pages[0].words
    assert [w.text for w in words[:3]] == ["Invoice", "No.:", "INV-88213"]
    assert all(0 <= w.x0 < w.x1 <= 1 and 0 <= w.y0 < w.y1 <= 1 for w in words)
    assert all(w.conf == 1.0 and w.page == 1 for w in words)
    assert words[0].x0 == pytest.approx(20 / 300)


@pytest.mark.parametrize(("suffix", "fmt"), [(".png", "PNG"), (".jpg", "JPEG"), (".tif", "TIFF")])
def test_images_are_ocrd(tmp_path: Path, suffix: str, fmt: str) -> None:
    path = tmp_path / f"scan{suffix}"
    page_image(tmp_path).save(path, fmt)
    pages, used_ocr = read_pages(path)
    assert used_ocr and len(pages) == 1 and pages[0].ocr
    texts = [w.text for w in pages[0].words]
    assert "INV-88213" in texts and "1,130,600.00" in texts
    assert all(0 < w.conf <= 1 and 0 <= w.x0 < w.x1 <= 1 for w in pages[0].words)


def test_image_only_pdf_page_is_ocrd(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    page_image(tmp_path).save(path, "PDF", resolution=200.0)
    pages, used_ocr = read_pages(path)
    assert used_ocr and "INV-88213" in [w.text for w in pages[0].words]


def test_routing_ignores_the_extension(tmp_path: Path) -> None:
    pdf_named_png = tmp_path / "really_a_pdf.png"
    pdf_named_png.write_bytes(make_pdf(tmp_path / "a.pdf").read_bytes())
    pages, used_ocr = read_pages(pdf_named_png)
    assert not used_ocr and pages[0].words[0].text == "Invoice"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\xef\xbb\xbf%PDF-1.4", "pdf"),  # junk before the header is tolerated
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"II*\x00", "tiff"),
        (b"PK\x03\x04", None),
        (b"hello", None),
    ],
)
def test_sniff(head: bytes, kind: str | None) -> None:
    assert sniff(head) == kind


# --- bad inputs -------------------------------------------------------------------------------


def _corrupt_pdf(tmp_path: Path) -> Path:
    data = make_pdf(tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def _garbage_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"\x00not really a pdf" * 20)
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    return path


def _encrypted(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "locked.pdf", encrypt="secret")


def _no_pages(tmp_path: Path) -> Path:
    path = tmp_path / "nopages.pdf"
    Canvas(str(path)).save()  # a canvas saved before any page is drawn has none
    return path


def _docx(tmp_path: Path) -> Path:
    path = tmp_path / "contract.docx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64)
    return path


def _text(tmp_path: Path) -> Path:
    path = tmp_path / "invoice.pdf"
    path.write_text("COMMERCIAL INVOICE\nInvoice No.: 1\n")
    return path


def _truncated_png(tmp_path: Path) -> Path:
    path = tmp_path / "cut.png"
    page_image(tmp_path).save(path, "PNG")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def _huge_header_png(tmp_path: Path) -> Path:
    # 9000 x 9000 declared, no pixel data: only a header check can say "too large".
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header(9000, 9000))
    return path


def _giant_header_png(tmp_path: Path) -> Path:
    # Far beyond PIL's own decompression-bomb limit.
    path = tmp_path / "giant.png"
    path.write_bytes(png_header(100_000, 100_000))
    return path


BAD: list[tuple[Callable[[Path], Path], type[TradeVerifyError]]] = [
    (_corrupt_pdf, CorruptDocumentError),
    (_garbage_pdf, CorruptDocumentError),
    (_empty, EmptyDocumentError),
    (_encrypted, EncryptedDocumentError),
    (_no_pages, EmptyDocumentError),
    (_docx, UnsupportedFileTypeError),
    (_text, UnsupportedFileTypeError),
    (_truncated_png, CorruptDocumentError),
    (_huge_header_png, DocumentTooLargeError),
    (_giant_header_png, DocumentTooLargeError),
]


@pytest.mark.parametrize(("make", "error"), BAD, ids=[m.__name__.strip("_") for m, _ in BAD])
def test_bad_input_raises_typed_error(
    tmp_path: Path, make: Callable[[Path], Path], error: type[TradeVerifyError]
) -> None:
    path = make(tmp_path)
    with pytest.raises(error) as info:
        read_pages(path)
    assert isinstance(info.value, DocumentReadError)
    assert path.name in info.value.message and info.value.file is not None


@pytest.mark.parametrize(("make", "error"), BAD, ids=[m.__name__.strip("_") for m, _ in BAD])
def test_extract_document_reports_instead_of_raising(
    tmp_path: Path, make: Callable[[Path], Path], error: type[TradeVerifyError]
) -> None:
    path = make(tmp_path)
    result = extract_document(path)
    assert result.file == path.name and result.fields == {} and result.doc_type == "unknown"
    assert [(e.code, e.file) for e in result.errors] == [(error.code, path.name)]
    assert path.name in result.errors[0].message


def test_too_many_pages(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "long.pdf", pages=3)
    with pytest.raises(DocumentTooLargeError, match="long.pdf: 3 pages"):
        read_pages(path, Settings(max_pages=2))
    result = extract_document(path, Settings(max_pages=2))
    assert result.errors[0].code == "document_too_large"


def test_too_many_pixels_checked_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    Image.new("1", (4000, 4000), 1).save(path)
    with pytest.raises(DocumentTooLargeError, match="4000x4000"):
        read_pages(path, Settings(max_image_pixels=1_000_000))


def test_too_many_bytes(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "inv.pdf")
    with pytest.raises(DocumentTooLargeError, match="bytes"):
        read_pages(path, Settings(max_file_bytes=100))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nothere.pdf"):
        read_pages(tmp_path / "nothere.pdf")
    assert extract_document(tmp_path / "nothere.pdf").errors[0].code == "input_error"


def test_tesseract_failure_is_ocr_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise pytesseract.TesseractError(1, "simulated crash")

    monkeypatch.setattr(pytesseract, "image_to_data", broken)
    path = tmp_path / "scan.png"
    page_image(tmp_path).save(path, "PNG")
    with pytest.raises(OcrError, match="scan.png"):
        read_pages(path)
    assert extract_document(path).errors[0].code == "ocr_failed"


def test_blank_image_is_unknown_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (400, 300), 255).save(path)
    result = extract_document(path)
    assert result.ocr and result.pages == 1 and result.doc_type == "unknown"
    assert [e.code for e in result.errors] == ["extraction_failed"]


@pytest.mark.parametrize("angle", [-1.2, 0.0, 0.8])
def test_estimate_skew_undoes_a_rotation(tmp_path: Path, angle: float) -> None:
    skewed = page_image(tmp_path).rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert estimate_skew(skewed) == pytest.approx(-angle, abs=0.15)


def test_a_page_turned_a_tenth_of_a_degree_is_read_as_it_is(tmp_path: Path) -> None:
    """Undoing 0.1 degree only resamples the glyphs; from 0.2 degree on the page is straightened."""
    page = page_image(tmp_path)
    assert deskew(page, 0.1) is page
    turned = deskew(page, -0.5)
    assert turned is not page and turned.size == page.size


def test_header_is_checked_before_pil_decodes(tmp_path: Path) -> None:
    # 81 Mpx is under PIL's own bomb error limit, so only our header check can stop it.
    with pytest.raises(DocumentTooLargeError, match="9000x9000 pixels"):
        read_pages(_huge_header_png(tmp_path))
