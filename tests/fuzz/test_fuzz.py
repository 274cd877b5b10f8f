"""The fuzz corpus (1,000 seeded mutated and hostile documents) through the isolated reader.

Marked ``hostile``: ``make test-hostile`` runs it and ``.ci/run`` calls that after ``make test``.
For each document: it finishes within its budget, its worker's memory stays bounded, and it
comes out read or failed with one of the documented error codes. A sample of one document per
kind also goes through the command line: documented exit code, no traceback, at most one line
on stderr, nothing recorded in the registry for a failed submission.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tradeverify.config import Settings
from tradeverify.extract.sandbox import DocumentSandbox

from .corpus import build_corpus

pytestmark = pytest.mark.hostile
N, SEED = 1000, 0
MAX_RSS_MB = 1536
CODES = {"document_corrupt", "document_empty", "document_encrypted", "unsupported_file_type",
         "document_too_large", "document_too_complex", "document_timeout", "not_a_regular_file",
         "extraction_failed", "ocr_failed", "document_reader_crashed", "document_unreadable"}
BUDGET = Settings(document_seconds=10.0, document_seconds_per_page=4.0)
SLACK_S = 15.0  # a worker start-up (under load) on top of the document's own budget


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path]]:
    return build_corpus(tmp_path_factory.mktemp("corpus"), N, SEED)


def _peak_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            line = next(x for x in fh if x.startswith("VmHWM"))
        return int(line.split()[1]) / 1024
    except (FileNotFoundError, StopIteration):
        return 0.0


def _read(box: DocumentSandbox, kind: str, path: Path) -> dict[str, object]:
    start = time.monotonic()
    doc = box.extract(path)
    pids = [w.proc.pid for w in box._idle]
    return {"kind": kind, "file": path.name, "seconds": time.monotonic() - start, "pages": doc.pages,
            "codes": [e.code for e in doc.errors], "fields": len(doc.fields),
            "peak_mb": max((_peak_mb(p) for p in pids), default=0.0)}


def test_corpus_finishes_in_budget_bounded_and_typed(corpus: list[tuple[str, Path]]) -> None:
    box = DocumentSandbox(BUDGET, keep=2)
    try:
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda case: _read(box, *case), corpus))
    finally:
        box.close()
    slowest = max(results, key=lambda r: float(r["seconds"]))  # type: ignore[arg-type]
    summary = {
        "documents": len(results),
        "by_kind": dict(Counter(str(r["kind"]) for r in results)),
        "by_code": dict(Counter(c for r in results for c in r["codes"])),  # type: ignore[attr-defined]
        "read_with_fields": sum(1 for r in results if r["fields"]),
        "slowest": slowest, "peak_mb": max(float(r["peak_mb"]) for r in results),  # type: ignore[arg-type]
    }
    print("\nfuzz summary " + json.dumps(summary, indent=1))
    assert len(results) == N
    for r in results:
        budget = BUDGET.document_seconds + BUDGET.document_seconds_per_page * int(r["pages"])  # type: ignore[call-overload]
        assert float(r["seconds"]) <= budget + SLACK_S, r  # type: ignore[arg-type]
        assert set(r["codes"]) <= CODES, r  # type: ignore[arg-type]
        assert float(r["peak_mb"]) <= MAX_RSS_MB, r  # type: ignore[arg-type]
    for kind in ("nested_xobjects", "text_operators", "inflate_bomb"):
        assert all(r["codes"] == ["document_too_complex"] for r in results if r["kind"] == kind)
    for kind in ("fifo", "symlink_to_zero", "directory"):
        assert all(r["codes"] == ["not_a_regular_file"] for r in results if r["kind"] == kind)


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "tradeverify"), *args], capture_output=True,
                          text=True, env=env, timeout=180)


def test_command_line_contract_on_one_document_per_kind(corpus: list[tuple[str, Path]],
                                                        tmp_path: Path) -> None:
    registry = tmp_path / "registry.sqlite"
    env = {**os.environ, "TRADEVERIFY_REGISTRY_PATH": str(registry),
           "TRADEVERIFY_DOCUMENT_SECONDS": "10"}
    firsts = {kind: path for kind, path in reversed(corpus)}
    for kind, path in sorted(firsts.items()):
        folder = tmp_path / f"sub-{kind}"
        folder.mkdir()
        target = folder / path.name
        if path.is_symlink() or not path.is_file():
            target.symlink_to(path)
        else:
            shutil.copy(path, target)
        done = _cli(["verify", str(folder), "--json"], env)
        assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) <= 1, (kind, done.stderr)
        assert done.returncode in (0, 3), (kind, done.returncode, done.stderr)
        report = json.loads(done.stdout) if done.stdout.strip() else {}
        if done.returncode == 3:
            assert report.get("status") == "failed" and report.get("errors"), kind
    if registry.exists():
        with sqlite3.connect(registry) as conn:
            assert conn.execute("SELECT COUNT(*) FROM document_registry").fetchone()[0] == 0
