"""Batch verification of a folder of submission folders on local worker processes.

The batch survives its own crashes. Each worker verifies one submission at a time; one that
dies (a signal, the OOM killer) is replaced and its submission tried once more, then failed
alone with ``worker_crashed``. Workers end when the main process ends, however it ends. They do
not write the duplicate-financing registry: they hand its rows back, and the main process
records them right before it appends the output row (:class:`RowWriter`: one write per row,
fsync'd on a cadence, a torn last line cut off on resume). A kill can leave at most the one
submission being written in the registry but not the output; resuming verifies it again and
replaces its registry rows, so output and registry agree.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing as mp
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from tradeverify.config import Settings
from tradeverify.errors import InputError, TradeVerifyError, WorkerCrashedError
from tradeverify.lifecycle import die_with_parent
from tradeverify.model.registry import with_fetched_model
from tradeverify.reference.registry import DeferredRegistry, SubmissionRegistry
from tradeverify.report.reasons import batch_row

ROW_FIELDS = ("submission_id", "status", "score", "band", "reason_codes", "red_flags", "errors")
ATTEMPTS = 2  # a submission whose worker dies this many times fails alone
FSYNC_EVERY_ROWS, FSYNC_EVERY_S = 50, 2.0


def _failed(folder: Path, error: TradeVerifyError) -> dict[str, Any]:
    return {"submission_id": folder.name, "status": "failed", "risk": {"score": None, "band": None},
            "errors": [error.to_dict()]}


class BatchVerifier:
    """One batch worker's engine: verifies submissions and hands their registry rows back.

    Used by the local pool's worker processes and by the Spark engine's executors alike.
    """

    def __init__(self, settings: Settings, reference: Path | None, model: Path | None) -> None:
        from tradeverify.pipeline import Engine

        self.engine = Engine.load(settings.model_copy(update={"record_submissions": False}), reference, model)
        self.deferred = None
        if settings.record_submissions:
            self.deferred = DeferredRegistry(SubmissionRegistry(settings.registry_location()))
            self.engine.registry = self.deferred

    def verify(self, folder: Path) -> tuple[dict[str, Any], list[list[Any]]]:
        """Return one submission's report (a failed one on a typed error) and its registry rows."""
        from tradeverify.pipeline import verify_submission

        try:
            report = verify_submission(folder, self.engine).model_dump(mode="json")
        except TradeVerifyError as exc:  # one bad submission never stops the batch
            report = _failed(folder, exc)
        return report, self.deferred.take() if self.deferred else []


def _serve(conn: Connection, settings: Settings, reference: Path | None, model: Path | None) -> None:
    """Worker process: load an engine, then verify the folders sent until told to stop."""
    die_with_parent()
    verifier = BatchVerifier(settings, reference, model)
    while (folder := conn.recv()) is not None:
        conn.send(verifier.verify(folder))


@dataclass
class _Worker:
    proc: Any
    conn: Connection
    task: int | None = None


@dataclass
class _Pool:
    """Workers, the queue of folder indexes, and what each attempt left."""

    args: tuple[Settings, Path | None, Path | None]
    queue: deque[int]
    workers: list[_Worker] = field(default_factory=list)
    attempts: dict[int, int] = field(default_factory=dict)

    def start(self) -> _Worker:
        ctx = mp.get_context("fork")  # the parent's imports are reused; workers are single-threaded
        ours, theirs = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(theirs, *self.args), daemon=True)
        proc.start()
        theirs.close()
        worker = _Worker(proc, ours)
        self.workers.append(worker)
        return worker

    def stop(self) -> None:
        for worker in self.workers:
            if worker.proc.is_alive():
                worker.proc.kill()
            worker.proc.join()
        self.workers = []


def run_batch(
    folders: list[Path], settings: Settings, reference: Path | None = None,
    model: Path | None = None,
) -> Iterator[tuple[dict[str, Any], list[list[Any]]]]:
    """Yield ``(RiskReport dict, registry rows)`` per submission folder, in folder order."""
    if not folders:
        return
    per_worker = settings.model_copy(update={"document_threads": 1})
    pool = _Pool((per_worker, reference, model), deque(range(len(folders))))
    done: dict[int, tuple[dict[str, Any], list[list[Any]]]] = {}
    try:
        for _ in range(max(1, min(settings.workers, len(folders)))):
            pool.start()
        for index in range(len(folders)):
            while index not in done:
                _step(pool, folders, done)
            yield done.pop(index)
    finally:
        pool.stop()


def _step(pool: _Pool, folders: list[Path], done: dict[int, Any]) -> None:
    """Give idle workers work, then wait for one answer or one death."""
    for worker in list(pool.workers):
        if worker.task is None and pool.queue:
            index = pool.queue.popleft()
            try:
                worker.conn.send(folders[index])
                worker.task = index
            except OSError:  # it died idle: the task goes back first, no attempt counted
                pool.queue.appendleft(index)
                _retire(pool, worker)
    busy = [w for w in pool.workers if w.task is not None]
    if not busy:
        return  # a replacement started above takes the task on the next step
    ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy])
    for worker in busy:
        if worker.conn in ready and worker.conn.poll():
            try:
                done[worker.task] = worker.conn.recv()  # type: ignore[index]
                worker.task = None
                continue
            except (EOFError, OSError):
                pass
        if worker.proc.sentinel in ready or not worker.proc.is_alive():
            _replace(pool, worker, folders, done)


def _replace(pool: _Pool, worker: _Worker, folders: list[Path], done: dict[int, Any]) -> None:
    """Retry the submission of a dead worker (or fail it alone) and start another worker."""
    index = worker.task
    _retire(pool, worker)
    assert index is not None
    pool.attempts[index] = pool.attempts.get(index, 0) + 1
    if pool.attempts[index] >= ATTEMPTS:
        error = WorkerCrashedError(f"{folders[index].name}: the worker verifying it died "
                                   f"{ATTEMPTS} times (exit code {worker.proc.exitcode})")
        done[index] = (_failed(folders[index], error), [])
    else:
        pool.queue.appendleft(index)


def _retire(pool: _Pool, worker: _Worker) -> None:
    """Reap a dead worker and start its replacement."""
    worker.proc.join()
    pool.workers.remove(worker)
    pool.start()


Runner = Callable[[list[Path], Settings, Path | None], Iterator[tuple[dict[str, Any], list[list[Any]]]]]


def batch_to_file(
    folders: list[Path], settings: Settings, out: Path, *, reference: Path | None = None,
    reports_dir: Path | None = None, append: bool = False,
    progress: Callable[[int, int], None] | None = None, runner: Runner | None = None,
) -> list[dict[str, Any]]:
    """Verify ``folders`` into the rows file ``out`` (and one report JSON each); return the rows.

    ``runner`` yields (report, registry rows) per folder: the local pool (:func:`run_batch`,
    the default) or the Spark engine (:func:`tradeverify.spark_batch.spark_runner`).
    """
    settings = with_fetched_model(settings)  # once, before the workers start
    registry = SubmissionRegistry(settings.registry_location()) if settings.record_submissions else None
    writer, rows = RowWriter(out, append=append), []
    if reports_dir:
        reports_dir.mkdir(parents=True, exist_ok=True)
    try:
        for report, registry_rows in (runner or run_batch)(folders, settings, reference):
            if registry is not None and registry_rows:
                registry.insert(registry_rows)
            if reports_dir:
                _write_atomic(reports_dir / f"{report['submission_id']}.json",
                              json.dumps(report, indent=2, ensure_ascii=False) + "\n")
            rows.append(writer.write(report))
            if progress:
                progress(len(rows), len(folders))
    finally:
        writer.close()
    return rows


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def submission_folders(root: Path) -> list[Path]:
    """Return the submission folders under ``root`` (folders holding at least one file)."""
    if not root.is_dir():
        raise InputError(f"batch input is not a folder: {root}")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and any(p.iterdir()))
    if not folders:
        raise InputError(f"no submission folders in {root}")
    return folders


def _cut_torn_tail(path: Path) -> None:
    """Cut a last line without its newline (a write the batch was killed in); it is redone."""
    with path.open("rb+") as fh:
        data = fh.read()
        if data and not data.endswith(b"\n"):
            fh.truncate(data.rfind(b"\n") + 1)


def done_ids(path: Path) -> set[str]:
    """Return the submission ids already written to a rows file (for ``--resume``)."""
    if not path.exists():
        return set()
    _cut_torn_tail(path)
    with path.open(encoding="utf-8") as fh:
        if path.suffix == ".csv":
            return {row["submission_id"] for row in csv.DictReader(fh)}
        return {json.loads(line)["submission_id"] for line in fh if line.strip()}


class RowWriter:
    """Writes batch rows as CSV or JSONL, chosen by the output file's extension.

    Each row is one ``write`` on an append-only descriptor, so a kill leaves whole rows and at
    most one torn last line; the file is fsync'd every 50 rows or 2 seconds and on close.
    """

    def __init__(self, path: Path, append: bool = False) -> None:
        if path.suffix not in (".csv", ".jsonl"):
            raise InputError(f"unsupported output type {path.suffix!r}: use .csv or .jsonl")
        path.parent.mkdir(parents=True, exist_ok=True)
        if append and path.exists():
            _cut_torn_tail(path)
        fresh = not (append and path.exists() and path.stat().st_size > 0)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if fresh else 0)
        self.path, self.fd = path, os.open(path, flags, 0o644)
        self.csv, self.unsynced, self.synced_at = path.suffix == ".csv", 0, time.monotonic()
        if self.csv and fresh:
            self._append(",".join(ROW_FIELDS) + "\n")

    def _append(self, text: str) -> None:
        os.write(self.fd, text.encode("utf-8"))
        self.unsynced += 1
        if self.unsynced >= FSYNC_EVERY_ROWS or time.monotonic() - self.synced_at > FSYNC_EVERY_S:
            self.sync()

    def sync(self) -> None:
        """Flush the rows written so far to disk."""
        os.fsync(self.fd)
        self.unsynced, self.synced_at = 0, time.monotonic()

    def write(self, report: dict[str, Any]) -> dict[str, Any]:
        """Append one report's row in a single write."""
        row = batch_row(report)
        if self.csv:
            buf = io.StringIO()
            csv.DictWriter(buf, ROW_FIELDS, lineterminator="\n").writerow(row)
            self._append(buf.getvalue())
        else:
            self._append(json.dumps(row) + "\n")
        return row

    def close(self) -> None:
        """Sync and close the file."""
        self.sync()
        os.close(self.fd)
