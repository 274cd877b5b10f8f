"""Hostile documents read in the isolated, budgeted worker: each fails alone, typed, in budget.

Issue "Hostile documents and crashed batches", items 2 and 4: nested Form XObjects, millions of
text operators, an inflate bomb, a sparse file posing as a PDF, memory beyond the budget, a
worker killed mid-read, a parent killed with its worker reading, and paths that are not files.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tradeverify.config import Settings
from tradeverify.extract.sandbox import DocumentSandbox

from ..conftest import SAMPLES
from ..fuzz import hostile

INVOICE = SAMPLES / "submissions" / "clean_digital" / "commercial_invoice.pdf"


@pytest.fixture(scope="module")
def sandbox() -> DocumentSandbox:
    box = DocumentSandbox(Settings(document_seconds=15.0))
    yield box
    box.close()


def codes(sandbox: DocumentSandbox, path: Path) -> list[str]:
    return [e.code for e in sandbox.extract(path).errors]


@pytest.mark.parametrize("build, code, words", [
    (hostile.nested_xobjects, "document_too_complex", "form draws"),
    (hostile.text_operators, "document_too_complex", "2,000,000 characters"),
    (lambda p: hostile.inflate_bomb(p, gib=0.1), "document_too_complex", "inflates past 64 MB"),
    (hostile.zero_mediabox, "extraction_failed", "no field could be read"),
    (hostile.broken_encrypt, "document_corrupt", "encryption dictionary is damaged"),
    (hostile.fifo, "not_a_regular_file", "a FIFO"),
    (hostile.symlink_to_zero, "not_a_regular_file", "a character device"),
    (hostile.directory, "not_a_regular_file", "a directory"),
], ids=["nested_xobjects", "text_operators", "inflate_bomb", "zero_mediabox", "broken_encrypt",
        "fifo", "symlink", "directory"])
def test_hostile_document_fails_typed(sandbox: DocumentSandbox, tmp_path: Path, build, code: str,
                                      words: str) -> None:
    path = build(tmp_path / "invoice.pdf")
    start = time.monotonic()
    doc = sandbox.extract(path)
    assert [e.code for e in doc.errors] == [code]
    assert words in doc.errors[0].message and doc.errors[0].message.startswith("invoice.pdf")
    assert time.monotonic() - start < 15  # well inside the budget (worker start-up included)


def test_the_next_document_reads_after_a_bomb(sandbox: DocumentSandbox, tmp_path: Path) -> None:
    assert codes(sandbox, hostile.nested_xobjects(tmp_path / "bomb.pdf")) == ["document_too_complex"]
    doc = sandbox.extract(INVOICE)
    assert doc.doc_type == "commercial_invoice" and not doc.errors and len(doc.fields) >= 15


def test_wall_clock_budget(tmp_path: Path) -> None:
    box = DocumentSandbox(Settings(document_seconds=2.0))
    try:
        path = hostile.sparse_pdf(tmp_path / "invoice.pdf")  # pdfminer scans 49 MB of zeros
        start = time.monotonic()
        doc = box.extract(path)
        assert [e.code for e in doc.errors] == ["document_timeout"]
        assert "budget of 2 s" in doc.errors[0].message
        assert time.monotonic() - start < 2.0 + 10  # 2 s budget + at most a worker start-up
    finally:
        box.close()


def test_memory_budget(tmp_path: Path) -> None:
    # The stream limit is lifted, so only the worker's memory cap stands between it and 1 GiB.
    box = DocumentSandbox(Settings(document_memory_mb=300, max_stream_mb=4096))
    try:
        doc = box.extract(hostile.inflate_bomb(tmp_path / "invoice.pdf", gib=0.5))
        assert [e.code for e in doc.errors] == ["document_too_complex"], doc.errors
    finally:
        box.close()


def test_killed_worker_fails_only_its_document(tmp_path: Path) -> None:
    box = DocumentSandbox(Settings(document_seconds=30.0))
    try:
        box.warm(1)
        # Killed only once started and reading: under load its start-up can take longer than 4 s.
        box._idle[0]._wait_ready()
        pid = box._idle[0].proc.pid
        path = hostile.sparse_pdf(tmp_path / "invoice.pdf")
        killer = threading.Timer(4.0, os.kill, (pid, signal.SIGKILL))
        killer.start()
        doc = box.extract(path)
        killer.join()
        assert [e.code for e in doc.errors] == ["document_reader_crashed"]
        assert "SIGKILL" in doc.errors[0].message
        assert box.extract(INVOICE).doc_type == "commercial_invoice"  # a new worker took over
    finally:
        box.close()


def test_worker_dies_with_its_parent(tmp_path: Path) -> None:
    """SIGKILL the process that owns a sandbox mid-read: its worker and Tesseract end too."""
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from tradeverify.config import Settings
        from tradeverify.extract.sandbox import DocumentSandbox
        box = DocumentSandbox(Settings(document_seconds=60.0))
        box.warm(1)
        print(box._idle[0].proc.pid, flush=True)
        box.extract(Path({str(hostile.sparse_pdf(tmp_path / 'invoice.pdf'))!r}))
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    worker = int(parent.stdout.readline())
    time.sleep(3.0)  # the worker is reading now
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(worker):
        time.sleep(0.1)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_readers_run_nicer_than_their_parent(tmp_path: Path) -> None:
    sandbox = DocumentSandbox(Settings(work_dir=tmp_path, reader_niceness=7), keep=1)
    try:
        sandbox.warm(1)
        (worker,) = sandbox._idle
        deadline = time.monotonic() + 60
        while not worker.started():  # niced as its first step, before it says it is ready
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert os.getpriority(os.PRIO_PROCESS, worker.proc.pid) == min(19, os.nice(0) + 7)
        doc = sandbox.extract(SAMPLES / "submissions" / "clean_digital" / "commercial_invoice.pdf")
        assert doc.doc_type == "commercial_invoice"
    finally:
        sandbox.close()


def test_a_timed_out_document_still_says_how_many_pages_it_has(tmp_path: Path) -> None:
    # the deadline grows by the page count the worker told; the failed result keeps that count
    box = DocumentSandbox(Settings(document_seconds=1.0, document_seconds_per_page=0.2))
    try:
        doc = box.extract(hostile.tiff_frames(tmp_path / "scan.tif", 8, (850, 1100)))
        assert [e.code for e in doc.errors] == ["document_timeout"]
        assert doc.pages == 8 and "budget of 3 s" in doc.errors[0].message
    finally:
        box.close()
