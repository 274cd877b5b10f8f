"""Field accuracy of extraction against a generated world's ground truth."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any


def same_value(got: Any, want: Any) -> bool:
    """Compare an extracted value with the truth (numbers to 1e-6 relative, lists in order)."""
    if isinstance(want, float | int) and not isinstance(want, bool):
        return isinstance(got, float | int) and math.isclose(float(got), float(want), rel_tol=1e-6)
    if isinstance(want, list):
        if not want and got is None:
            return True  # bulk cargo: the B/L prints no container field at all
        return isinstance(got, list) and len(got) == len(want) and all(
            same_value(g, w) for g, w in zip(got, want, strict=True))
    if isinstance(want, dict):
        return isinstance(got, dict) and all(same_value(got.get(k), v) for k, v in want.items())
    return bool(got == want)


def is_present(value: Any) -> bool:
    """Return whether a value says something: not None, not an empty string, list or dict.

    The truth records bulk cargo's missing container list as ``[]``; extraction reports it as an
    absent field. Neither is a value, so neither counts for or against extraction.
    """
    if value is None:
        return False
    if isinstance(value, str | list | dict):
        return bool(value.strip() if isinstance(value, str) else value)
    return True


def field_counts(got: Any, want: Any) -> tuple[int, int, int]:
    """Return ``(tp, fp, fn)`` of one extracted field value against its truth value.

    TP: extracted and equal to the truth (:func:`same_value`). FP: extracted but wrong, or
    extracted although the truth has no such field. FN: in the truth but missing or wrong. A
    wrong value is thus both a FP and a FN; a field absent from both sides counts for nothing.
    """
    extracted, expected = is_present(got), is_present(want)
    if extracted and expected:
        return (1, 0, 0) if same_value(got, want) else (0, 1, 1)
    return 0, int(extracted), int(expected)


def prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    """Return precision, recall and F1; a ratio with a zero denominator is None (undefined).

    F1 is ``2tp / (2tp + fp + fn)``: the harmonic mean when both ratios are defined, 0.0 when
    only one is (nothing extracted, or nothing to extract), None when there were no counts.
    """
    return {
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None,
    }


def field_accuracy(world: Path, extracted: list[dict[str, Any]]) -> dict[str, float]:
    """Return the share of ground-truth fields extracted exactly, for digital and scanned documents.

    ``extracted`` is the cache rows of :func:`tradeverify_train.model.dataset.extract_world`.
    """
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in extracted:
        sid = str(row["submission_id"])
        by_file = {Path(d["file"]).name: d for d in row["documents"]}
        for truth_file in sorted((world / "truth" / sid).glob("*.json")):
            truth = json.loads(truth_file.read_text())
            doc = by_file.get(truth["file"], {"fields": {}, "doc_type": "missing"})
            kind = "scanned" if truth["scanned"] else "digital"
            hits[f"doc_type_{kind}"][0] += doc["doc_type"] == truth["doc_type"]
            hits[f"doc_type_{kind}"][1] += 1
            for name, want in truth["fields"].items():
                got = (doc["fields"].get(name) or {}).get("value")
                hits[f"fields_{kind}"][0] += same_value(got, want)
                hits[f"fields_{kind}"][1] += 1
    return {f"{k}_accuracy": ok / n for k, (ok, n) in sorted(hits.items()) if n} | {
        f"{k}_count": float(n) for k, (_, n) in sorted(hits.items())}
