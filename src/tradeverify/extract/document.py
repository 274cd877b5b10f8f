"""One document file -> DocumentResult: read, classify, extract. Never raises for bad input."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from tradeverify.config import Settings, get_settings
from tradeverify.domain import DOC_TYPES, DocumentResult, ErrorInfo
from tradeverify.errors import ExtractionError, TradeVerifyError
from tradeverify.extract.classify import UNKNOWN, classify, contract_role
from tradeverify.extract.doctype import load_model
from tradeverify.extract.fields import extract_fields
from tradeverify.extract.layout import build_layout
from tradeverify.extract.profile import profile
from tradeverify.extract.ranker import load_ranker
from tradeverify.ingest import read_pages

log = logging.getLogger(__name__)


def _error(exc: TradeVerifyError, name: str) -> ErrorInfo:
    return ErrorInfo(code=exc.code, message=exc.message, file=name)


def extract_document(
    path: Path, settings: Settings | None = None, *, doc_type: str | None = None,
    on_pages: Callable[[int], None] | None = None,
) -> DocumentResult:
    """Read ``path`` and return its type and canonical fields; errors go into ``errors``.

    ``doc_type`` (e.g. declared in submission.json) skips classification when it is valid.
    ``on_pages`` is told the page count as soon as it is known (the sandbox sizes its budget).
    Raises only ``MemoryError``: the sandbox worker that ran out of memory must not go on.
    """
    path = Path(path)
    result = DocumentResult(file=path.name)
    try:
        pages, used_ocr = read_pages(path, settings, on_pages)
    except TradeVerifyError as exc:
        result.errors.append(_error(exc, path.name))
        return result
    result.ocr, result.pages = used_ocr, len(pages)
    try:
        _extract(result, pages, doc_type, settings or get_settings())
    except TradeVerifyError as exc:
        result.errors.append(_error(exc, path.name))
    except MemoryError:
        raise
    except Exception as exc:  # one odd document must not abort a batch; keep the evidence
        log.exception("extraction failed for %s", path.name)
        error = ExtractionError(f"{path.name}: extraction failed ({type(exc).__name__}: {exc})")
        result.errors.append(_error(error, path.name))
    return result


def _extract(result: DocumentResult, pages: list, doc_type: str | None, settings: Settings) -> None:
    """Classify (unless the type is given) and read the fields into ``result``."""
    layout = build_layout(pages)
    if doc_type in DOC_TYPES:
        result.doc_type = str(doc_type)
    else:
        result.doc_type, _confidence = classify(layout, load_model(settings.doctype_model))
    if result.doc_type == UNKNOWN:
        raise ExtractionError(f"{result.file}: the document type could not be determined")
    if result.doc_type == "sales_contract":
        result.contract_role = contract_role(layout)
        result.profile = profile(pages, layout.prose_text())
    result.fields = extract_fields(layout, result.doc_type, ranker=load_ranker(settings.field_model))
    if not result.fields:
        raise ExtractionError(f"{result.file}: read as a {result.doc_type.replace('_', ' ')}, but "
                              "no field could be read from it")
