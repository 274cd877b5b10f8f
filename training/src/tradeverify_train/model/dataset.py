"""Feature table of a labelled world: real extraction, then the same matchers as scoring."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tradeverify.batch import submission_folders
from tradeverify.config import Settings, get_settings
from tradeverify.domain import DocumentResult, ErrorInfo
from tradeverify.errors import InputError
from tradeverify.extract.document import extract_document
from tradeverify.features.builder import build_evidence, feature_vector
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.match.chain import trade_model_of
from tradeverify.pipeline import read_submission
from tradeverify.reference.store import ReferenceStore
from tradeverify.rules.hard import red_flags

EXTRACTED_FILE = "extracted.jsonl"
UNLABELLED = -1  # ``Dataset.y`` of a row whose truth is not known (a bank's own input)
# Bumped when extraction output changes shape (e.g. document profiles): older caches are redone.
CACHE_VERSION = 3  # 3: contract profiles carry clause signatures


@dataclass
class Dataset:
    """Rows of features with labels and typologies."""

    ids: list[str]
    x: np.ndarray
    y: np.ndarray
    typology: list[str]
    # For evaluation: whether a hard rule fired (it forces the high band), and each trade model.
    flagged: np.ndarray | None = None
    trade_model: list[str] | None = None
    # Rows whose documents :func:`damage` changed (training and the incomplete-deal benchmark).
    damaged: np.ndarray | None = None
    # Per-row training weight (None: all 1); officers' feedback rows weigh more (model/feedback.py).
    weight: np.ndarray | None = None


def _extract_one(folder: Path) -> dict[str, object]:
    try:
        meta, files = read_submission(folder)
    except InputError as exc:  # one bad submission.json fails that submission, not the table
        return {"submission_id": folder.name, "error": str(exc), "cache_version": CACHE_VERSION}
    docs = [extract_document(f).dump_with_profile() for f in files]
    return {"submission_id": meta.get("submission_id", folder.name), "meta": meta, "documents": docs,
            "cache_version": CACHE_VERSION}


def extract_folders(
    folders: list[Path], workers: int, progress: Callable[[int, int], None] | None = None,
    master: str | None = None,
) -> list[dict[str, object]]:
    """Extract every submission folder once, in the folders' order.

    Locally in a pool of ``workers`` processes; on the Spark cluster at ``master`` when one is
    given (``features build --engine spark``), one task per core.
    """
    if master:
        from tradeverify.spark_batch import spark_map

        return list(spark_map(master, folders, _extract_one, get_settings(), progress))
    rows = []
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        for i, row in enumerate(pool.map(_extract_one, folders, chunksize=4)):
            rows.append(row)
            if progress:
                progress(i + 1, len(folders))
    return rows


def extract_world(
    world: Path, workers: int, progress: Callable[[int, int], None] | None = None,
    master: str | None = None,
) -> list[dict[str, object]]:
    """Extract every submission of a world once, caching the result beside it."""
    cache = world / EXTRACTED_FILE
    folders = sorted(p for p in (world / "submissions").iterdir() if p.is_dir())
    if cache.exists():
        rows = [json.loads(line) for line in cache.read_text().splitlines()]
        if len(rows) == len(folders) and all(r.get("cache_version") == CACHE_VERSION for r in rows):
            return rows
    rows = extract_folders(folders, workers, progress, master)
    cache.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows))
    return rows


def _labels(world: Path) -> dict[str, dict[str, str]]:
    with (world / "labels.csv").open(encoding="utf-8") as fh:
        return {r["submission_id"]: r for r in csv.DictReader(fh)}


DAMAGE_KINDS = ("removed", "unreadable", "thin")


def damage(docs: list[DocumentResult], rng: random.Random) -> list[DocumentResult]:
    """Return the documents with one of them removed, unreadable, or read with two fields only.

    Training sees honest and fraudulent deals damaged alike, so that a missing or badly read
    document is neither a fraud signal nor a clean bill to the model.
    """
    usable = [i for i, d in enumerate(docs) if d.fields]
    if not usable:
        return docs
    i, kind, out = rng.choice(usable), rng.choice(DAMAGE_KINDS), list(docs)
    if kind == "removed":
        del out[i]
    elif kind == "unreadable":
        error = ErrorInfo(code="document_corrupt", message="damaged for training", file=docs[i].file)
        out[i] = docs[i].model_copy(update={"fields": {}, "errors": [error], "doc_type": "unknown"})
    else:
        keep = rng.sample(sorted(docs[i].fields), min(2, len(docs[i].fields)))
        out[i] = docs[i].model_copy(update={"fields": {k: docs[i].fields[k] for k in keep}})
    return out


@dataclass
class _Rows:
    """Feature rows of extracted submissions, before labels are attached."""

    ids: list[str]
    x: np.ndarray
    flagged: np.ndarray
    damaged: np.ndarray


def _feature_rows(
    records: list[dict[str, object]], store: ReferenceStore, settings: Settings,
    damaged_rate: float = 0.0, seed: int = 0,
) -> _Rows:
    """Build each extracted submission's feature vector with the scoring code (parity)."""
    ids, rows, flagged, damaged = [], [], [], []
    for rec in records:
        sid = str(rec["submission_id"])
        docs = [DocumentResult.model_validate(d) for d in rec["documents"]]  # type: ignore[attr-defined]
        rng = random.Random(f"{seed}:{sid}")
        damaged.append(bool(damaged_rate) and rng.random() < damaged_rate)
        if damaged[-1]:
            docs = damage(docs, rng)
        meta = {**rec.get("meta", {}), "submission_id": sid}  # type: ignore[dict-item]
        ev = build_evidence(meta, docs, store, settings)
        ids.append(sid)
        rows.append(feature_vector(ev))
        flagged.append(bool(red_flags(ev, settings.port_call_tolerance_hours)))
    x = np.asarray(rows, dtype=float).reshape(len(ids), len(FEATURE_NAMES))
    return _Rows(ids, x, np.asarray(flagged, dtype=bool), np.asarray(damaged, dtype=bool))


def build_dataset(
    world: Path, settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None, damaged_rate: float = 0.0, seed: int = 0,
    master: str | None = None,
) -> Dataset:
    """Return the labelled feature table of a generated world.

    ``damaged_rate`` of the submissions (drawn per submission id from ``seed``) have one document
    damaged by :func:`damage` before their features are built (training only). ``master``: extract
    on that Spark cluster instead of the local process pool.
    """
    settings = settings or get_settings()
    store = ReferenceStore.open(world / "reference")
    labels = _labels(world)
    records = extract_world(world, settings.workers, progress, master)
    broken = [f"{r['submission_id']}: {r['error']}" for r in records if "error" in r]
    if broken:  # a labelled world is made whole by synth: a gap in it is an error, not a skip
        raise InputError(f"{len(broken)} submission(s) of {world} cannot be read: " + "; ".join(broken[:3]))
    rows = _feature_rows(records, store, settings, damaged_rate, seed)
    ids = rows.ids
    return Dataset(
        ids, rows.x, np.asarray([int(labels[i]["is_fraud"]) for i in ids], dtype=np.int64),
        [labels[i]["typology"] for i in ids], rows.flagged,
        [labels[i].get("trade_model") or "offshore_resale" for i in ids], rows.damaged,
    )


def build_input_dataset(
    folder: Path, settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None, master: str | None = None,
) -> tuple[Dataset, dict[str, str]]:
    """Return the unlabelled feature table of a bank's batch input, and the submissions skipped.

    ``folder`` holds submission folders as ``tradeverify batch`` takes them; features are
    matched against the configured reference store. Every row's label is :data:`UNLABELLED`.
    Nothing is written into ``folder``. A submission that cannot be read is skipped and named
    in the returned mapping (id -> why), so a table never hides a gap. ``master``: extract on
    that Spark cluster instead of the local process pool.
    """
    settings = settings or get_settings()
    store = ReferenceStore.open(settings.reference_dir)
    records = extract_folders(submission_folders(folder), settings.workers, progress, master)
    skipped = {str(r["submission_id"]): str(r["error"]) for r in records if "error" in r}
    rows = _feature_rows([r for r in records if "error" not in r], store, settings)
    n = len(rows.ids)
    metas: list[dict[str, Any]] = [dict(r.get("meta") or {}) for r in records if "error" not in r]  # type: ignore[call-overload]
    models = [trade_model_of(m.get("trade_model")) for m in metas]
    data = Dataset(rows.ids, rows.x, np.full(n, UNLABELLED, dtype=np.int64), [""] * n, rows.flagged,
                   models, None)
    return data, skipped
