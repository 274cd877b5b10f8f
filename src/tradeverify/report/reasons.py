"""Reason codes: the strongest feature contributions, as sentences an officer can check."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tradeverify.domain import Reason
from tradeverify.features.spec import FEATURES

MIN_CONTRIBUTION = 0.05  # log-odds; smaller pushes are noise to an officer


def _value(name: str, value: float) -> str:
    if math.isnan(value):
        return "unknown"
    if name.endswith(("_gap", "_vs_bl_gross", "_vs_inv_qty", "_vs_pl_net", "_vs_bl",
                      "_vs_invoice_qty")):
        return f"{value:+.1%}"
    if name.endswith("_hours"):
        return f"{value:,.0f} h"
    return f"{value:,.2f}"


def reasons(contrib: np.ndarray, values: list[float], top: int = 5) -> list[Reason]:
    """Return up to ``top`` features that pushed the score up, strongest first."""
    order = np.argsort(-contrib)
    out = []
    for i in order[:top]:
        if contrib[i] < MIN_CONTRIBUTION:
            break
        spec = FEATURES[int(i)]
        out.append(Reason(code=spec.family, contribution=round(float(contrib[i]), 4),
                          message=f"{spec.meaning}: {_value(spec.name, values[int(i)])}"))
    return out


def batch_row(report: dict[str, Any]) -> dict[str, Any]:
    """Flatten a RiskReport (as dict) into the batch row of shared/DESIGN §3."""
    risk = report["risk"]
    reasons_: list[dict[str, Any]] = report.get("reasons") or []
    flags: list[dict[str, Any]] = report.get("red_flags") or []
    return {
        "submission_id": report["submission_id"], "status": report["status"],
        "score": None if risk["score"] is None else round(float(risk["score"]), 4),
        "band": risk["band"],
        "reason_codes": "|".join(dict.fromkeys(r["code"] for r in reasons_[:3])),
        "red_flags": "|".join(f["code"] for f in flags),
        "errors": len(report.get("errors") or []),
    }
