"""FastAPI app: the same pipeline as the CLI, the engine loaded once at start."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, File, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from tradeverify import __version__
from tradeverify.config import Settings, get_settings
from tradeverify.domain import ErrorInfo, RiskReport
from tradeverify.errors import (
    AuthenticationError,
    ConfigurationError,
    DocumentTooLargeError,
    IdempotencyConflictError,
    InputError,
    ModelError,
    NotFoundError,
    PermissionDeniedError,
    ReferenceDataError,
    RetryLaterError,
    ServiceBusyError,
    TooManyRequestsError,
    TradeVerifyError,
)
from tradeverify.pipeline import Engine, check_meta, verify_files
from tradeverify.service.audit import AuditLog, digest
from tradeverify.service.keys import KeyStore, Principal
from tradeverify.service.limits import BodyLimit, InFlight, RateLimiter
from tradeverify.service.store import SubmissionStore

# Typed errors -> HTTP status, in this one place. A client's bad input is never a 500.
HTTP_STATUS: dict[type[TradeVerifyError], int] = {
    InputError: 400, AuthenticationError: 401, PermissionDeniedError: 403, NotFoundError: 404,
    IdempotencyConflictError: 409, DocumentTooLargeError: 413,
    TooManyRequestsError: 429, ReferenceDataError: 503, ModelError: 503, ConfigurationError: 503,
    ServiceBusyError: 503,
}
class ErrorBody(BaseModel):
    """The body of every error response: ``{"error": {"code", "message", "file"}}``."""

    error: ErrorInfo


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "bad input: submission.json or its values"},
    401: {"model": ErrorBody, "description": "no API key, or a wrong or revoked one"},
    403: {"model": ErrorBody, "description": "the key's role may not do this, or the body names "
                                             "another bank"},
    404: {"model": ErrorBody, "description": "no such submission of the caller's bank"},
    409: {"model": ErrorBody, "description": "the Idempotency-Key came with another request, or its "
                                             "first request is still running"},
    413: {"model": ErrorBody, "description": "the body, a document or the number of documents is "
                                             "above its limit"},
    429: {"model": ErrorBody, "description": "the key's rate limit is used up (see Retry-After)"},
    503: {"model": ErrorBody, "description": "as many verifications as allowed are running (see "
                                             "Retry-After), or reference data or model unavailable"},
}
_BEARER = HTTPBearer(auto_error=False, description="an API key from `tradeverify keys create`")


def caller(request: Request,
           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]) -> Principal:
    """Return the principal of the request's API key (401 without a valid one)."""
    keys: KeyStore = request.app.state.keys
    return keys.authenticate(credentials.credentials if credentials else None)


class SubmissionPage(BaseModel):
    """One page of the caller's submissions, newest first; ``next_offset`` is None on the last."""

    items: list[dict[str, Any]]
    next_offset: int | None


def _require(principal: Principal, action: str) -> None:
    if not principal.may(action):
        raise PermissionDeniedError(f"role {principal.role!r} may not {action}")


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _for_bank(meta: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """Return the metadata speaking for the key's bank, under an id the server chose.

    The client's own ``submission_id`` is kept as ``client_reference``; a ``bank_id`` other than
    the key's is refused rather than silently replaced.
    """
    _require(principal, "submit")
    check_meta(meta)
    claimed = meta.get("bank_id")
    if claimed is not None and claimed != principal.bank_id:
        raise PermissionDeniedError(
            f"submission.json names bank {claimed!r}; this API key speaks for {principal.bank_id!r}")
    reference = meta.get("submission_id")
    return {**meta, "bank_id": principal.bank_id, "submission_id": f"api-{uuid.uuid4().hex}",
            "client_reference": None if reference is None else str(reference)}


def _status(exc: TradeVerifyError) -> int:
    return next((s for t, s in HTTP_STATUS.items() if isinstance(exc, t)), 422)


def _safe_name(name: str | None, index: int) -> str:
    """Return a file name safe to write: no folders, no dot files, at most 100 characters."""
    base = Path(name or f"document-{index}").name
    if not base or base.startswith("."):
        return f"document-{index}"
    stem, suffix = Path(base).stem, Path(base).suffix[:10]
    return stem[: 100 - len(suffix)] + suffix


async def _save(upload: UploadFile, folder: Path, index: int, limit: int) -> tuple[Path, dict[str, Any]]:
    """Write one upload; return its path and what the audit trail records of it."""
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise DocumentTooLargeError(f"{upload.filename}: larger than {limit} bytes",
                                    file=upload.filename)
    path = folder / f"{index:02d}-{_safe_name(upload.filename, index)}"
    path.write_bytes(data)
    return path, {"name": path.name, "bytes": len(data), "sha256": digest(data)}


async def _meta(upload: UploadFile | None) -> dict[str, Any]:
    if upload is None:
        return {}
    try:
        meta = json.loads(await upload.read())
    except ValueError as exc:
        raise InputError(f"submission.json is not valid JSON: {exc}") from exc
    if not isinstance(meta, dict):
        raise InputError("submission.json must be a JSON object")
    return meta


def _audited(report: RiskReport, inputs: list[dict[str, Any]], record: bool) -> dict[str, Any]:
    """Return what the audit trail keeps of one verification."""
    return {"model": f"{report.risk.model.name}@{report.risk.model.version}", "inputs": inputs,
            "record": record, "status": report.status, "band": report.risk.band,
            "score": report.risk.score, "client_reference": report.client_reference}


def _request_digest(inputs: list[dict[str, Any]], meta: dict[str, Any], record: bool) -> str:
    """Return what identifies a request for its Idempotency-Key: documents, metadata, record."""
    client = {k: v for k, v in meta.items() if k != "submission_id"}  # the server's id is new each time
    body = json.dumps({"inputs": [i["sha256"] for i in inputs], "meta": client, "record": record},
                      sort_keys=True, default=str)
    return digest(body.encode())


def _verify_and_keep(state: Any, principal: Principal, saved: list[tuple[Path, dict[str, Any]]],
                     meta: dict[str, Any], record: bool) -> RiskReport:
    """Verify the saved uploads, keep the documents and the report, and write the audit entry."""
    report = verify_files([path for path, _ in saved], meta, state.engine, record=record)
    report.client_reference = meta["client_reference"]
    for path, info in saved:
        state.store.keep_document(principal.bank_id, info["sha256"], path)
    inputs = [info for _, info in saved]
    state.store.save(principal.bank_id, report, inputs)
    state.audit.append(principal, "verify", report.submission_id, _audited(report, inputs, record))
    return report


def uploads_dir(settings: Settings) -> Path:
    """Return this process's upload folder, after removing those of processes no longer running.

    Uploads live under ``<work_dir>/uploads/<pid>`` (never the system temp dir, never under a
    client's file name) and each request's folder is removed when it ends; what a killed process
    left is swept by the next one to start.
    """
    root = settings.work_dir / "uploads"
    root.mkdir(parents=True, exist_ok=True)
    for folder in root.iterdir():
        if folder.name.isdigit() and not Path(f"/proc/{folder.name}").exists():
            shutil.rmtree(folder, ignore_errors=True)
    mine = root / str(os.getpid())
    mine.mkdir(exist_ok=True)
    return mine


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, keys: KeyStore | None = None,
) -> FastAPI:
    """Build the app; the engine, the key store and the audit trail are opened once in the lifespan."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = engine or Engine.load(settings)
        app.state.keys = keys or KeyStore.at(settings.service_database())
        app.state.audit = AuditLog(str(app.state.keys.engine.url))  # the same database
        app.state.uploads = uploads_dir(settings)
        app.state.store = SubmissionStore(str(app.state.keys.engine.url), settings.work_dir / "documents")
        app.state.rate = RateLimiter(settings.rate_per_minute)
        app.state.inflight = InFlight(settings.max_inflight)
        yield

    app = FastAPI(title="tradeverify", version=__version__, lifespan=lifespan)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)

    @app.exception_handler(TradeVerifyError)
    async def typed_error(_: Request, exc: TradeVerifyError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RetryLaterError) else None
        return JSONResponse(status_code=_status(exc), content={"error": exc.to_dict()}, headers=headers)

    @app.get("/healthz")
    async def healthz(request: Request) -> dict[str, str]:
        eng: Engine = request.app.state.engine
        return {"status": "ok", "model": eng.model.name, "model_version": eng.model.version}

    @app.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        """Readiness: the model is loaded and the service database answers (503 otherwise)."""
        checks: dict[str, str] = {"model": "ok" if getattr(request.app.state, "engine", None) else "missing"}
        try:
            with request.app.state.keys.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:  # any driver error means "not ready", with the reason
            checks["database"] = f"error: {type(exc).__name__}"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(status_code=200 if ready else 503,
                            content={"status": "ready" if ready else "not ready", **checks})

    @app.post("/v1/verify", response_model=RiskReport, responses=_ERRORS)
    async def verify(
        request: Request,
        principal: Annotated[Principal, Depends(caller)],
        documents: Annotated[list[UploadFile], File(description="PDF or image documents")],
        submission: Annotated[UploadFile | None, File(description="submission.json")] = None,
        record: Annotated[bool, Query(description="register the documents' fingerprints in the "
                                      "duplicate-financing registry (once the deal is financed)")] = False,
        idempotency_key: Annotated[str | None, Header(max_length=200, description=(
            "a retry with the same key and request gets the first report back, verified and "
            "registered once"))] = None,
    ) -> RiskReport:
        state, bank = request.app.state, principal.bank_id
        state.rate.take(principal.key_id)
        if len(documents) > settings.max_files_per_request:
            raise DocumentTooLargeError(f"{len(documents)} documents in one request, above the limit "
                                        f"of {settings.max_files_per_request}")
        meta = _for_bank(await _meta(submission), principal)
        with state.inflight, tempfile.TemporaryDirectory(dir=state.uploads) as tmp:
            saved = [await _save(d, Path(tmp), i, settings.max_file_bytes)
                     for i, d in enumerate(documents)]
            digest_ = _request_digest([info for _, info in saved], meta, record)
            earlier = state.store.claim(bank, idempotency_key, digest_) if idempotency_key else None
            if earlier is not None:
                replay: RiskReport = state.store.report(bank, earlier)
                return replay
            try:  # OCR is CPU-bound, and the stores are blocking: off the event loop
                report: RiskReport = await run_in_threadpool(
                    _verify_and_keep, state, principal, saved, meta, record)
            except BaseException:
                if idempotency_key:
                    state.store.settle(bank, idempotency_key, None)  # the key may be used again
                raise
        if idempotency_key:
            state.store.settle(bank, idempotency_key, report.submission_id)
        return report

    @app.get("/v1/submissions", response_model=SubmissionPage, responses=_ERRORS)
    async def list_submissions(
        request: Request, principal: Annotated[Principal, Depends(caller)],
        status: Annotated[Literal["scored", "incomplete", "failed"] | None, Query()] = None,
        band: Annotated[Literal["low", "medium", "high"] | None, Query()] = None,
        since: Annotated[datetime | None, Query(description="created at or after (ISO 8601)")] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> SubmissionPage:
        _require(principal, "read")
        after = None if since is None else _utc(since).isoformat()
        page = request.app.state.store.page(principal.bank_id, status=status, band=band, since=after,
                                            limit=limit, offset=offset)
        return SubmissionPage(items=page.items, next_offset=page.next_offset)

    @app.get("/v1/submissions/{submission_id}", responses=_ERRORS)
    async def get_submission(request: Request, principal: Annotated[Principal, Depends(caller)],
                             submission_id: str) -> dict[str, Any]:
        _require(principal, "read")
        summary: dict[str, Any] = request.app.state.store.summary(principal.bank_id, submission_id)
        return summary

    @app.get("/v1/submissions/{submission_id}/report", response_model=RiskReport, responses=_ERRORS)
    async def get_report(request: Request, principal: Annotated[Principal, Depends(caller)],
                         submission_id: str) -> RiskReport:
        _require(principal, "read")
        report: RiskReport = request.app.state.store.report(principal.bank_id, submission_id)
        request.app.state.audit.append(principal, "read_report", submission_id, {})
        return report

    return app
