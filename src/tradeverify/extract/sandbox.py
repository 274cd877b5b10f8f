"""Read each document in an isolated worker process, under time, CPU and memory budgets.

A hostile file (nested Form XObjects, a stream that inflates to a gigabyte, millions of text
operators, a sparse file posing as a PDF) can make pdfminer, pdfium or Tesseract run for minutes
or take gigabytes. Reading it in the service's own process would stall or kill every other
submission. Here each document goes to a worker (:mod:`tradeverify.extract.sandbox_worker`):
the worker caps its own memory and CPU time; this side enforces the wall-clock deadline
(``document_seconds`` + ``document_seconds_per_page`` per page, from the page count the
worker reports first) and kills the worker's process group when it is passed. A failure of
any kind fails that document with a typed error; the worker is replaced and the caller goes on.

Workers are kept between documents (start-up imports the readers, about 1 s; the NER model
loads on first need) and one reads one document at a time; threads of one process share the pool.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from tradeverify.config import Settings
from tradeverify.domain import DocumentResult, ErrorInfo
from tradeverify.errors import (
    DocumentTimeoutError,
    ReaderCrashedError,
    TradeVerifyError,
)

_WORKER = [sys.executable, "-m", "tradeverify.extract.sandbox_worker"]
# Budget codes after which a worker is not reused: it may be out of memory or mid-parse.
STARTUP_S = 120.0
EXIT_S = 5.0
_RETIRE = frozenset({"document_too_complex", "document_timeout"})


class DocumentReader(Protocol):
    """What the pipeline asks of a document reader."""

    def extract(self, path: Path, doc_type: str | None = None) -> DocumentResult: ...  # noqa: D102


class InProcessReader:
    """Reads documents in the calling process (``isolate_documents=false``: trusted input only)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def extract(self, path: Path, doc_type: str | None = None) -> DocumentResult:
        """Read one document."""
        from tradeverify.extract.document import extract_document  # the sandbox's parent never needs it

        return extract_document(path, self.settings, doc_type=doc_type)


def _failed(path: Path, error: TradeVerifyError, pages: int = 0) -> DocumentResult:
    """Return a failed document; ``pages`` is the count the worker told before it failed."""
    return DocumentResult(file=path.name, pages=pages, errors=[
        ErrorInfo(code=error.code, message=error.message, file=path.name)])


class _Worker:
    """One worker process and its protocol pipe."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.proc = subprocess.Popen(
            _WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=None if settings.verbose else subprocess.DEVNULL,
            process_group=0,  # Tesseract runs in the worker's group: one kill ends both
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin, self.fd, self.buf = self.proc.stdin, self.proc.stdout.fileno(), bytearray()
        self.ready = False
        self.pages = 0  # the page count of the document being read, once the worker tells it
        self._send(json.loads(settings.model_dump_json()))

    def _wait_ready(self) -> None:
        """Wait for the worker's start-up (not part of any document's budget)."""
        if not self.ready and self._receive(time.monotonic() + STARTUP_S) is None:
            raise EOFError  # a worker that cannot start in minutes is treated as dead
        self.ready = True

    def _send(self, message: dict[str, Any]) -> None:
        self.stdin.write((json.dumps(message) + "\n").encode())
        self.stdin.flush()

    def _receive(self, deadline: float) -> dict[str, Any] | None:
        """Return the next message, None when the deadline passes; EOFError when the worker died."""
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                raise EOFError
            self.buf += chunk
        line, _, rest = bytes(self.buf).partition(b"\n")
        self.buf = bytearray(rest)
        message: dict[str, Any] = json.loads(line)
        return message

    def read(self, path: Path, doc_type: str | None) -> DocumentResult:
        """Have the worker read one document within its budget."""
        self.pages = 0
        try:
            self._wait_ready()
            self._send({"path": str(path.absolute()), "doc_type": doc_type})
            return self._answer(path)
        except (EOFError, BrokenPipeError):
            return _failed(path, self._death(path), self.pages)

    def _answer(self, path: Path) -> DocumentResult:
        """Wait for the result; past the deadline (moved by the page count) kill the worker."""
        s, start = self.settings, time.monotonic()
        deadline = start + s.document_seconds
        while (message := self._receive(deadline)) is not None:
            if "pages" in message:
                self.pages = int(message["pages"])
                deadline = start + s.document_seconds + s.document_seconds_per_page * self.pages
            elif "result" in message:
                return DocumentResult.model_validate(message["result"])
            else:
                return DocumentResult(file=path.name, errors=[ErrorInfo(**{**message["error"],
                                                                           "file": path.name})])
        self.kill()
        return _failed(path, DocumentTimeoutError(
            f"{path.name}: reading took longer than its budget of {deadline - start:.0f} s"), self.pages)

    def _death(self, path: Path) -> TradeVerifyError:
        """Name why the worker died (or would not start) while reading ``path``."""
        if not self.ready:
            self.kill()
            return ReaderCrashedError(f"{path.name}: the document reader did not start")
        try:
            code = self.proc.wait(timeout=EXIT_S)  # its pipe closed: it is exiting
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        if code == -signal.SIGXCPU:
            return DocumentTimeoutError(f"{path.name}: reading used more CPU time than its budget")
        how = f"exit status {code}"
        if code < 0:
            how = f"signal {signal.Signals(-code).name if -code in signal.valid_signals() else -code}"
        return ReaderCrashedError(f"{path.name}: the document reader died ({how})")

    def started(self) -> bool:
        """Whether the worker has finished its start-up; never waits for it."""
        if not self.ready and select.select([self.fd], [], [], 0)[0]:
            self._wait_ready()  # its "ready" line has arrived
        return self.ready

    def alive(self) -> bool:
        """Return whether the process still runs."""
        return self.proc.poll() is None

    def kill(self) -> None:
        """End the worker and everything it started."""
        if self.alive():
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()
        self.stdin.close()
        if self.proc.stdout:
            self.proc.stdout.close()


class DocumentSandbox:
    """A pool of isolated document readers; ``extract`` is safe to call from several threads."""

    def __init__(self, settings: Settings, keep: int = 2) -> None:
        self.settings, self.keep = settings, keep
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        atexit.register(self.close)

    def warm(self, count: int) -> None:
        """Have ``count`` idle workers (they import in the background while the caller loads)."""
        with self._lock:
            missing = max(0, min(count, self.keep) - len(self._idle))
        workers = [_Worker(self.settings) for _ in range(missing)]
        with self._lock:
            self._idle.extend(workers)

    def idle_started(self) -> int:
        """Return how many idle workers have finished starting (for a readiness probe)."""
        with self._lock:
            return sum(1 for w in self._idle if w.alive() and w.started())

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
        return _Worker(self.settings)

    def extract(self, path: Path, doc_type: str | None = None) -> DocumentResult:
        """Read one document in a worker; a budget or crash fails the document, never the caller."""
        worker = self._take()
        result = worker.read(Path(path), doc_type)
        # A worker past a budget is dead already (killed, or it quit after a MemoryError).
        with self._lock:
            if worker.alive() and len(self._idle) < self.keep:
                self._idle.append(worker)
                return result
        worker.kill()
        return result

    def close(self) -> None:
        """End every idle worker."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


# Settings that change how a document is read; engines that agree on them share one sandbox.
READER_SETTINGS = ("max_pages", "max_image_pixels", "max_file_bytes", "ocr_dpi", "ocr_lang",
                   "ner_model_dir", "document_seconds", "document_seconds_per_page",
                   "document_memory_mb", "max_chars_per_page", "max_stream_mb", "max_form_draws",
                   "verbose", "idle_readers", "reader_niceness")
_SHARED: dict[str, DocumentSandbox] = {}
_SHARED_LOCK = threading.Lock()


def _forget_after_fork() -> None:
    """In a forked child (a batch worker), drop the parent's workers: their pipes are the parent's."""
    global _SHARED_LOCK
    for sandbox in _SHARED.values():
        sandbox._idle, sandbox._lock = [], threading.Lock()
    _SHARED.clear()
    _SHARED_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)


def start_readers(settings: Settings) -> DocumentReader:
    """Return the reader with all the workers it keeps starting, so their imports overlap the caller's."""
    return document_reader(settings, warm=settings.idle_readers or settings.document_threads)


def document_reader(settings: Settings, warm: int = 0) -> DocumentReader:
    """Return this process's sandbox for these settings, or the in-process reader when isolation is off.

    ``warm`` workers are started now when the sandbox has fewer idle ones, so their start-up
    (about 1.5 s: imports and a warm-up read) overlaps the caller's own loading.
    """
    if not settings.isolate_documents:
        return InProcessReader(settings)
    key = settings.model_dump_json(include=set(READER_SETTINGS))
    with _SHARED_LOCK:
        sandbox = _SHARED.get(key)
        if sandbox is None:
            keep = settings.idle_readers or max(2, settings.document_threads)
            sandbox = _SHARED[key] = DocumentSandbox(settings, keep=keep)
    sandbox.warm(warm)
    return sandbox
