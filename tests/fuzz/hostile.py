"""Hostile documents, each built from a few bytes of code: bombs, hangs and lies about themselves.

Every builder writes one file and returns its path. Used by the fuzz corpus (tests/fuzz) and by
benchmarks/hostile.py; all are deterministic.
"""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw


def raw_pdf(objects: list[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """Return a PDF of these object bodies (object i+1 is objects[i]) with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, root, trailer_extra, xref))
    return out.getvalue()


def stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    """Return a stream object body."""
    if compress:
        data, extra = zlib.compress(data, 9), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page_pdf(content: bytes, resources: bytes = b"<< >>", media: bytes = b"[0 0 612 792]",
              more: list[bytes] | None = None, compress: bool = False) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources %s /Contents 4 0 R >>"
               % (media, resources),
               stream(content, compress=compress)]
    return raw_pdf(objects + (more or []))


_FONT = b"/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"


def nested_xobjects(path: Path, depth: int = 12, fan_out: int = 8) -> Path:
    """Forms that each draw the next one ``fan_out`` times: fan_out ** depth draws from 6 KB."""
    forms = []
    first = 5  # object number of the first form
    for level in range(depth):
        if level == depth - 1:
            body = b"BT /F1 4 Tf 1 1 Td (x) Tj ET"
            res = b"<< %s >>" % _FONT
        else:
            body = b" ".join([b"q 0.9 0 0 0.9 1 1 cm /X Do Q"] * fan_out)
            res = b"<< /XObject << /X %d 0 R >> >>" % (first + level + 1)
        forms.append(stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources %s"
                            % res))
    content = b"q /X Do Q BT /F1 12 Tf 72 720 Td (COMMERCIAL INVOICE) Tj ET"
    path.write_bytes(_page_pdf(content, b"<< /XObject << /X 5 0 R >> %s >>" % _FONT, more=forms))
    return path


def text_operators(path: Path, count: int = 2_000_000) -> Path:
    """One page of ``count`` one-letter text operators, compressed to a few tens of KB."""
    content = b"BT /F1 1 Tf " + b"(a) Tj " * count + b"ET"
    path.write_bytes(_page_pdf(content, b"<< %s >>" % _FONT, compress=True))
    return path


def inflate_bomb(path: Path, gib: float = 1.0) -> Path:
    """A content stream of zeros that inflates about 1000:1 (1 GiB from ~1 MB)."""
    size = int(gib * (1 << 30))
    comp = zlib.compressobj(9)
    chunk, parts, left = b"\0" * (1 << 24), [], size
    while left > 0:
        parts.append(comp.compress(chunk[: min(left, len(chunk))]))
        left -= len(chunk)
    data = b"".join(parts) + comp.flush()
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>", body]
    path.write_bytes(raw_pdf(objects))
    return path


def sparse_pdf(path: Path, mb: int = 49) -> Path:
    """A file that starts ``%PDF-1.4`` and is otherwise a hole of zeros (no disk used)."""
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(mb * 1024 * 1024)
    return path


def zero_mediabox(path: Path) -> Path:
    """An invoice whose page claims a MediaBox of [0 0 0 0]."""
    content = b"BT /F1 12 Tf 72 720 Td (COMMERCIAL INVOICE) Tj 0 -20 Td (Invoice No.: INV-1) Tj ET"
    path.write_bytes(_page_pdf(content, b"<< %s >>" % _FONT, media=b"[0 0 0 0]"))
    return path


def broken_encrypt(path: Path) -> Path:
    """A PDF whose trailer points at an encryption dictionary that is garbage."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               stream(b"BT ET"), b"<< /Filter /Standard /V 9 /R 99 /O (x) /U (y) /P -4 >>"]
    path.write_bytes(raw_pdf(objects, trailer_extra=b"/Encrypt 5 0 R /ID [<00> <00>] "))
    return path


def tiff_frames(path: Path, frames: int = 50, size: tuple[int, int] = (1700, 2200)) -> Path:
    """A multi-frame TIFF of text pages (legal, but slow to OCR)."""
    pages = []
    for i in range(frames):
        image = Image.new("L", size, 255)
        draw = ImageDraw.Draw(image)
        for line in range(40):
            draw.text((100, 100 + 48 * line), f"Annex {i + 1} line {line + 1} of the packing list", fill=0)
        pages.append(image)
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="tiff_lzw")
    return path


def fifo(path: Path) -> Path:
    """A named pipe with a document's name: opening it for reading would block forever."""
    os.mkfifo(path)
    return path


def symlink_to_zero(path: Path) -> Path:
    """A symlink with a document's name that points at /dev/zero."""
    path.symlink_to("/dev/zero")
    return path


def directory(path: Path) -> Path:
    """A directory with a document's name."""
    path.mkdir()
    return path


HOSTILE: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "nested_xobjects": ("invoice.pdf", nested_xobjects),
    "text_operators": ("invoice.pdf", text_operators),
    "inflate_bomb": ("invoice.pdf", inflate_bomb),
    "sparse_pdf": ("invoice.pdf", sparse_pdf),
    "zero_mediabox": ("invoice.pdf", zero_mediabox),
    "broken_encrypt": ("invoice.pdf", broken_encrypt),
    "fifo": ("invoice.pdf", fifo),
    "symlink_to_zero": ("invoice.pdf", symlink_to_zero),
    "directory": ("invoice.pdf", directory),
}
