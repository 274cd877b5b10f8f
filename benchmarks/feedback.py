"""Does a retrain on officers' decisions change the challenger? The desk's loop, end to end.

1. A held-out world (new seed, held-out layouts, 30 % scanned) stands for a bank's own deals.
2. ``--decided`` of its submissions are verified by the served engine and stored like the API
   stores them; an officer decides each on the desk's ``DecisionLog`` (the world's truth plays
   the corrected decision: confirm fraud with its typology, or clear), and ``feedback export``
   writes them with the feature rows scored at the time.
3. Two models are trained on the same generator world, without and with that feedback
   (``--weight``), and both are scored on the rest of the held-out world (never decided).
4. ``model promote`` compares the challenger (with feedback) against the champion (without)
   on those rows, and on ``--held-out-decisions`` further decisions neither model trained on.

    .venv/bin/python benchmarks/feedback.py [--train-n 600] [--heldout-n 240] [--decided 50]

Everything is written under a throw-away folder (``--work`` to keep it): worlds, MLflow store.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from tradeverify.config import Settings
from tradeverify.pipeline import Engine, verify_submission
from tradeverify.service.audit import AuditLog
from tradeverify.service.decisions import Decision, DecisionLog
from tradeverify.service.feedback import export_feedback
from tradeverify.service.officers import OfficerStore
from tradeverify.service.store import SubmissionStore
from tradeverify_train.model.dataset import Dataset, build_dataset
from tradeverify_train.model.feedback import read_feedback
from tradeverify_train.model.metrics import evaluate
from tradeverify_train.model.promote import promote, score_version
from tradeverify_train.model.workflow import TrainConfig, WorldSection, train
from tradeverify_train.synth.generate import WorldConfig, generate_world

NAME = "tradeverify-risk-feedback-bench"
KEYS = ("pr_auc", "recall_at_1pct_fpr", "brier", "ece")


def _labels(world: Path) -> dict[str, dict[str, str]]:
    import csv

    with (world / "labels.csv").open() as fh:
        return {r["submission_id"]: r for r in csv.DictReader(fh)}


def decide_on_desk(world: Path, ids: list[str], work: Path, out: Path) -> dict[str, int]:
    """Verify ``ids`` with the served engine, store them, decide each from the truth, export."""
    settings = Settings(work_dir=work, registry_path=None, record_submissions=False)
    url = settings.service_url()
    store, audit = SubmissionStore(url, work / "documents"), AuditLog(url)
    decisions = DecisionLog(url, audit)
    officers = OfficerStore(url)
    officers.add("BANKX", "officer", "benchmark-password")
    _, officer = officers.sign_in("BANKX", "officer", "benchmark-password")
    engine, truth = Engine.load(settings, world / "reference"), _labels(world)
    for sid in ids:
        report = verify_submission(world / "submissions" / sid, engine)
        store.save("BANKX", report, [])
        typology = truth[sid]["typology"]
        decision = Decision("confirm_fraud", "benchmark", typology) if typology else Decision("clear")
        decisions.record(officer, report.submission_id, decision, report)
    return export_feedback(decisions, out)


def _subset(data: Dataset, rows: np.ndarray) -> Dataset:
    return Dataset([data.ids[i] for i in rows], data.x[rows], data.y[rows], [data.typology[i] for i in rows])


def _metrics(version: str, holdout: Dataset) -> dict[str, float]:
    p = score_version(NAME, version, holdout)
    m = evaluate(holdout.y, p, holdout.typology, 0.7)
    out = {k: round(float(m[k]), 4) for k in KEYS}
    out["fraud_in_high"] = round(float(np.mean(p[holdout.y == 1] >= 0.7)), 4)
    out["honest_in_high"] = round(float(np.mean(p[holdout.y == 0] >= 0.7)), 4)
    return out


def _train(cfg: TrainConfig, settings: Settings) -> str:
    return train(cfg, settings)[2]


def main() -> None:
    """Print the before/after figures and the promotion decision as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-n", type=int, default=600)
    parser.add_argument("--heldout-n", type=int, default=240)
    parser.add_argument("--decided", type=int, default=50)
    parser.add_argument("--held-out-decisions", type=int, default=50)
    parser.add_argument("--weight", type=float, default=5.0)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="feedback-bench-"))
    settings = Settings(work_dir=work, mlflow_tracking_uri=f"sqlite:///{work / 'mlflow.db'}",
                        registered_model_name=NAME, registry_path=None)
    started = time.perf_counter()
    heldout = work / "heldout"
    if not (heldout / "labels.csv").exists():
        generate_world(heldout, WorldConfig(n=args.heldout_n, seed=23, fraud_rate=0.3, scanned_rate=0.3,
                                            layout_set="holdout"))
    data = build_dataset(heldout, settings)
    order = np.random.default_rng(0).permutation(len(data.ids))
    decided = order[:args.decided]
    judged = order[args.decided:args.decided + args.held_out_decisions]
    rest = order[args.decided + args.held_out_decisions:]
    counts = decide_on_desk(heldout, [data.ids[i] for i in decided], work / "desk", work / "feedback.jsonl")
    base = TrainConfig(world=WorldSection(n=args.train_n, seed=11, fraud_rate=0.35, lookalike_rate=0.3,
                                          damaged_rate=0.2), unread=0.6, alias="champion",
                       params={"learning_rate": 0.15, "num_leaves": 15, "min_data_in_leaf": 5,
                               "num_threads": 2})
    before = _train(base, settings)
    after = _train(base.model_copy(update={"feedback": work / "feedback.jsonl",
                                           "feedback_weight": args.weight, "alias": None}), settings)
    evaluation, held_out = _subset(data, rest), _subset(data, judged)
    decision = promote(evaluation, settings.tracking_uri(), NAME, after, feedback=held_out)
    fb = read_feedback(work / "feedback.jsonl")
    out: dict[str, Any] = {
        "heldout_world": {"n": len(data.ids), "fraud": int(data.y.sum()), "layouts": "holdout",
                          "scanned_rate": 0.3, "seed": 23},
        "decisions_exported": counts, "decisions_trained_on": len(fb.data.y), "weight": args.weight,
        "evaluated_on": {"rows": len(rest), "fraud": int(data.y[rest].sum())},
        "before_without_feedback": {"version": before, **_metrics(before, evaluation)},
        "after_with_feedback": {"version": after, **_metrics(after, evaluation)},
        "on_held_out_decisions": {"rows": len(judged), "challenger": decision.challenger_feedback,
                                  "champion": decision.champion_feedback},
        "promote": {"promoted": decision.promoted, "reason": decision.reason},
        "seconds": round(time.perf_counter() - started, 1), "work": str(work)}
    print(json.dumps(out, indent=2, default=float))


if __name__ == "__main__":
    main()
