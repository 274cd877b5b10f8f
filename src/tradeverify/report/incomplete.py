"""Missing evidence is never reassurance: the reason and band of an incomplete submission.

A document that is missing, unreadable or read with too few fields leaves the checks that needed
it ``unknown``. The model saw few such deals in training, so its score on one can be pushed
either way by what is absent: a fraud whose invoice was swapped for a ZIP scored 0.001, honest
deals without a contract 0.99. An incomplete submission is therefore never ``low``; it is
``high`` only on a red flag or when the evidence that was read supports a high score on its own
(the model's score with the upward pushes of unknown features taken away); otherwise
``medium``. Its first reason, ``INCOMPLETE``, names what is missing and what could not run.
"""

from __future__ import annotations

import math

import numpy as np

from tradeverify.domain import Check, ErrorInfo, Reason
from tradeverify.features.spec import FEATURES

CODE = "INCOMPLETE"
_INCOMPLETE_FAMILY = np.asarray([f.family == CODE for f in FEATURES])


def unknown_mask(values: list[float]) -> np.ndarray:
    """Return which features are unknown or measure incompleteness itself."""
    return np.asarray([math.isnan(v) for v in values]) | _INCOMPLETE_FAMILY


def incomplete_reason(errors: list[ErrorInfo], checks: list[Check], supported: float) -> Reason:
    """Return the reason that says what is missing, which checks could not run, and the score left."""
    told = "; ".join(e.message for e in errors[:5])
    if len(errors) > 5:
        told += f"; and {len(errors) - 5} more ({', '.join(str(e.file) for e in errors[5:])})"
    idle = [c.name for c in checks if c.status == "unknown"]
    return Reason(code=CODE, contribution=0.0, message=(
        f"Verification is incomplete: {told}. Checks that could not run: "
        f"{', '.join(idle) or 'none'}. The evidence that was read supports a score of "
        f"{supported:.2f}; the band stays at least medium until the missing documents are read."))


def merge_reasons(first: Reason, model_reasons: list[Reason]) -> list[Reason]:
    """Put the incomplete reason first, in place of the model's own INCOMPLETE family reason."""
    return [first, *(r for r in model_reasons if r.code != CODE)]
