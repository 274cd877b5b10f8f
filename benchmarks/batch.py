"""Batch throughput: the local engine (1 and 2 workers) and Spark (local[1], local[2]) on the same files.

    .venv/bin/python benchmarks/batch.py [--n 200] [--seed 808] [--engines local1,local2,spark1,spark2]

Generates ``--n`` digital submissions once, then times ``batch_to_file`` end to end (engine
start-up included: worker processes, or the Spark session and its executors' engines) per
engine, and the raw floor: pdfplumber ``open`` + ``extract_words`` on every page of the same
PDFs in one process. Prints submissions/s, the ratio of each engine's time to the floor's, and
the scale-out efficiency (2-core rate / (2 x 1-core rate)) per engine kind. With Spark, the
per-task cost (seconds of one core per submission, start-up excluded) is what a cluster of
executors would each spend; the last line states what 20 executors would do at that cost.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from tradeverify.batch import Runner, batch_to_file, submission_folders
from tradeverify.config import Settings
from tradeverify_train.synth.generate import WorldConfig, generate_world

ENGINES = ("local1", "local2", "spark1", "spark2")


def _floor(folders: list[Path]) -> float:
    """Return the seconds pdfplumber alone takes to read every PDF's words."""
    start = time.perf_counter()
    for folder in folders:
        for path in sorted(folder.glob("*.pdf")):
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_words()
    return time.perf_counter() - start


def _runner(name: str) -> tuple[Callable[[Settings], Settings], Runner | None]:
    """Return how the engine changes the settings, and its runner (None: the local pool)."""
    cores = int(name[-1])
    if name.startswith("spark"):
        from tradeverify.spark_batch import spark_runner

        return (lambda s: s), spark_runner(f"local[{cores}]")
    return (lambda s: s.model_copy(update={"workers": cores})), None


def _time(name: str, folders: list[Path], reference: Path, out: Path) -> float:
    """Return one engine's seconds for the whole batch."""
    adjust, runner = _runner(name)
    settings = adjust(Settings(record_submissions=False, reference_dir=reference))
    start = time.perf_counter()
    rows = batch_to_file(folders, settings, out / f"{name}.jsonl", runner=runner)
    seconds = time.perf_counter() - start
    assert len(rows) == len(folders), f"{name}: {len(rows)} rows for {len(folders)} submissions"
    return seconds


def main() -> None:
    """Print submissions/s per engine, ratios to the pdfplumber floor and scale-out efficiency."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=808)
    ap.add_argument("--engines", default=",".join(ENGINES))
    args = ap.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp) / "world"
        generate_world(world, WorldConfig(n=args.n, seed=args.seed, fraud_rate=0.1, scanned_rate=0.0))
        folders = submission_folders(world / "submissions")
        floor = _floor(folders)
        print(f"{'pdfplumber floor (1 process)':30} {len(folders) / floor:8.1f} submissions/s")
        rates = {}
        for name in args.engines.split(","):
            seconds = _time(name, folders, world / "reference", Path(tmp))
            rates[name] = len(folders) / seconds
            print(f"{name:30} {rates[name]:8.1f} submissions/s  {seconds / floor:6.1f}x the floor's time")
    for kind in ("local", "spark"):
        if f"{kind}1" in rates and f"{kind}2" in rates:
            efficiency = rates[kind + "2"] / (2 * rates[kind + "1"])
            print(f"{kind} scale-out efficiency (2 cores / 2 x 1 core): {efficiency:.2f}")
    if "spark1" in rates:
        per_core = 1 / rates["spark1"]
        print(f"at {per_core:.2f} core-seconds per submission (spark local[1], start-up included), "
              f"20 single-core executors would verify about {20 * 3600 / per_core:,.0f} submissions an hour")


if __name__ == "__main__":
    main()
