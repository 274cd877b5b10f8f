"""Bad documents inside a submission: a typed error on the document, the rest still scored.

Issue "Bad input, each with a test": encrypted PDF, truncated PDF, 0-page PDF, a 300-page PDF
(configurable limit, clear error), a 30000x30000 image (decompression-bomb guard), a PDF with
JavaScript and an embedded file (ignored, never executed), a photo that is not a document.

Each case runs ``extract_document`` on the file, then ``verify_submission`` on a copy of
``clean_digital`` with the file added: the five good documents must come out exactly as without
it, with the same score. Reader-level checks (``read_pages`` raising typed exceptions on small
inputs) are in tests/unit/test_ingest.py and are not repeated here.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFile, ImageFilter, TiffImagePlugin
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from tradeverify.config import Settings
from tradeverify.domain import RiskReport
from tradeverify.extract.document import extract_document
from tradeverify.pipeline import Engine, verify_submission

from ..conftest import SAMPLES

CLEAN = SAMPLES / "submissions" / "clean_digital"
GIANT = 30_000  # 30000 x 30000 = 900 Mpx: ~0.9 GB as 8-bit gray if anything decoded it
JAVASCRIPT = (b"app.alert('pwned'); this.exportDataObject({cName: 'invoice.pdf', nLaunch: 2}); "
              b"app.launchURL('http://127.0.0.1:9/pwned', true);")


# --- inputs -------------------------------------------------------------------------------------


def _text_pdf(target: Any, lines: tuple[str, ...], pages: int = 1, **canvas_args: Any) -> None:
    """Write a small text PDF (to a path or a binary file object)."""
    canvas = Canvas(target, pagesize=(300, 120), **canvas_args)
    for page in range(pages):
        for i, line in enumerate(lines):
            canvas.drawString(20, 90 - 20 * i, line.format(page=page + 1))
        canvas.showPage()
    canvas.save()


def make_encrypted(path: Path) -> None:
    _text_pdf(str(path), ("COMMERCIAL INVOICE", "Invoice No.: INV-1"), encrypt="secret")


def make_truncated(path: Path, fraction: float = 0.6) -> None:
    data = (CLEAN / "bill_of_lading.pdf").read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])


def make_zero_pages(path: Path) -> None:
    Canvas(str(path)).save()  # saved before any page is drawn: /Count 0


def make_300_pages(path: Path) -> None:
    _text_pdf(str(path), ("Annex page {page} of 300",), pages=300)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def giant_png(path: Path) -> None:
    """A valid PNG signature + IHDR declaring 30000x30000 gray, and a 20-byte IDAT."""
    ihdr = struct.pack(">IIBBBBB", GIANT, GIANT, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat)
                     + _png_chunk(b"IEND", b""))


def giant_tiff(path: Path) -> None:
    """A little-endian TIFF whose one IFD declares 30000x30000 1-bit pixels, 16 bytes of strip."""
    tags = [(256, 4, GIANT), (257, 4, GIANT), (258, 3, 1), (259, 3, 1), (262, 3, 1), (273, 4, 0),
            (277, 3, 1), (278, 4, GIANT), (279, 4, 16)]
    data_at = 8 + 2 + 12 * len(tags) + 4
    ifd = b"".join(struct.pack("<HHII", tag, kind, 1, data_at if tag == 273 else value)
                   if kind == 4 else struct.pack("<HHIHH", tag, kind, 1, value, 0)
                   for tag, kind, value in tags)  # fmt: skip
    path.write_bytes(b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(tags)) + ifd
                     + struct.pack("<I", 0) + b"\0" * 16)


def giant_jpeg(path: Path) -> None:
    """SOI, a baseline SOF0 declaring 30000x30000 gray, SOS and a few bytes: no real scan data."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, GIANT, GIANT, 1) + b"\x01\x11\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    path.write_bytes(b"\xff\xd8" + sof + sos + b"\0" * 16 + b"\xff\xd9")


def make_photo(path: Path) -> None:
    """A 640x480 'holiday photo': a colour gradient with random blurred shapes, no text."""
    rng = random.Random(7)
    ramp = Image.linear_gradient("L").resize((640, 480))
    image = Image.merge("RGB", (ramp, ramp.rotate(90).resize((640, 480)), Image.new("L", (640, 480), 90)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(640), rng.randrange(480)
        box = (x, y, x + rng.randrange(20, 200), y + rng.randrange(20, 160))
        fill = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=fill)
    image.filter(ImageFilter.GaussianBlur(2)).save(path, "JPEG", quality=85)


def image_only_pdf(path: Path, side: int) -> None:
    """A 300x120 pt page showing one ``side`` x ``side`` 8-bit gray image (flate: a few KB)."""
    pixels = zlib.compress(b"\xff" * side * side, 9)
    content = b"q 300 0 0 120 0 0 cm /Im0 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 120] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (side, side, len(pixels), pixels),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def with_javascript_and_attachment(src: Path, dest: Path, attachment: bytes) -> None:
    """Copy ``src`` with an incremental update adding, on the catalog, an /OpenAction JavaScript,
    a /JavaScript name tree and an embedded file (``attachment``)."""
    data = src.read_bytes()
    root = int(re.findall(rb"/Root (\d+) 0 R", data)[-1])
    size, prev = int(re.findall(rb"/Size (\d+)", data)[-1]), int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    catalog = re.search(rb"\n%d 0 obj\s*<<(.*?)>>\s*endobj" % root, data, re.S)
    assert catalog and b"/Catalog" in catalog.group(1) and b"/Names" not in catalog.group(1)
    js, payload, spec = size, size + 1, size + 2
    objects = {
        root: b"<<%s/OpenAction %d 0 R /Names << /JavaScript << /Names [(init) %d 0 R] >> "
              b"/EmbeddedFiles << /Names [(invoice.pdf) %d 0 R] >> >> >>"
              % (catalog.group(1), js, js, spec),
        js: b"<< /Type /Action /S /JavaScript /JS (%s) >>" % JAVASCRIPT,
        payload: b"<< /Type /EmbeddedFile /Length %d >>\nstream\n%s\nendstream"
                 % (len(attachment), attachment),
        spec: b"<< /Type /Filespec /F (invoice.pdf) /UF (invoice.pdf) /EF << /F %d 0 R >> >>" % payload,
    }  # fmt: skip
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, offsets[n]) for n in sorted(offsets))
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size + 3, root, prev, xref)
    dest.write_bytes(bytes(out))


def _evil_invoice() -> bytes:
    buffer = io.BytesIO()
    _text_pdf(buffer, ("COMMERCIAL INVOICE", "Invoice No.: EVIL-0001", "Total Amount: 1.00"))
    return buffer.getvalue()


# --- helpers ------------------------------------------------------------------------------------

Maker = Callable[[Path], None]
# case -> (file name added to the submission, builder, expected error code)
CASES: dict[str, tuple[str, Maker, str]] = {
    "encrypted": ("annex_locked.pdf", make_encrypted, "document_encrypted"),
    "truncated": ("bill_of_lading_copy.pdf", make_truncated, "document_corrupt"),
    "zero_pages": ("annex_empty.pdf", make_zero_pages, "document_empty"),
    "300_pages": ("annex_300_pages.pdf", make_300_pages, "document_too_large"),
    "30000x30000_png": ("scan_giant.png", giant_png, "document_too_large"),
    "photo": ("IMG_0042.jpg", make_photo, "extraction_failed"),
}


@pytest.fixture(scope="module")
def clean(engine: Engine) -> RiskReport:
    """The untouched sample, for comparison."""
    report = verify_submission(CLEAN, engine)
    assert report.status == "scored" and report.risk.score is not None
    return report


def submission_with(tmp_path: Path, name: str, make: Maker) -> Path:
    """Copy clean_digital and write one extra (or replacing) file ``name`` into it."""
    folder = tmp_path / "submission"
    shutil.copytree(CLEAN, folder)
    make(folder / name)
    return folder


def assert_good_documents_untouched(report: RiskReport, clean: RiskReport, bad: set[str]) -> None:
    """The good documents read exactly as in the clean run and produce the same score.

    The band is the clean run's, but never ``low``: an unreadable document leaves the submission
    incomplete, and missing evidence is not reassurance (its first reason says what is missing).
    """
    good = {d.file: d.model_dump() for d in report.documents if d.file not in bad}
    assert good == {d.file: d.model_dump() for d in clean.documents}
    assert report.risk.score == clean.risk.score
    assert [f.code for f in report.red_flags] == [f.code for f in clean.red_flags]
    if report.status == "scored":
        assert report.risk.band == clean.risk.band and report.reasons == clean.reasons
        return
    assert report.risk.band == ("medium" if clean.risk.band == "low" else clean.risk.band)
    assert report.reasons[0].code == "INCOMPLETE"
    assert all(name in report.reasons[0].message for name in bad)


@pytest.fixture()
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record any attempt to decode pixel data (PIL's load) instead of letting it allocate."""
    calls: list[str] = []

    def refuse(self: Image.Image, *args: object, **kwargs: object) -> None:
        calls.append(f"{type(self).__name__}.load {self.size}")
        raise MemoryError("decoding attempted")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(TiffImagePlugin.TiffImageFile, "load", refuse)  # TIFF has its own load
    return calls


# --- every case: typed error on the document, the rest of the submission scored -------------------


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_document_fails_alone(case: str, tmp_path: Path, engine: Engine, clean: RiskReport) -> None:
    name, make, code = CASES[case]
    folder = submission_with(tmp_path, name, make)
    result = extract_document(folder / name)
    assert [(e.code, e.file) for e in result.errors] == [(code, name)]
    assert name in result.errors[0].message and result.fields == {} and result.doc_type == "unknown"

    report = verify_submission(folder, engine)
    assert report.status == "incomplete"  # a document failed: never "scored", never "failed"
    bad = next(d for d in report.documents if d.file == name)
    assert [e.code for e in bad.errors] == [code]
    assert [(e.code, e.file) for e in report.errors] == [(code, name)]  # nothing else is missing
    assert_good_documents_untouched(report, clean, {name})


def test_all_bad_documents_at_once(tmp_path: Path, engine: Engine, clean: RiskReport) -> None:
    folder = tmp_path / "submission"
    shutil.copytree(CLEAN, folder)
    for name, make, _ in CASES.values():
        make(folder / name)
    report = verify_submission(folder, engine)
    assert report.status == "incomplete"
    assert sorted((e.file, e.code) for e in report.errors) == sorted((n, c) for n, _, c in CASES.values())
    assert_good_documents_untouched(report, clean, {name for name, _, _ in CASES.values()})


# --- case details -------------------------------------------------------------------------------


def test_permissions_only_encryption_is_read(tmp_path: Path) -> None:
    # An owner password with an empty user password only restricts copying/printing: any viewer
    # opens it without asking, and so does the reader. A user password is document_encrypted.
    path = tmp_path / "invoice.pdf"
    encryption = StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0, canModify=0)
    _text_pdf(str(path), ("COMMERCIAL INVOICE", "Invoice No.: INV-1"), encrypt=encryption)
    result = extract_document(path)
    assert result.errors == [] and result.doc_type == "commercial_invoice"
    assert result.value("invoice_number") == "INV-1"


@pytest.mark.parametrize("fraction", [0.05, 0.5, 0.9, 0.99])
def test_truncated_anywhere_is_corrupt(tmp_path: Path, fraction: float) -> None:
    # Cut in the header, the body, the content stream or just the xref/trailer: never a partial read.
    path = tmp_path / "bill_of_lading.pdf"
    make_truncated(path, fraction)
    result = extract_document(path)
    assert [e.code for e in result.errors] == ["document_corrupt"] and result.pages == 0


def test_300_pages_rejected_before_pages_are_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tradeverify.ingest.readers as readers

    parsed: list[int] = []
    text_layer = readers._text_layer

    def spy(page: object, number: int) -> object:
        parsed.append(number)
        return text_layer(page, number)

    monkeypatch.setattr(readers, "_text_layer", spy)
    path = tmp_path / "annex.pdf"
    make_300_pages(path)
    result = extract_document(path, Settings(max_pages=50))  # the default
    assert [e.code for e in result.errors] == ["document_too_large"]
    assert result.errors[0].message == "annex.pdf: 300 pages exceeds the limit of 50"
    assert parsed == []  # the page count is checked before any page's words are read


def test_page_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADEVERIFY_MAX_PAGES", "300")
    settings = Settings()
    assert settings.max_pages == 300
    path = tmp_path / "annex.pdf"
    make_300_pages(path)
    result = extract_document(path, settings)
    assert result.pages == 300 and not result.ocr
    # Read in full; filler pages are no trade document, which is a different, typed error.
    assert [e.code for e in result.errors] == ["extraction_failed"]
    too_small = extract_document(path, Settings(max_pages=299))
    assert too_small.errors[0].message == "annex.pdf: 300 pages exceeds the limit of 299"


@pytest.mark.parametrize("make", [giant_png, giant_tiff, giant_jpeg], ids=["png", "tiff", "jpeg"])
@pytest.mark.parametrize("limit", [80_000_000, 10**12], ids=["default_limit", "limit_raised"])
def test_giant_image_guard_fires_before_decoding(
    tmp_path: Path, make: Maker, limit: int, no_decoding: list[str]
) -> None:
    # With our limit raised past 900 Mpx, PIL's own decompression-bomb error (2 x 89 Mpx) still stops it.
    path = tmp_path / f"scan.{make.__name__.split('_')[1]}"
    make(path)
    assert path.stat().st_size < 200
    result = extract_document(path, Settings(max_image_pixels=limit))
    assert [e.code for e in result.errors] == ["document_too_large"], result.errors
    assert path.name in result.errors[0].message and "pixels" in result.errors[0].message
    assert no_decoding == []


def test_giant_image_inside_a_pdf_is_refused_before_rendering(tmp_path: Path) -> None:
    # The 30000x30000 case scaled down (2000x2000 against a 1 Mpx limit): same code path, 4 MB.
    path = tmp_path / "scan.pdf"
    image_only_pdf(path, 2000)
    result = extract_document(path, Settings(max_image_pixels=1_000_000))
    assert [e.code for e in result.errors] == ["document_too_large"], result.errors
    assert not result.ocr  # refused before rasterizing / OCR


def test_javascript_and_embedded_file_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: Engine, clean: RiskReport
) -> None:
    original = CLEAN / "commercial_invoice.pdf"
    folder = tmp_path / "submission"
    shutil.copytree(CLEAN, folder)
    path = folder / "commercial_invoice.pdf"
    with_javascript_and_attachment(original, path, _evil_invoice())
    with pdfplumber.open(path) as pdf:  # the update is really there: parsers see the action and file
        assert {"OpenAction", "Names"} <= set(pdf.doc.catalog)
    document = pdfium.PdfDocument(str(path))
    assert document.count_attachments() == 1
    document.close()

    def no_processes(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a process was started: {args}")

    before = sorted(p.name for p in tmp_path.rglob("*"))
    with monkeypatch.context() as patch:
        patch.setattr(subprocess.Popen, "__init__", no_processes)
        result = extract_document(path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing dropped on disk
    expected = extract_document(original)
    assert result.errors == [] and result.model_dump() == expected.model_dump()
    assert "EVIL-0001" not in str(result.model_dump())  # the attachment is never read as content

    report = verify_submission(folder, engine)
    assert report.status == "scored" and report.errors == []
    assert_good_documents_untouched(report, clean, bad=set())

