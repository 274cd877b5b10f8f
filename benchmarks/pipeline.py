"""End-to-end `verify` speed: seconds per submission, digital and scanned, one process.

    .venv/bin/python benchmarks/pipeline.py [--n 10] [--seed 777]

Prints seconds per submission for ``verify_submission`` (extract + match + score + report) and, as
the ratio the project tracks, against the raw libraries' floor on the same files: pdfplumber
open + extract_words for text PDFs, and for scans the time our own OCR stage spends inside
Tesseract is not separable, so the scanned ratio is left to benchmarks/extraction.py.
Per-stage milliseconds come from the report's ``timings_ms``.
Stage benchmarks: benchmarks/extraction.py (pages/s vs pdfplumber / tesseract CLI) and
benchmarks/scoring.py (rows/s vs raw LightGBM predict).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import tempfile
import time
from pathlib import Path

import pdfplumber

from tradeverify.pipeline import Engine, verify_submission
from tradeverify_train.synth.generate import WorldConfig, generate_world


def _raw_pdfplumber(folder: Path) -> float:
    start = time.perf_counter()
    for path in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()
    return time.perf_counter() - start


def _verify(folder: Path, engine: Engine) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    report = verify_submission(folder, engine)
    return time.perf_counter() - start, report.timings_ms


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--seed", type=int, default=777)
    args = ap.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp)
        generate_world(world, WorldConfig(n=args.n, seed=args.seed, fraud_rate=0.2, scanned_rate=0.3))
        scanned = {r["submission_id"] for r in csv.DictReader((world / "labels.csv").open())
                   if r["scanned"] == "1"}
        engine = Engine.load(reference_dir=world / "reference")
        verify_submission(next((world / "submissions").iterdir()), engine)  # warm caches once
        for kind in ("digital", "scanned"):
            subs = sorted(p for p in (world / "submissions").iterdir()
                          if (p.name in scanned) == (kind == "scanned"))
            if not subs:
                continue
            runs = [_verify(s, engine) for s in subs]
            secs = [r[0] for r in runs]
            stages = {k: statistics.median(r[1].get(k, 0.0) for r in runs) for k in runs[0][1]}
            line = (f"verify {kind:8} {len(subs):3d} submissions: median {statistics.median(secs):.3f} s, "
                    f"max {max(secs):.3f} s; stage medians ms {stages}")
            if kind == "digital":
                raw = statistics.median(_raw_pdfplumber(s) for s in subs)
                line += f"; raw pdfplumber floor {raw:.3f} s -> ratio {statistics.median(secs) / raw:.2f}x"
            print(line)


if __name__ == "__main__":
    main()
