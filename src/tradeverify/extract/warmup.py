"""Warm a reader process: read one small built-in invoice before the first real document.

Extraction loads its vocabularies, field rankers, document-type model, port and country lists
and month names on first use. Read in the worker's start-up, while the caller is still
importing, that first-use cost (0.9 s measured on a digital invoice) leaves the first real
document's wait. The page is built here as PDF bytes (PDF 1.4, one page, Helvetica), so the
warm-up needs no file shipped with the package and no PDF library to write it.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from tradeverify.config import Settings
from tradeverify.extract.document import extract_document

log = logging.getLogger(__name__)

# Captions, a port, a date, amounts and a table: what a first document exercises.
LINES = (
    "COMMERCIAL INVOICE",
    "Invoice No.: WARM-0001",
    "Invoice Date: 12 Sept 2025",
    "Seller: Warm Up Trading Co., Ltd.",
    "Buyer: Example Metals GmbH",
    "Port of Loading: Shanghai, China",
    "Port of Discharge: Rotterdam, Netherlands",
    "Vessel: GLOBAL VOYAGER",
    "Voyage No.: V-202",
    "Container No.: MSCU1234565",
    "Description of Goods: Copper cathodes",
    "HS Code: 740311",
    "Quantity: 25.000 MT",
    "Unit Price: USD 8,400.00",
    "Total Amount: USD 210,000.00",
    "Incoterms: CIF Rotterdam",
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def invoice_pdf() -> bytes:
    """Return a one-page text PDF printing :data:`LINES` (valid cross-reference table)."""
    stream = "BT /F1 10 Tf 50 780 Td 14 TL " + " ".join(f"({_escape(t)}) '" for t in LINES) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode("ascii")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)


def warm_up(settings: Settings) -> int:
    """Read the built-in invoice once; return how many fields it gave (0 means not warmed)."""
    with tempfile.TemporaryDirectory(prefix="tradeverify-warm-") as tmp:
        path = Path(tmp) / "invoice.pdf"
        path.write_bytes(invoice_pdf())
        result = extract_document(path, settings)
    if result.errors:  # a warm-up that failed costs the first document its load time, nothing more
        log.warning("reader warm-up: %s", "; ".join(e.message for e in result.errors))
    return len(result.fields)
