"""The second OCR engine: RapidOCR with the PP-OCR ONNX models bundled inside its wheel.

Tesseract reads clean 200-300 DPI pages well at about a ninth of the CPU; on faint thermal
receipts, photographs and skewed till slips it loses whole columns (measured in the notes of
benchmarks/receipts.py). RapidOCR's detector + recognizer read those far better. It is loaded
once per process, only when a page needs it, and only from the model files shipped in its
package: nothing is downloaded (its configuration lists download URLs for other models; the
bundled defaults are used).
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

import numpy as np
from PIL import Image

from tradeverify.domain import Word
from tradeverify.errors import OcrError

log = logging.getLogger(__name__)


@cache
def _engine() -> Any:
    """Return the RapidOCR engine of this process (loading its models takes about a second)."""
    try:
        from rapidocr import RapidOCR
    except ImportError as exc:  # declared in pyproject; missing only in a broken install
        raise OcrError(f"the RapidOCR engine is not installed ({exc})") from exc
    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    # One onnxruntime thread: parallelism comes from the worker pool (two threads were slower
    # on this 2-core machine, and each document's CPU budget counts every thread).
    return RapidOCR(params={"Global.log_level": "warning",
                            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                            "EngineConfig.onnxruntime.inter_op_num_threads": 1})


def available() -> bool:
    """Return True when RapidOCR and its bundled models can be imported."""
    try:
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


def rapid_words(gray: Image.Image, page: int, *, file: str) -> list[Word]:
    """OCR one grayscale page with RapidOCR; return its words (conf 0-1, bbox in page fractions).

    Raises:
        OcrError: the engine failed on the page.

    """
    width, height = gray.size
    try:
        result = _engine()(np.asarray(gray.convert("RGB")), return_word_box=True)
    except OcrError:
        raise
    except Exception as exc:  # onnxruntime / opencv raise their own types
        cause = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]  # not onnxruntime's traceback
        raise OcrError(f"{file}: RapidOCR failed on page {page}: {cause}", file=file) from exc
    lines = getattr(result, "word_results", None) or ()
    words = []
    for line in lines:
        for item in line or ():
            if not isinstance(item, tuple | list) or len(item) != 3:
                continue  # a line the recognizer returned empty (a blank page gives placeholders)
            text, score, quad = str(item[0]).strip(), item[1], item[2]
            if not text:
                continue
            xs, ys = [p[0] for p in quad], [p[1] for p in quad]
            words.append(Word(text, max(min(xs), 0) / width, max(min(ys), 0) / height,
                              min(max(xs), width) / width, min(max(ys), height) / height,
                              page, round(min(max(float(score), 0.0), 0.999), 4)))  # fmt: skip
    return sorted(words, key=lambda w: (w.y0, w.x0))
