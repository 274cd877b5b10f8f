"""Read a document file into pages of positioned words: PDF text layer, else OCR.

Routing is by magic bytes, never by extension: an upload named ``.pdf`` may be anything. Every
failure becomes a typed :class:`~tradeverify.errors.DocumentReadError` naming the file; the PDF
and imaging libraries raise a zoo of exception types on hostile input, so their calls are
wrapped here and nothing else escapes.
"""

from __future__ import annotations

import os
import stat
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from PIL import Image, ImageSequence

from tradeverify.config import Settings, get_settings
from tradeverify.domain import PageText, Word
from tradeverify.errors import (
    CorruptDocumentError,
    DocumentReadError,
    DocumentTooComplexError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    InputError,
    NotARegularFileError,
    TradeVerifyError,
    UnsupportedFileTypeError,
)
from tradeverify.ingest.cjk import split_scripts
from tradeverify.ingest.ocr import read_page
from tradeverify.ingest.pdf_budget import check_page
from tradeverify.ingest.rotated import is_tilted, tilted_words

# A page with fewer text-layer words than this is treated as a scan and OCR'd.
MIN_TEXT_WORDS = 1
_HEAD_BYTES = 1024  # the PDF header may follow some junk; the spec tolerates 1 KiB of it
PageCount = Callable[[int], None]
Reader = Callable[[Path, Settings, PageCount], list[PageText]]
# What a path that is not a regular file is, for the error message.
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def sniff(head: bytes) -> str | None:
    """Return the file kind ("pdf", "png", "jpeg", "tiff") from its first bytes, else None."""
    if b"%PDF-" in head[:_HEAD_BYTES]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return None


def read_pages(
    path: Path, settings: Settings | None = None, on_pages: PageCount | None = None,
) -> tuple[list[PageText], bool]:
    """Read ``path`` into pages of words; return ``(pages, used_ocr)``.

    ``on_pages`` is told the page count once it is known, before any page is read.
    Raises a :class:`DocumentReadError` subclass (or :class:`InputError` for a missing path).
    """
    settings = settings or get_settings()
    path = Path(path)
    kind = _check_file(path, settings)
    reader: Reader = _read_pdf if kind == "pdf" else _read_image
    try:
        pages = reader(path, settings, on_pages or (lambda _count: None))
    except (MemoryError, RecursionError) as exc:
        raise DocumentTooComplexError(
            f"{path.name}: too complex to read within its budget ({type(exc).__name__})",
            file=str(path)) from exc
    return pages, any(p.ocr for p in pages)


def _regular_size(path: Path) -> int:
    """Return the size of a regular file (symlinks followed); name anything else for what it is."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", file=str(path)) from None
    except OSError as exc:
        raise DocumentReadError(f"{path.name}: cannot be opened ({exc.strerror})", file=str(path)) from exc
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise NotARegularFileError(f"{path.name}: is {kind}, not a document file", file=str(path))
    return info.st_size


def _check_file(path: Path, settings: Settings) -> str:
    """Check existence, size and type before any parser sees the bytes; return the kind."""
    size = _regular_size(path)
    if size == 0:
        raise EmptyDocumentError(f"{path.name}: the file is empty", file=str(path))
    if size > settings.max_file_bytes:
        raise DocumentTooLargeError(
            f"{path.name}: {size:,} bytes exceeds the limit of {settings.max_file_bytes:,}",
            file=str(path),
        )
    with path.open("rb") as fh:
        kind = sniff(fh.read(_HEAD_BYTES))
    if kind is None:
        raise UnsupportedFileTypeError(
            f"{path.name}: not a PDF, PNG, JPEG or TIFF file", file=str(path)
        )
    return kind


# --- PDF ----------------------------------------------------------------------------------------


def _read_pdf(path: Path, settings: Settings, on_pages: PageCount) -> list[PageText]:
    """Read a PDF: text-layer words per page, OCR for pages without a text layer."""
    try:
        with pdfplumber.open(path) as pdf:
            count = len(pdf.pages)
            _check_page_count(path, count, settings)
            on_pages(count)
            for number, page in enumerate(pdf.pages, 1):
                check_page(path, number, page.page_obj, settings)
            layers = [_text_layer(page, number) for number, page in enumerate(pdf.pages, 1)]
            has_images = [bool(page.images) for page in pdf.pages]
            # An embedded image can be a decompression bomb too: check its declared size
            # (pdfplumber reads it from the image dictionary, without decoding) before pdfium does.
            for page in pdf.pages:
                for img in page.images:
                    width, height = img["srcsize"]
                    _check_pixels(path, (int(width), int(height)), settings)
    except (TradeVerifyError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # pdfminer raises anything from KeyError to PSEOF on bad input
        raise _pdf_error(path, exc) from exc
    pages = []
    for number, words in enumerate(layers, 1):
        if len(words) >= MIN_TEXT_WORDS or not has_images[number - 1]:
            pages.append(PageText(number, tuple(words), ocr=False))
        else:
            image = _rasterize(path, number, settings)
            words = read_page(image, number, settings, file=path.name)
            pages.append(PageText(number, tuple(words), ocr=True))
    return pages


def _pdf_error(path: Path, exc: Exception) -> DocumentReadError:
    """Translate a pdfminer/pdfplumber failure into a typed error."""
    cause: Any = exc.args[0] if exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect) or isinstance(exc, PDFPasswordIncorrect):
        return EncryptedDocumentError(
            f"{path.name}: the PDF is password-protected", file=str(path)
        )
    if isinstance(cause, PDFEncryptionError) or isinstance(exc, PDFEncryptionError):
        return CorruptDocumentError(
            f"{path.name}: damaged PDF (its encryption dictionary is damaged or of an unknown kind: "
            f"{cause})", file=str(path))
    detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    return CorruptDocumentError(f"{path.name}: damaged PDF ({detail})", file=str(path))


def _check_page_count(path: Path, count: int, settings: Settings) -> None:
    """Reject documents without pages or with more than the configured maximum."""
    if count == 0:
        raise EmptyDocumentError(f"{path.name}: the PDF has no pages", file=str(path))
    if count > settings.max_pages:
        raise DocumentTooLargeError(
            f"{path.name}: {count} pages exceeds the limit of {settings.max_pages}",
            file=str(path),
        )


def _text_layer(page: Any, number: int) -> list[Word]:
    """Return a pdfplumber page's words with boxes as fractions of the page."""
    left, top, right, bottom = page.bbox
    width, height = (right - left) or 1.0, (bottom - top) or 1.0
    # A stamp's slanted letters fall apart under level word grouping: read them apart.
    tilted = [char for char in page.chars if is_tilted(char)]
    if tilted:
        page = page.filter(lambda obj: obj.get("object_type") != "char" or not is_tilted(obj))
    words = [
        Word(
            str(w["text"]), (w["x0"] - left) / width, (w["top"] - top) / height,
            (w["x1"] - left) / width, (w["bottom"] - top) / height, number, 1.0,
        )
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
        if str(w["text"]).strip()
    ]  # fmt: skip
    words += tilted_words(tilted, (left, top, right, bottom), number)
    return [piece for word in words for piece in split_scripts(word)]


def _rasterize(path: Path, number: int, settings: Settings) -> Image.Image:
    """Render one PDF page for OCR at ``ocr_dpi``, scaled down to stay under the pixel limit."""
    try:
        pdf = pdfium.PdfDocument(str(path))
        try:
            page = pdf[number - 1]
            width, height = page.get_size()
            scale = settings.ocr_dpi / 72.0
            pixels = width * scale * height * scale
            if pixels > settings.max_image_pixels:
                # A huge page is still read, at the largest resolution the limit allows.
                scale *= (settings.max_image_pixels / pixels) ** 0.5
            return page.render(scale=scale, grayscale=True).to_pil()
        finally:
            pdf.close()
    except pdfium.PdfiumError as exc:
        raise CorruptDocumentError(
            f"{path.name}: page {number} cannot be rendered ({exc})", file=str(path)
        ) from exc


# --- images -------------------------------------------------------------------------------------


def _read_image(path: Path, settings: Settings, on_pages: PageCount) -> list[PageText]:
    """OCR a PNG/JPEG/TIFF; each TIFF frame is a page."""
    pages = []
    for number, frame in enumerate(_frames(path, settings, on_pages), 1):
        words = read_page(frame, number, settings, file=path.name)
        pages.append(PageText(number, tuple(words), ocr=True))
    return pages


def _frames(path: Path, settings: Settings, on_pages: PageCount) -> Iterator[Image.Image]:
    """Yield decoded frames after checking frame count and pixel count from the header."""
    try:
        with warnings.catch_warnings():
            # Our own limit (checked below) replaces PIL's decompression-bomb warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                frames = getattr(image, "n_frames", 1)
                _check_page_count(path, frames, settings)
                on_pages(frames)
                _check_pixels(path, image.size, settings)
                for frame in ImageSequence.Iterator(image):
                    _check_pixels(path, frame.size, settings)
                    frame.load()
                    yield frame.copy()
    except (TradeVerifyError, MemoryError, RecursionError):
        raise
    except Image.DecompressionBombError as exc:
        raise DocumentTooLargeError(f"{path.name}: {exc}", file=str(path)) from exc
    except Exception as exc:  # PIL raises OSError, SyntaxError, ValueError... on damaged files
        raise CorruptDocumentError(
            f"{path.name}: damaged image ({type(exc).__name__}: {exc})", file=str(path)
        ) from exc


def _check_pixels(path: Path, size: tuple[int, int], settings: Settings) -> None:
    """Reject an image whose header declares more pixels than allowed, before decoding it."""
    width, height = size
    if width * height > settings.max_image_pixels:
        raise DocumentTooLargeError(
            f"{path.name}: {width}x{height} pixels exceeds the limit of "
            f"{settings.max_image_pixels:,}",
            file=str(path),
        )
    if width == 0 or height == 0:
        raise EmptyDocumentError(f"{path.name}: the image has no pixels", file=str(path))
