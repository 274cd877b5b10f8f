"""Bands of a labelled world as serving gives them: honest deals in high, frauds caught, reasons.

    .venv/bin/python benchmarks/world_bands.py --world DIR [--model models/risk] [--json]

Reads the world's extraction once (``model.dataset.extract_world`` caches it beside the world)
and runs every submission through ``pipeline.assess``: matching, the score, hard rules, the
incomplete band and the reasons, as ``tradeverify verify`` does, without reading the documents
again. Prints per route (digital / scanned submissions) and overall: honest deals banded high
(and how many of them without a red flag), frauds banded high per typology, medium or high
reports without a reason, and the PR-AUC of the score; then the submissions/s of the scoring.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sklearn.metrics import average_precision_score

from tradeverify.config import Settings
from tradeverify.domain import DocumentResult
from tradeverify.pipeline import Engine, assess
from tradeverify_train.model.dataset import extract_world


def _labels(world: Path) -> dict[str, dict[str, str]]:
    with (world / "labels.csv").open(newline="", encoding="utf-8") as fh:
        return {r["submission_id"]: r for r in csv.DictReader(fh)}


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return one slice's figures from its (label, report) rows."""
    honest = [r for r in rows if not r["fraud"]]
    frauds = [r for r in rows if r["fraud"]]
    high_honest = [r for r in honest if r["band"] == "high"]
    caught: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in frauds:
        caught[r["typology"]][0] += r["band"] == "high"
        caught[r["typology"]][1] += 1
    scores = [r["score"] if r["score"] is not None else 0.0 for r in rows]
    both = bool(honest) and bool(frauds)
    return {
        "n": len(rows), "frauds": len(frauds),
        "honest_high": len(high_honest), "honest_high_share": len(high_honest) / max(1, len(honest)),
        "honest_high_without_red_flag": sum(not r["flags"] for r in high_honest),
        "fraud_high_share": sum(r["band"] == "high" for r in frauds) / max(1, len(frauds)),
        "fraud_low": sum(r["band"] == "low" for r in frauds),
        "flagged_without_reason": sum(r["band"] in ("medium", "high") and not r["reasons"] for r in rows),
        "pr_auc": float(average_precision_score([r["fraud"] for r in rows], scores)) if both else None,
        "high_by_typology": {t: round(c / n, 3) for t, (c, n) in sorted(caught.items())},
        "honest_high_ids": [r["id"] for r in high_honest],
        "fraud_not_high_ids": [r["id"] for r in frauds if r["band"] != "high"],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--world", type=Path, required=True)
    ap.add_argument("--model", type=Path, default=Path("models/risk"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    settings = Settings(record_submissions=False)
    engine = Engine.load(settings, reference_dir=args.world / "reference", model_dir=args.model)
    labels = _labels(args.world)
    rows: list[dict[str, Any]] = []
    start = time.perf_counter()
    for rec in extract_world(args.world, settings.workers):
        sid = str(rec["submission_id"])
        docs = [DocumentResult.model_validate(d) for d in rec["documents"]]  # type: ignore[attr-defined]
        meta: dict[str, Any] = {**rec.get("meta", {}), "submission_id": sid}  # type: ignore[dict-item]
        report = assess(docs, meta, engine, record=False)
        label = labels[sid]
        rows.append({"id": sid, "fraud": label["is_fraud"] == "1", "typology": label["typology"],
                     "route": "scanned" if label.get("scanned") == "1" else "digital",
                     "band": report.risk.band, "score": report.risk.score,
                     "flags": [f.code for f in report.red_flags],
                     "reasons": [r.code for r in report.reasons]})
    seconds = time.perf_counter() - start
    out = {"all": _summary(rows)}
    for route in ("digital", "scanned"):
        part = [r for r in rows if r["route"] == route]
        if part:
            out[route] = _summary(part)
    out["submissions_per_second"] = round(len(rows) / seconds, 1)
    if args.json:
        print(json.dumps(out, indent=1))
        return
    for name, s in out.items():
        if not isinstance(s, dict):
            print(f"{name}: {s}")
            continue
        low = {t: v for t, v in s["high_by_typology"].items() if v < 0.85}
        print(f"{name}: n {s['n']} (frauds {s['frauds']}), PR-AUC {s['pr_auc'] or float('nan'):.4f}, "
              f"honest high {s['honest_high']} ({s['honest_high_share']:.1%}; "
              f"{s['honest_high_without_red_flag']} without a red flag), frauds high "
              f"{s['fraud_high_share']:.1%}, frauds low {s['fraud_low']}, medium/high without a reason "
              f"{s['flagged_without_reason']}; typologies below 0.85 high: {low or 'none'}")


if __name__ == "__main__":
    main()
