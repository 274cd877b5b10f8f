"""Extraction throughput: our extract_document vs the raw libraries on the same files.

    .venv/bin/python benchmarks/extraction.py [--n 8] [--seed 31] [--scanned-rate 0.5] [--repeat 3]

Generates a small world into a temp dir, then, file by file and interleaved (ours, then raw, so
that background load hits both sides alike), times:

- digital: ``extract_document`` (read + classify + fields) vs ``pdfplumber.open`` +
  ``extract_words`` on every page; best of ``--repeat`` runs per file;
- scanned: ``extract_document`` (render + skew + Tesseract + classify + fields) vs the bare
  ``tesseract IMG - -l LANG tsv`` CLI, once per file. English scans are compared with ``-l eng``
  (``settings.ocr_lang``); bilingual English + Chinese scans with ``-l eng+chi_sim``, the raw
  way to read both scripts (ours reads them with ``eng`` then ``chi_sim``), and reported apart.
  PNG/JPEG scans go to the CLI as they are.
  Image-only PDFs are rasterized with ``pdftoppm -r <settings.ocr_dpi> -gray`` (uncompressed PGM:
  pdftoppm's PNG encoder alone takes ~7 s for a noisy A4 scan) OUTSIDE the timed region; the
  rasterization is timed separately and reported as ``raw+raster``, so both comparisons (OCR
  engine only / engine + rasterizer) are printed. Ours always includes its pdfium rendering.

``--isolated`` reads ours through the document sandbox (``extract/sandbox.py``: a worker process
per reader, JSON over a pipe, budgets), the path ``verify``, ``batch`` and the API take; without
it ours is ``extract_document`` in the benchmark's own process.

``OMP_THREAD_LIMIT=1`` on both sides (our OCR sets it too; it is forced here for the raw CLI and
for pytesseract's subprocess alike). Pages/s = pages / summed seconds; ratio = ours / raw time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pdfplumber

from tradeverify.config import Settings, get_settings
from tradeverify.domain import DocumentResult
from tradeverify.extract.document import extract_document
from tradeverify.extract.sandbox import document_reader
from tradeverify_train.synth.generate import WorldConfig, generate_world


def timed(fn: Callable[[], int], repeat: int = 1) -> tuple[float, int]:
    """Return (best seconds over ``repeat`` runs, pages reported by ``fn``)."""
    best, pages = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        pages = fn()
        best = min(best, time.perf_counter() - start)
    return best, pages


READER: dict[str, Callable[[Path], DocumentResult]] = {}


def ours(path: Path, settings: Settings) -> int:
    doc = READER["read"](path) if READER else extract_document(path, settings)
    if doc.errors:
        raise SystemExit(f"{path}: extraction errors {doc.errors}")
    return doc.pages


def raw_pdfplumber(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
        return len(pdf.pages)


def raw_tesseract(images: list[Path], lang: str) -> int:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    for image in images:
        subprocess.run(
            ["tesseract", str(image), "-", "-l", lang, "tsv"], check=True, env=env, capture_output=True
        )
    return len(images)


def rasterize(path: Path, out: Path, dpi: int) -> list[Path]:
    """Render every page of an image-only PDF to 8-bit gray PGM at ``dpi`` (what our reader OCRs)."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(path), str(out / "p")], check=True)
    return sorted(out.glob("p*.pgm"))


def world_files(world: Path) -> list[tuple[Path, bool, bool]]:
    """Return every document of the world with its scanned and bilingual flags (truth records)."""
    files = []
    for truth in sorted((world / "truth").rglob("*.json")):
        record = json.loads(truth.read_text())
        path = world / "submissions" / truth.parent.name / record["file"]
        files.append((path, bool(record["scanned"]), record.get("lang", "en") != "en"))
    return files


def bench_digital(files: list[Path], settings: Settings, repeat: int) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for path in files:
        t_ours, pages = timed(partial(ours, path, settings), repeat)
        t_raw, raw_pages = timed(partial(raw_pdfplumber, path), repeat)
        assert pages == raw_pages, (path, pages, raw_pages)
        totals["pages"] += pages
        totals["ours"] += t_ours
        totals["raw"] += t_raw
    return totals


def bench_scanned(files: list[Path], settings: Settings, tmp: Path, lang: str) -> dict[str, dict[str, float]]:
    """Time each scan: ours, then the bare tesseract CLI (PDFs rasterized beforehand, timed apart)."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for i, path in enumerate(files):
        t_ours, pages = timed(partial(ours, path, settings))
        t_raster, images = 0.0, [path]
        if path.suffix == ".pdf":
            start = time.perf_counter()
            images = rasterize(path, tmp / f"r{lang}{i}", settings.ocr_dpi)
            t_raster = time.perf_counter() - start
        t_raw, raw_pages = timed(partial(raw_tesseract, images, lang))
        assert pages == raw_pages, (path, pages, raw_pages)
        for key in (path.suffix.lstrip("."), "all"):
            for name, value in (("pages", pages), ("ours", t_ours), ("raw", t_raw), ("raster", t_raster)):
                totals[key][name] += value
    return totals


def line(label: str, t: dict[str, float], raw_name: str) -> str:
    pages = t["pages"]
    text = (
        f"{label:18} {int(pages):3d} pages: ours {pages / t['ours']:7.2f} pages/s  "
        f"{raw_name} {pages / t['raw']:7.2f} pages/s  ratio ours/raw {t['ours'] / t['raw']:5.2f}x"
    )
    if t.get("raster"):
        both = t["raw"] + t["raster"]
        text += f"  | raw+raster {pages / both:6.2f} pages/s  ratio {t['ours'] / both:5.2f}x"
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=8, help="submissions (5 documents each)")
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--scanned-rate", type=float, default=0.5)
    ap.add_argument("--bilingual-rate", type=float, default=0.15, help="share of English + Chinese documents")
    ap.add_argument("--repeat", type=int, default=3, help="best-of runs per digital file")
    ap.add_argument("--isolated", action="store_true", help="ours through the document sandbox")
    args = ap.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"  # inherited by pytesseract's tesseract subprocess (ours)
    settings = get_settings()
    if args.isolated:
        READER["read"] = document_reader(settings, warm=1).extract
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        cfg = WorldConfig(n=args.n, seed=args.seed, fraud_rate=0.0, scanned_rate=args.scanned_rate,
                          bilingual_rate=args.bilingual_rate)  # fmt: skip
        generate_world(tmp / "world", cfg)
        files = world_files(tmp / "world")
        digital = [f for f, scanned, _ in files if not scanned]
        english = [f for f, scanned, bilingual in files if scanned and not bilingual]
        both = [f for f, scanned, bilingual in files if scanned and bilingual]
        print(
            f"world: {args.n} submissions, {len(digital)} digital + {len(english)} English scanned + "
            f"{len(both)} bilingual scanned files; ocr_dpi={settings.ocr_dpi} "
            f"OMP_THREAD_LIMIT={os.environ['OMP_THREAD_LIMIT']} isolated={args.isolated} "
            f"load avg {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus"
        )
        if digital:
            ours(digital[0], settings)  # warm-up: lazy imports, vocabularies, fonts
            raw_pdfplumber(digital[0])
            print(line("digital", bench_digital(digital, settings, args.repeat), "pdfplumber"))
        kinds = (("scanned", english, settings.ocr_lang), ("bilingual", both, "eng+chi_sim"))
        for label, scans, lang in kinds:
            if scans:
                report_scans(label, bench_scanned(scans, settings, tmp, lang))


def report_scans(label: str, per_kind: dict[str, dict[str, float]]) -> None:
    """Print one line per image format, then the total of ``label`` scans."""
    for kind in sorted(k for k in per_kind if k != "all"):
        print(line(f"  {label} .{kind}", per_kind[kind], "tesseract"))
    print(line(label, per_kind["all"], "tesseract"))


if __name__ == "__main__":
    main()
