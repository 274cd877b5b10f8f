"""Scoring throughput: RiskModel.predict_proba vs the raw LightGBM Booster.predict, same rows.

    .venv/bin/python benchmarks/scoring.py [--model models/risk] [--rows 200000] [--world DIR]
                                           [--threads 1] [--repeat 3]

Both sides get the same prepared table: a float64 numpy array already in feature order (rows of a
labelled world tiled up to --rows when --world is given, else standard-normal rows), and the same
number of threads. Runs alternate between the sides (both see the same machine load); prints rows/s
of each (best of --repeat) and the time ratio ours/raw. The difference is the isotonic calibration
(np.interp) on top of the booster.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tradeverify.config import get_settings
from tradeverify.errors import ModelError
from tradeverify.model.risk import RiskModel


def prepared_table(model: RiskModel, rows: int, world: Path | None, seed: int = 0) -> np.ndarray:
    n_features = model.booster.num_feature()
    if world is None:
        return np.random.default_rng(seed).normal(size=(rows, n_features))
    from tradeverify_train.model.dataset import build_dataset

    x = build_dataset(world).x
    return np.ascontiguousarray(np.resize(x, (rows, x.shape[1])), dtype=float)


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_seconds(ours: Callable[[], object], raw: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best time of each side, runs interleaved so both see the same machine load."""
    times = [(_seconds(ours), _seconds(raw)) for _ in range(repeat)]
    return min(t[0] for t in times), min(t[1] for t in times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=get_settings().model_dir)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--world", type=Path, default=None, help="take feature rows from this world")
    ap.add_argument("--threads", type=int, default=1, help="same on both sides")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    try:
        model = RiskModel.load(args.model)
    except ModelError as exc:
        raise SystemExit(f"benchmark: {exc.message}") from exc
    x = prepared_table(model, args.rows, args.world)
    booster, calibrator = model.booster, model.calibrator
    def predict() -> object:
        return model.predict_proba(x, threads=args.threads)
    head = x[:1000]  # warm-up, and a check that both sides compute the same thing
    np.testing.assert_allclose(model.predict_proba(head), calibrator(np.asarray(booster.predict(head))))
    ours, raw = best_seconds(predict, lambda: booster.predict(x, num_threads=args.threads), args.repeat)
    print(f"model {args.model} ({booster.num_trees()} trees), {len(x)} rows x {x.shape[1]} features, "
          f"threads {args.threads}, best of {args.repeat}")
    print(f"RiskModel.predict_proba  {len(x) / ours:12,.0f} rows/s  ({ours:.3f} s)")
    print(f"Booster.predict (raw)    {len(x) / raw:12,.0f} rows/s  ({raw:.3f} s)")
    print(f"ratio ours/raw time = {ours / raw:.3f}x")


if __name__ == "__main__":
    main()
