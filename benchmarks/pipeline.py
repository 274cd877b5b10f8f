"""Throughput of tradeverify's stages as ratios against the raw libraries on the same input.

    .venv/bin/python benchmarks/pipeline.py [--n 20] [--seed 777]

Generates a small world (digital and scanned submissions), then prints:
- digital pages/s: extract_document vs pdfplumber open + extract_words on the same PDFs;
- scanned pages/s: extract_document vs the bare `tesseract` CLI on the same images;
- seconds per submission for `verify` (digital, scanned), one process;
- scoring rows/s: RiskModel.predict_proba vs raw LightGBM Booster.predict on the same rows.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pdfplumber

from tradeverify.config import get_settings
from tradeverify.extract.document import extract_document
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.pipeline import Engine, verify_submission
from tradeverify.synth.generate import WorldConfig, generate_world


def _timed(fn, items) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - start


def _raw_pdfplumber(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()


def _raw_tesseract(path: Path) -> None:
    # The same work our OCR path does: image -> words with boxes (tsv), one thread.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    if path.suffix == ".pdf":
        with tempfile.TemporaryDirectory() as tmp:
            dpi = str(get_settings().ocr_dpi)
            subprocess.run(["pdftoppm", "-r", dpi, "-png", str(path), f"{tmp}/p"], check=True)
            for png in sorted(Path(tmp).glob("*.png")):
                subprocess.run(["tesseract", str(png), "-", "tsv"], check=True, env=env,
                               capture_output=True)
        return
    subprocess.run(["tesseract", str(path), "-", "tsv"], check=True, env=env, capture_output=True)


def _line(name: str, n: int, ours: float, raw: float, unit: str = "pages") -> None:
    print(f"{name:10} {n:4d} {unit}: ours {n / ours:8.2f} {unit}/s  raw {n / raw:8.2f} {unit}/s  "
          f"ratio ours/raw time = {ours / raw:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--seed", type=int, default=777)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp)
        generate_world(world, WorldConfig(n=args.n, seed=args.seed, fraud_rate=0.2, scanned_rate=0.3))
        files = sorted(p for p in (world / "submissions").rglob("*") if p.suffix in (".pdf", ".png", ".jpg"))
        scanned_ids = {r["submission_id"] for r in csv.DictReader((world / "labels.csv").open())
                       if r["scanned"] == "1"}
        digital = [f for f in files if f.parent.name not in scanned_ids]
        scans = [f for f in files if f.parent.name in scanned_ids]
        _line("digital", len(digital), _timed(extract_document, digital), _timed(_raw_pdfplumber, digital))
        if scans:
            _line("scanned", len(scans), _timed(extract_document, scans), _timed(_raw_tesseract, scans))
        engine = Engine.load(reference_dir=world / "reference")
        for kind in ("digital", "scanned"):
            subs = sorted({f.parent for f in (digital if kind == "digital" else scans)})
            if subs:
                secs = _timed(lambda s: verify_submission(s, engine), subs)
                print(f"verify     {kind:8} {secs / len(subs):.3f} s/submission ({len(subs)} submissions)")
        x = np.random.default_rng(0).normal(size=(200_000, len(FEATURE_NAMES)))
        ours = _timed(lambda _: engine.model.predict_proba(x), [0])
        raw = _timed(lambda _: engine.model.booster.predict(x, num_threads=1), [0])
        _line("scoring", len(x), ours, raw, unit="rows")


if __name__ == "__main__":
    main()
