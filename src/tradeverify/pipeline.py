"""verify(submission) = ingest -> extract -> match -> features -> score -> report."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from tradeverify.config import Settings, get_settings
from tradeverify.domain import (
    TRADE_MODELS,
    DocumentResult,
    ErrorInfo,
    ModelInfo,
    ReviewHint,
    Risk,
    RiskReport,
)
from tradeverify.errors import ExtractionError, InputError, MissingDocumentError
from tradeverify.extract.sandbox import DocumentReader, start_readers
from tradeverify.features.builder import build_evidence, feature_vector
from tradeverify.features.spec import FEATURE_NAMES
from tradeverify.match.evidence import ROLES, SubmissionDocs, group_documents
from tradeverify.model.registry import with_fetched_model
from tradeverify.model.risk import RiskModel
from tradeverify.reference.registry import DeferredRegistry, SubmissionRegistry
from tradeverify.reference.store import ReferenceStore
from tradeverify.report.incomplete import incomplete_reason, merge_reasons, unknown_mask
from tradeverify.report.reasons import reasons
from tradeverify.rules.hard import red_flags

META_FILE = "submission.json"
# A document read with fewer fields than this leaves the submission incomplete (its fields still count).
MIN_FIELDS = 3


@dataclass
class Engine:
    """What verification needs, loaded once per process (CLI start, API lifespan, worker)."""

    settings: Settings
    store: ReferenceStore
    model: RiskModel
    # Reads each document in an isolated, budgeted worker (unless isolate_documents is off).
    reader: DocumentReader
    # Batch workers hold a DeferredRegistry: the batch writes its rows with the output row.
    registry: SubmissionRegistry | DeferredRegistry | None = None

    @classmethod
    def load(
        cls, settings: Settings | None = None, reference_dir: Path | None = None,
        model_dir: Path | None = None,
    ) -> Engine:
        """Open the reference store and the packaged model."""
        settings = with_fetched_model(settings or get_settings())
        settings.check_deployment()
        store = ReferenceStore.open(reference_dir or settings.reference_dir)
        registry = (SubmissionRegistry(settings.registry_location())
                    if settings.record_submissions else None)
        # Readers start importing now, while the model loads: all that will be kept (a service
        # keeps one per verification in flight; each started on demand cost its request ~2 s).
        reader = start_readers(settings)
        return cls(settings, store, RiskModel.load(model_dir or settings.model_dir), reader, registry)


@contextmanager
def _timer(timings: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[name] = round((time.perf_counter() - start) * 1000, 1)


def read_submission(folder: Path) -> tuple[dict[str, Any], list[Path]]:
    """Return a submission folder's metadata and its document files.

    Raises:
        InputError: the folder does not exist or submission.json is not valid JSON.

    """
    if not folder.is_dir():
        raise InputError(f"submission folder not found: {folder}")
    meta: dict[str, Any] = {}
    meta_path = folder / META_FILE
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"{meta_path}: not valid JSON ({exc})", file=str(meta_path)) from exc
    # Every entry is a document, a FIFO or directory too: the reader names what it is instead of
    # the submission silently missing a document.
    files = sorted(p for p in folder.iterdir() if p.name != META_FILE and not p.name.startswith("."))
    return meta, files


def submission_id(folder: Path) -> str:
    """Return a submission's id: submission.json's, else the folder name."""
    try:
        meta, _ = read_submission(folder)
    except InputError:
        return folder.name
    return str(meta.get("submission_id") or folder.name)


def verify_submission(folder: Path, engine: Engine) -> RiskReport:
    """Verify one submission folder."""
    meta, files = read_submission(folder)
    meta.setdefault("submission_id", folder.name)
    return verify_files(files, meta, engine)


def check_meta(meta: dict[str, Any]) -> None:
    """Reject submission metadata the checks would misread or the registry would store wrongly.

    Raises:
        InputError: ``trade_model`` is not one of the four trade models; ``bank_id``,
            ``submission_id`` or ``applicant`` is not a string; ``submitted_at`` is not an ISO date.

    """
    model = meta.get("trade_model")
    if model is not None and model not in TRADE_MODELS:
        raise InputError(f"unknown trade_model {model!r}; expected one of: {', '.join(TRADE_MODELS)} "
                         "(or leave it out for offshore_resale)")
    for key in ("bank_id", "submission_id", "applicant"):
        if meta.get(key) is not None and not isinstance(meta[key], str | int):
            raise InputError(f"{key} must be a string, not {type(meta[key]).__name__}")
    when = meta.get("submitted_at")
    if when is not None:
        try:
            datetime.fromisoformat(str(when))
        except ValueError:
            raise InputError(f"submitted_at {when!r} is not an ISO date (e.g. 2025-03-04)") from None


def verify_files(
    files: list[Path], meta: dict[str, Any], engine: Engine, *, record: bool = True,
) -> RiskReport:
    """Verify documents with their submission metadata; bad documents never fail the batch.

    ``record`` registers the submission's fingerprints in the duplicate-financing registry.
    """
    check_meta(meta)
    timings: dict[str, float] = {}
    with _timer(timings, "extract"):
        threads = max(1, min(engine.settings.document_threads, len(files)))
        if threads == 1:
            documents = [engine.reader.extract(path) for path in files]
        else:
            with ThreadPoolExecutor(threads) as pool:
                documents = list(pool.map(engine.reader.extract, files))
    return assess(documents, meta, engine, timings, record=record)


def _errors(documents: list[DocumentResult], grouped: SubmissionDocs) -> list[ErrorInfo]:
    errors = [e for d in documents for e in d.errors]
    for doc in documents:
        if 0 < len(doc.fields) < MIN_FIELDS:
            thin = ExtractionError(f"{doc.file}: only {len(doc.fields)} field(s) of the "
                                   f"{doc.doc_type.replace('_', ' ')} could be read")
            errors.append(ErrorInfo(code=thin.code, message=thin.message, file=doc.file))
    for role in grouped.missing():
        err = MissingDocumentError(f"no readable {role.replace('_', ' ')} in the submission")
        errors.append(ErrorInfo(code=err.code, message=err.message))
    return errors


def assess(
    documents: list[DocumentResult], meta: dict[str, Any], engine: Engine,
    timings: dict[str, float] | None = None, *, record: bool = True,
) -> RiskReport:
    """Match, score and report extracted documents (training uses the same matchers)."""
    timings = timings if timings is not None else {}
    sid, applicant = str(meta.get("submission_id", "unknown")), meta.get("applicant")
    model = ModelInfo(name=engine.model.name, version=engine.model.version)
    grouped = group_documents(documents, applicant)
    errors = _errors(documents, grouped)
    usable = [d for d in documents if d.fields]
    if not usable:
        return RiskReport(submission_id=sid, status="failed", documents=documents, errors=errors,
                          risk=Risk(score=None, band=None, model=model), timings_ms=timings)
    with _timer(timings, "match"):
        meta = {**meta, "submission_id": sid}
        ev = build_evidence(meta, documents, engine.store, engine.settings, engine.registry)
    complete = not errors and len(usable) >= len(ROLES)
    with _timer(timings, "score"):
        row = feature_vector(ev)
        x = engine.model.prepare(np.asarray([row]))
        score = float(engine.model.predict_proba(x)[0])
        contrib = engine.model.contributions(x)[0]
        facts = {**ev.facts, "outlier": engine.model.explain_outlier(x[0])}
        why = reasons(contrib, list(x[0]), facts)
        flags = red_flags(ev, engine.settings.port_call_tolerance_hours)
        supported = None if complete else engine.model.proba_without(x, contrib, unknown_mask(list(x[0])))
        band = band_of(score, bool(flags), supported, engine.settings)
        if supported is not None:
            why = merge_reasons(incomplete_reason(errors, ev.checks, supported), why)
    if record and engine.registry is not None:
        # Recorded after the lookup: a submission is never its own duplicate.
        engine.registry.record(meta, grouped, engine.settings.registry_key)
    return RiskReport(
        submission_id=sid, status="scored" if complete else "incomplete",
        risk=Risk(score=round(score, 4), band=band, model=model),
        reasons=why, red_flags=flags, checks=ev.checks, documents=documents, errors=errors,
        review=review_hints(documents, engine.settings.review_confidence), timings_ms=timings,
        trade_model=meta.get("trade_model") or TRADE_MODELS[0], features=scored_row(row),
    )


def scored_row(row: list[float]) -> dict[str, float | None]:
    """Return a feature row by name (spec order), unknown values as None (JSON has no NaN)."""
    return {name: None if math.isnan(v) else v for name, v in zip(FEATURE_NAMES, row, strict=True)}


def review_hints(documents: list[DocumentResult], threshold: float) -> list[ReviewHint]:
    """Return every field read below ``threshold`` confidence, least sure first."""
    hints = [
        ReviewHint(file=d.file, field=name, raw=f.raw, confidence=f.confidence, page=f.page, bbox=f.bbox,
                   reason=f.reason)
        for d in documents for name, f in d.fields.items() if f.confidence < threshold
    ]
    return sorted(hints, key=lambda h: h.confidence)


def band_of(score: float, flagged: bool, supported: float | None, settings: Settings) -> Any:
    """Return the band; ``supported`` is given for an incomplete submission (report/incomplete.py).

    Complete: high on a red flag or a high score, else medium or low by the score. Incomplete:
    never low; high on a red flag or when the evidence that was read supports a high score.
    """
    if flagged or (supported if supported is not None else score) >= settings.band_high:
        return "high"
    if supported is not None or score >= settings.band_medium:
        return "medium"
    return "low"
