"""The reader warm-up: its built-in invoice is a valid PDF that exercises extraction, not NER."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pdfplumber

from tradeverify.config import Settings
from tradeverify.extract.document import extract_document
from tradeverify.extract.warmup import LINES, invoice_pdf, warm_up


def test_invoice_pdf_is_a_valid_pdf_printing_every_line(tmp_path: Path) -> None:
    path = tmp_path / "warm.pdf"
    path.write_bytes(invoice_pdf())
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text()
    assert text.splitlines() == [" ".join(line.split()) for line in LINES]
    assert invoice_pdf() == invoice_pdf()  # the same bytes every time


def test_warm_up_reads_the_invoice_fields(tmp_path: Path) -> None:
    path = tmp_path / "warm.pdf"
    path.write_bytes(invoice_pdf())
    doc = extract_document(path, Settings())
    assert doc.doc_type == "commercial_invoice" and not doc.errors
    values = {k: f.value for k, f in doc.fields.items()}
    assert values["invoice_number"] == "WARM-0001" and values["invoice_date"] == "2025-09-12"
    assert values["total_amount"] == 210000.0 and values["port_of_loading"] == "CNSHA"
    assert warm_up(Settings()) == len(doc.fields)


def test_warm_up_never_loads_the_ner_model() -> None:
    # A fresh interpreter: whether spaCy is imported is a process-wide fact.
    code = ("import sys; from tradeverify.config import Settings; from tradeverify.extract.warmup "
            "import warm_up; n = warm_up(Settings()); print(n, 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    fields, spacy_loaded = out.stdout.split()
    assert int(fields) >= 12 and spacy_loaded == "False"
