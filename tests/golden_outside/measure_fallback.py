"""Measure the fallbacks (NER, letterhead) on the outside documents, as first met and as now.

Run ``python tests/golden_outside/measure_fallback.py``. The six PDFs are read with the label
vocabulary of today and with that of ``BASE`` (before the outside documents' labels were added,
so their party and goods captions are unknown), each with no fallback, the NER fallback only, and
NER plus the letterhead rule. For the party and goods fields it prints the right and wrong values,
the seconds taken, and every value a fallback supplied. A measurement only: nothing is asserted.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from tradeverify.extract import fallback, labels, tables, vocab
from tradeverify.extract.document import extract_document
from tradeverify_train.extraction.accuracy import same_value

sys.path.insert(0, str(Path(__file__).parent))
from test_outside import HERE, NAMES, expected  # noqa: E402

BASE = "5f24c04"  # the commit the outside documents were first read with
TARGETS = (*fallback.PARTY_FIELDS, fallback.GOODS_FIELD)
MODES = ("no fallback", "NER only", "NER + letterhead")


def base_vocabulary() -> dict[str, Any]:
    """Return labels.yaml as it was at BASE."""
    text = subprocess.run(["git", "show", f"{BASE}:src/tradeverify/extract/labels.yaml"],
                          capture_output=True, text=True, check=True).stdout
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def use_vocabulary(data: dict[str, Any]) -> None:
    """Make the extractor read ``data`` as its label vocabulary."""
    vocab._load = lambda: data  # type: ignore[assignment]
    labels.reset_vocabulary()
    tables.caption_tokens.cache_clear()


def run(mode: str) -> tuple[int, int, int, float, list[str]]:
    """Return right, wrong and expected target fields, seconds, and the fallback values."""
    saved = fallback.wanted_fields, fallback.letterhead_issuer
    if mode == "no fallback":
        fallback.wanted_fields = lambda names, found: []  # type: ignore[assignment]
    if mode == "NER only":
        fallback.letterhead_issuer = lambda lay: None  # type: ignore[assignment]
    right = wrong = total = 0
    notes: list[str] = []
    start = time.perf_counter()
    try:
        for name in NAMES:
            result = extract_document(HERE / "docs" / f"{name}.pdf")
            for field, want in expected(name)["fields"].items():
                if field not in TARGETS:
                    continue
                got = result.fields.get(field)
                ok = got is not None and same_value(got.value, want)
                total, right, wrong = total + 1, right + ok, wrong + (got is not None and not ok)
                if got is not None and got.confidence <= fallback.NER_CONFIDENCE:
                    notes.append(f"{name}.{field} = {got.value!r} ({'right' if ok else 'WRONG'})")
    finally:
        fallback.wanted_fields, fallback.letterhead_issuer = saved
    return right, wrong, total, time.perf_counter() - start, notes


def main() -> None:
    """Print the measurement for both vocabularies and all modes."""
    current = vocab._load()
    for label, data in (("current vocabulary", current), ("base vocabulary", base_vocabulary())):
        use_vocabulary(data)
        for mode in MODES:
            right, wrong, total, secs, notes = run(mode)
            print(f"{label}, {mode}: {right}/{total} right, {wrong} wrong, {secs:.2f} s")
            for note in notes:
                print(f"    {note}")


if __name__ == "__main__":
    main()
