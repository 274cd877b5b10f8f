"""Incomplete deals at scale: damage a share of a world's submissions and band them as serving does.

    .venv/bin/python benchmarks/incomplete_world.py --world out/worlds/eval [--damaged-rate 0.5]
        [--model models/risk] [--seed 1]

One document of each damaged submission is removed, made unreadable or read with two fields
(``model.dataset.damage``, seeded per submission). Every row is scored with the packaged model
and banded with ``pipeline.band_of`` (damaged rows as incomplete: the score the read evidence
supports decides ``high``, never ``low``). Prints, for damaged and intact rows apart: PR-AUC of
the score, frauds banded low (target 0), honest deals banded high without a red flag (target 0),
and the frauds that reach high.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score

from tradeverify.config import Settings
from tradeverify.model.risk import RiskModel
from tradeverify.pipeline import band_of
from tradeverify.report.incomplete import unknown_mask
from tradeverify_train.model.dataset import build_dataset


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--world", type=Path, required=True)
    ap.add_argument("--damaged-rate", type=float, default=0.5)
    ap.add_argument("--model", type=Path, default=Path("models/risk"))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    settings = Settings()
    data = build_dataset(args.world, settings, damaged_rate=args.damaged_rate, seed=args.seed)
    model = RiskModel.load(args.model)
    scores, contrib = model.predict_proba(data.x), model.contributions(data.x)
    assert data.damaged is not None and data.flagged is not None
    bands = []
    for i, row in enumerate(data.x):
        supported = (model.proba_without(row[None, :], contrib[i], unknown_mask(list(row)))
                     if data.damaged[i] else None)
        bands.append(band_of(float(scores[i]), bool(data.flagged[i]), supported, settings))
    out = {}
    for name, rows in (("damaged", data.damaged), ("intact", ~data.damaged)):
        y, b, f = data.y[rows], np.asarray(bands)[rows], data.flagged[rows]
        out[name] = {
            "rows": int(rows.sum()), "frauds": int(y.sum()),
            "pr_auc": round(float(average_precision_score(y, scores[rows])), 4) if y.any() else None,
            "frauds_low": int(((b == "low") & (y == 1)).sum()),
            "honest_high_without_flag": int(((b == "high") & (y == 0) & ~f).sum()),
            "frauds_high": int(((b == "high") & (y == 1)).sum()),
            "honest_medium": int(((b == "medium") & (y == 0)).sum()),
        }
    print(json.dumps({"world": str(args.world), "model": str(args.model), **out}, indent=1))


if __name__ == "__main__":
    main()
