"""Batch verification of a folder of submission folders on a local process pool."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from tradeverify.config import Settings
from tradeverify.errors import InputError, TradeVerifyError
from tradeverify.pipeline import Engine, verify_submission
from tradeverify.report.reasons import batch_row

_ENGINE: Engine | None = None
ROW_FIELDS = ("submission_id", "status", "score", "band", "reason_codes", "red_flags", "errors")


def _init(settings: Settings, reference: Path | None, model: Path | None) -> None:
    global _ENGINE
    _ENGINE = Engine.load(settings, reference, model)


def _verify(folder: Path) -> dict[str, Any]:
    assert _ENGINE is not None
    try:
        return verify_submission(folder, _ENGINE).model_dump(mode="json")
    except TradeVerifyError as exc:  # one bad submission never stops the batch
        return {"submission_id": folder.name, "status": "failed",
                "risk": {"score": None, "band": None}, "errors": [exc.to_dict()]}


def submission_folders(root: Path) -> list[Path]:
    """Return the submission folders under ``root`` (folders holding at least one file)."""
    if not root.is_dir():
        raise InputError(f"batch input is not a folder: {root}")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and any(p.iterdir()))
    if not folders:
        raise InputError(f"no submission folders in {root}")
    return folders


def done_ids(path: Path) -> set[str]:
    """Return the submission ids already written to a rows file (for ``--resume``)."""
    if not path.exists():
        return set()
    with path.open(encoding="utf-8") as fh:
        if path.suffix == ".csv":
            return {row["submission_id"] for row in csv.DictReader(fh)}
        return {json.loads(line)["submission_id"] for line in fh if line.strip()}


def run_batch(
    folders: list[Path], settings: Settings, reference: Path | None = None,
    model: Path | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one RiskReport dict per submission folder, in folder order."""
    if not folders:
        return
    workers = max(1, min(settings.workers, len(folders)))
    per_worker = settings.model_copy(update={"document_threads": 1})
    with ProcessPoolExecutor(workers, initializer=_init, initargs=(per_worker, reference, model)) as pool:
        yield from pool.map(_verify, folders)


class RowWriter:
    """Writes batch rows as CSV or JSONL, chosen by the output file's extension."""

    def __init__(self, path: Path, append: bool = False) -> None:
        if path.suffix not in (".csv", ".jsonl"):
            raise InputError(f"unsupported output type {path.suffix!r}: use .csv or .jsonl")
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not (append and path.exists())
        self.path, self.fh = path, path.open("w" if fresh else "a", encoding="utf-8", newline="")
        is_csv = path.suffix == ".csv"
        self.csv = csv.DictWriter(self.fh, ROW_FIELDS, lineterminator="\n") if is_csv else None
        if self.csv and fresh:
            self.csv.writeheader()

    def write(self, report: dict[str, Any]) -> dict[str, Any]:
        """Write one report's row (flushed, so an interrupted batch keeps what it did)."""
        row = batch_row(report)
        if self.csv:
            self.csv.writerow(row)
        else:
            self.fh.write(json.dumps(row) + "\n")
        self.fh.flush()
        return row

    def close(self) -> None:
        """Close the file."""
        self.fh.close()
