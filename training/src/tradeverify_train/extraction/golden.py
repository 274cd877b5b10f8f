"""Extraction quality on any folder of documents with hand-written truth (a golden set).

A golden folder holds documents (PDF, PNG, JPEG, TIFF) and, for each, a truth file of the same
stem: ``NAME.json`` beside ``NAME.pdf``, or in a sibling ``expected/`` folder when the documents
sit in ``docs/``. A truth file is ``{"doc_type": ..., "fields": {name: value}, "layout": ...,
"source": ...}`` in the canonical field names and normal forms of a generated world's truth.

Counting is the world evaluator's (:mod:`~tradeverify_train.extraction.evaluation`): per field TP, FP, FN,
grouped by kind (digital / scanned, from whether OCR read the page), true type and layout (the
truth's ``layout``, else the part of the file name before its first ``_``). Printed names are
compared the way a reader compares them: case, punctuation and spacing ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tradeverify.config import Settings
from tradeverify.domain import DocumentResult
from tradeverify.errors import InputError
from tradeverify.extract.document import extract_document
from tradeverify_train.extraction.accuracy import field_counts
from tradeverify_train.extraction.evaluation import KINDS, MISSING, DocOutcome, Tally

DOCUMENT_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"})
NAME_FIELDS = frozenset({"seller_name", "buyer_name", "shipper_name", "consignee_name",
                         "notify_party", "carrier_name", "vessel_name"})  # fmt: skip
_NOT_NAME = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


def fold_name(value: Any) -> Any:
    """Return a printed name folded for comparison ("Acme Co., Ltd." -> "acme co ltd")."""
    if not isinstance(value, str):
        return value
    return " ".join(_NOT_NAME.sub(" ", value.lower()).split())


def golden_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """Return ``(document, truth)`` for every document of ``folder`` that has a truth file.

    Raises:
        InputError: the folder does not exist or holds no document with a truth file.

    """
    folder = Path(folder)
    docs = folder / "docs" if (folder / "docs").is_dir() else folder
    if not docs.is_dir():
        raise InputError(f"not a folder: {folder}", file=str(folder))
    pairs = []
    for path in sorted(docs.iterdir()):
        if path.suffix.lower() not in DOCUMENT_SUFFIXES:
            continue
        for truth in (path.with_suffix(".json"), folder / "expected" / f"{path.stem}.json"):
            if truth.is_file():
                pairs.append((path, truth))
                break
    if not pairs:
        raise InputError(f"no document with a truth file (NAME.json) in {folder}", file=str(folder))
    return pairs


def golden_outcome(result: DocumentResult, truth: dict[str, Any], name: str) -> DocOutcome:
    """Compare one extracted document with its hand-written truth."""
    # A field the truth's source never annotated (a receipt dataset's items) is not scored.
    unscored = set(truth.get("unannotated") or ())
    got = {k: f.value for k, f in result.fields.items() if k not in unscored}
    want: dict[str, Any] = {k: v for k, v in (truth.get("fields") or {}).items() if k not in unscored}
    counts = {}
    for field in sorted(set(got) | set(want)):
        g, w = got.get(field), want.get(field)
        if field in NAME_FIELDS:
            g, w = fold_name(g), fold_name(w)
        counts[field] = field_counts(g, w)
    return DocOutcome(
        kind="scanned" if result.ocr else "digital",
        doc_type=str(truth["doc_type"]),
        layout=str(truth.get("layout") or name.split("_")[0]),
        predicted_type=str(result.doc_type or MISSING),
        role_ok=None,
        fields=counts,
    )


def golden_documents(
    folder: Path, settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[Path, dict[str, Any], DocumentResult]]:
    """Yield ``(document, truth, extraction)`` for every document of a golden folder."""
    pairs = golden_pairs(folder)
    for i, (path, truth_file) in enumerate(pairs, start=1):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        yield path, truth, extract_document(path, settings)
        if progress is not None:
            progress(i, len(pairs))


def evaluate_golden(
    folder: Path, settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Extract every document of a golden folder and score it against its truth.

    Returns the world evaluator's nested figures (``{"world", "kinds": ...}``) plus
    ``"documents"``: per file its true and read type, errors and the fields it got wrong.
    """
    tally, documents = Tally(), []
    for path, truth, result in golden_documents(folder, settings, progress):
        outcome = golden_outcome(result, truth, path.stem)
        tally.add(outcome)
        documents.append(_document_report(path, truth, result, outcome))
    kinds = [k for k in KINDS if (k,) in tally.groups]
    return {"world": str(folder), "golden": True, "kinds": {k: tally.kind_result(k) for k in kinds},
            "documents": documents}


def _document_report(
    path: Path, truth: dict[str, Any], result: DocumentResult, outcome: DocOutcome
) -> dict[str, Any]:
    """Return what one document got wrong: type, errors, and field -> (read, truth)."""
    want = truth.get("fields") or {}
    wrong = {
        name: {"read": None if name not in result.fields else result.fields[name].value,
               "truth": want.get(name)}
        for name, (tp, fp, fn) in outcome.fields.items() if fp or fn
    }  # fmt: skip
    return {"file": path.name, "kind": outcome.kind, "doc_type": outcome.doc_type,
            "read_type": outcome.predicted_type, "errors": [e.message for e in result.errors],
            "fields_right": sum(tp for tp, _, _ in outcome.fields.values()),
            "fields_expected": sum(tp + fn for tp, _, fn in outcome.fields.values()), "wrong": wrong}
