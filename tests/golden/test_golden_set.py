"""The outside golden set (tests/golden/outside, see its README): documents the generator did not make.

The text-layer PDFs are scored here on every run, as a floor that catches regressions; the whole
set, scans and real receipts included, is scored by
``tradeverify evaluate-extraction --golden tests/golden/outside`` (about 75 s here).
The floors sit just under what the extractor reads today (digital: type 1.000, fields 0.965
recall, F1 0.977): raise them as extraction improves.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from tradeverify_train.extraction.golden import evaluate_golden, golden_pairs

OUTSIDE = Path(__file__).parent / "outside"
TYPE_FLOOR, RECALL_FLOOR = 0.97, 0.95


@cache
def digital_result(tmp: Path) -> dict[str, Any]:
    for document, truth in golden_pairs(OUTSIDE):
        if document.suffix == ".pdf":
            (tmp / document.name).symlink_to(document)
            (tmp / truth.name).symlink_to(truth)
    return evaluate_golden(tmp)


def test_the_set_is_big_and_typed() -> None:
    pairs = golden_pairs(OUTSIDE)
    assert len(pairs) >= 40
    kinds = {p.suffix for p, _ in pairs}
    assert {".pdf", ".png", ".jpg"} <= kinds


def test_digital_outside_documents_keep_their_floor(tmp_path_factory: Any) -> None:
    result = digital_result(tmp_path_factory.mktemp("golden"))
    overall = result["kinds"]["digital"]["overall"]
    assert overall["documents"] >= 40
    assert overall["doc_type_accuracy"] >= TYPE_FLOOR
    assert overall["recall"] >= RECALL_FLOOR
    unknown = [d["file"] for d in result["documents"] if d["read_type"] == "unknown"]
    assert len(unknown) <= 1, unknown
