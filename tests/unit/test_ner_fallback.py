"""The NER fallback of extraction: used for unlabelled parties and goods, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_extract_rendered import FIELDS, make_spec
from tests.unit.test_layout import pages_of, row
from tradeverify.config import Settings
from tradeverify.domain import DocumentResult
from tradeverify.extract import fallback
from tradeverify.extract.fields import extract_fields
from tradeverify.ingest.readers import read_pages
from tradeverify.nlp import entities
from tradeverify.pipeline import review_hints
from tradeverify_train.synth.docspec import LAYOUTS
from tradeverify_train.synth.render import render_pdf

SELLER, ADDRESS = "Zenith Resources Pte. Ltd.", ("1 Marina Boulevard, #20-01", "Singapore")
BUYER, BUYER_ADDRESS = "Qingdao Huaxin Metals Co., Ltd.", ("88 Harbour Road", "Qingdao, China")


def invoice_without_party_labels() -> list:
    """An invoice whose parties stand under captions the vocabulary does not know."""
    return pages_of(
        row(0.05, (0.40, "COMMERCIAL INVOICE")),
        row(0.10, (0.05, "Remitter"), (0.55, "Invoice No.: INV-7781")),
        row(0.12, (0.05, SELLER), (0.55, "Invoice Date: 14 March 2025")),
        row(0.14, (0.05, ADDRESS[0])),
        row(0.16, (0.05, ADDRESS[1])),
        row(0.20, (0.05, "Principal")),
        row(0.22, (0.05, BUYER)),
        row(0.24, (0.05, BUYER_ADDRESS[0])),
        row(0.26, (0.05, BUYER_ADDRESS[1])),
        row(0.30, (0.05, "Total Amount: USD 1,130,599.44")),
    )


def test_unlabelled_parties_come_from_ner_with_low_confidence() -> None:
    fields = extract_fields(invoice_without_party_labels(), "commercial_invoice")
    seller, buyer = fields["seller_name"], fields["buyer_name"]
    assert (seller.value, buyer.value) == (SELLER, BUYER)
    review = Settings().review_confidence
    assert seller.confidence == fallback.NER_CONFIDENCE < review
    assert buyer.confidence < review
    assert seller.page == 1 and seller.bbox is not None
    x0, y0, x1, _ = seller.bbox
    assert x0 == pytest.approx(0.05) and y0 == pytest.approx(0.12) and x1 > x0
    assert fields["invoice_number"].confidence == 1.0  # labelled fields keep theirs


def test_ner_guess_appears_in_review_hints() -> None:
    fields = extract_fields(invoice_without_party_labels(), "commercial_invoice")
    document = DocumentResult(file="inv.pdf", doc_type="commercial_invoice", fields=fields)
    hints = {h.field: h for h in review_hints([document], Settings().review_confidence)}
    assert {"seller_name", "buyer_name"} <= set(hints)
    assert hints["seller_name"].bbox == fields["seller_name"].bbox
    assert "invoice_number" not in hints


def test_labelled_party_is_not_handed_out_again() -> None:
    pages = invoice_without_party_labels()
    words = [w for p in pages for w in p.words]
    # Caption the seller with a known label: the model must give the buyer, not the seller again.
    relabelled = [w.__class__("Seller:", w.x0, w.y0, w.x1, w.y1, w.page) if w.text == "Remitter" else w
                  for w in words]
    fields = extract_fields(pages_of(relabelled), "commercial_invoice")
    assert fields["seller_name"].value == SELLER and fields["seller_name"].confidence == 1.0
    assert fields["buyer_name"].value == BUYER and fields["buyer_name"].confidence < 0.6


def test_missing_model_leaves_fields_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_a: object, **_k: object) -> None:
        raise entities.NerModelError("no model")

    monkeypatch.setattr(entities, "load_pipeline", broken)
    fields = extract_fields(invoice_without_party_labels(), "commercial_invoice")
    assert "seller_name" not in fields and fields["invoice_number"].value == "INV-7781"


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("doc_type", list(FIELDS))
def test_generator_documents_never_call_ner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, doc_type: str, layout: str
) -> None:
    def forbidden(*_a: object, **_k: object) -> None:
        raise AssertionError("NER was called for a document whose labels are all known")

    monkeypatch.setattr(entities, "load_pipeline", forbidden)
    monkeypatch.setattr(entities, "find_line_entities", forbidden)
    render_pdf(make_spec(doc_type, layout), tmp_path / "doc.pdf")
    pages, _ = read_pages(tmp_path / "doc.pdf")
    assert extract_fields(pages, doc_type)  # would raise had a fallback been needed
