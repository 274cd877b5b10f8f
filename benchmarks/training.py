"""Training time on a large feature table: our fit_model vs one raw lightgbm.train.

    .venv/bin/python benchmarks/training.py --world DIR [--rows 50000] [--threads 2]
                                            [--config training/default.yaml]

The world's labelled feature table (real extraction, cached) is resampled with replacement and
jittered to ``--rows`` rows, then timed: ``fit_model`` (5-fold early stopping, cross-fitted
isotonic calibration, refit on all rows) against a single raw ``lightgbm.train`` of the same
number of rounds on all rows, the floor any training must pay. LightGBM parameters are the
experiment file's, so the figure is the packaged model's training cost.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import lightgbm as lgb
import numpy as np

from tradeverify_train.model.dataset import Dataset, build_dataset
from tradeverify_train.model.train import fit_model
from tradeverify_train.model.workflow import TrainConfig


def resample(data: Dataset, rows: int, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(data.y), rows)
    x = data.x[idx] * (1 + rng.normal(0, 0.01, size=(rows, data.x.shape[1])))
    return Dataset([data.ids[i] for i in idx], x, data.y[idx], [data.typology[i] for i in idx])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--world", type=Path, required=True)
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--config", type=Path, default=Path("training/default.yaml"))
    args = ap.parse_args()
    data = resample(build_dataset(args.world), args.rows)
    params = {**TrainConfig.from_yaml(args.config).params, "num_threads": args.threads}
    start = time.perf_counter()
    result = fit_model(data, params)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    lgb.train({**result.params, "num_threads": args.threads, "verbosity": -1},
              lgb.Dataset(data.x, data.y), num_boost_round=int(result.params["rounds"]))
    raw = time.perf_counter() - start
    print(f"{args.rows} rows x {data.x.shape[1]} features, {result.params['rounds']} rounds, "
          f"{args.threads} threads")
    print(f"fit_model (5 folds + calibration + refit) {ours:7.1f} s")
    print(f"raw lightgbm.train (one fit)              {raw:7.1f} s   ratio {ours / raw:.1f}x")


if __name__ == "__main__":
    main()
