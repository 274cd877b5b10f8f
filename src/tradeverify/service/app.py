"""FastAPI app: the same pipeline as the CLI, the engine loaded once at start."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from tradeverify import __version__
from tradeverify.config import Settings, get_settings
from tradeverify.domain import RiskReport
from tradeverify.errors import (
    AuthenticationError,
    ConfigurationError,
    DatabaseError,
    DocumentTooLargeError,
    IdempotencyConflictError,
    InputError,
    JobStateError,
    ModelError,
    NotFoundError,
    PermissionDeniedError,
    ReferenceDataError,
    RetryLaterError,
    ServiceBusyError,
    TooManyRequestsError,
    TradeVerifyError,
)
from tradeverify.extract.sandbox import DocumentSandbox
from tradeverify.pipeline import Engine
from tradeverify.service import jobs_api, submissions_api
from tradeverify.service.audit import AuditLog
from tradeverify.service.decisions import DecisionLog
from tradeverify.service.desk import routes as desk_routes
from tradeverify.service.desk.web import error_page
from tradeverify.service.jobs import JobStore
from tradeverify.service.keys import KeyStore, Principal
from tradeverify.service.limits import Admission, BodyLimit, EarlyAuth, InFlight, RateLimiter
from tradeverify.service.observe import Metrics, RequestLog
from tradeverify.service.officers import OfficerStore
from tradeverify.service.queue import JobQueue
from tradeverify.service.requests import (
    ERRORS,
    SubmissionFile,
    caller,
    known_query_only,
    receive,
    request_digest,
)
from tradeverify.service.store import SubmissionStore
from tradeverify.service.verifying import verify_and_keep

# Typed errors -> HTTP status, in this one place. A client's bad input is never a 500.
HTTP_STATUS: dict[type[TradeVerifyError], int] = {
    InputError: 400, AuthenticationError: 401, PermissionDeniedError: 403, NotFoundError: 404,
    IdempotencyConflictError: 409, JobStateError: 409, DocumentTooLargeError: 413,
    TooManyRequestsError: 429, ReferenceDataError: 503, ModelError: 503, ConfigurationError: 503,
    ServiceBusyError: 503, DatabaseError: 503,
}


_FRAMEWORK_CODES = {400: "input_error", 404: "not_found", 405: "method_not_allowed"}


def _status(exc: TradeVerifyError) -> int:
    return next((s for t, s in HTTP_STATUS.items() if isinstance(exc, t)), 422)


def uploads_dir(settings: Settings) -> Path:
    """Return this process's upload folder, after removing those of processes no longer running.

    Uploads live under ``<work_dir>/uploads/<pid>`` (never the system temp dir, never under a
    client's file name) and each request's folder is removed when it ends; what a killed process
    (API or worker) left is swept by the next API process to start.
    """
    root = settings.work_dir / "uploads"
    root.mkdir(parents=True, exist_ok=True)
    for folder in root.iterdir():
        if folder.name.isdigit() and not Path(f"/proc/{folder.name}").exists():
            shutil.rmtree(folder, ignore_errors=True)
    mine = root / str(os.getpid())
    mine.mkdir(exist_ok=True)
    return mine


def _serving(settings: Settings) -> Settings:
    """Return the settings the API's engine loads with: readers kept for every verification in flight.

    With only two kept, four concurrent requests started a reader process per document and
    four clients got a third of one client's throughput (benchmarks/service.py).
    """
    if settings.idle_readers:
        return settings
    return settings.model_copy(update={"idle_readers": settings.max_inflight * settings.document_threads})


def _readers(state: Any) -> str:
    """Return whether the document readers a service keeps have started ("ok", or how many have).

    Checked until they all have once: later, readers busy with verifications are not idle, and
    a service under load is not "not ready".
    """
    engine = getattr(state, "engine", None)
    reader = getattr(engine, "reader", None)
    if getattr(state, "readers_started", False) or not isinstance(reader, DocumentSandbox):
        return "ok"  # started once, or documents are read in this process
    wanted = min(reader.keep, engine.settings.idle_readers) if engine else 0
    started = reader.idle_started()
    state.readers_started = started >= wanted
    return "ok" if state.readers_started else f"starting: {started} of {wanted}"


def _ready(state: Any) -> dict[str, str]:
    """Return the readiness of the model, the document readers, the database and the job queue.

    Not ready until the readers kept for verifications in flight have started: a request sent
    sooner waited seconds for them (benchmarks/service.py, the first request at 1 client).
    """
    checks: dict[str, str] = {"model": "ok" if getattr(state, "engine", None) else "missing",
                              "readers": _readers(state)}
    try:
        with state.keys.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "not ready", with the reason
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        state.queue.ping()
        checks["queue"] = "ok"
    except Exception as exc:  # the same for the broker
        checks["queue"] = f"error: {type(exc).__name__}"
    return checks


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, keys: KeyStore | None = None,
) -> FastAPI:
    """Build the app; the engine, the key store and the audit trail are opened once in the lifespan."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url = keys.url if keys else settings.service_url()
        state = app.state
        state.settings, state.engine = settings, engine or Engine.load(_serving(settings))
        state.keys = keys or KeyStore(url)
        state.audit = AuditLog(url)  # the same database
        state.uploads = uploads_dir(settings)
        state.store = SubmissionStore(url, settings.work_dir / "documents")
        state.officers = OfficerStore(url, settings.desk_session_minutes)
        state.decisions = DecisionLog(url, state.audit, settings.desk_four_eyes)
        state.jobs = JobStore(url, settings.job_lease_seconds, settings.job_max_attempts)
        state.queue = JobQueue(settings)
        state.rate = RateLimiter(settings.rate_per_minute)
        state.inflight = InFlight(settings.max_inflight)
        yield

    app = FastAPI(title="tradeverify", version=__version__, lifespan=lifespan,
                  dependencies=[Depends(known_query_only)])
    metrics = app.state.metrics = Metrics()
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    app.add_middleware(Admission)  # a busy answer before the body is read, after the key is checked
    app.add_middleware(EarlyAuth)  # outside BodyLimit: an anonymous body is not even counted
    app.add_middleware(RequestLog, metrics=metrics)  # outermost: a 413 gets its id and log line too

    @app.exception_handler(TradeVerifyError)
    async def typed_error(request: Request, exc: TradeVerifyError) -> Response:
        if request.url.path.startswith("/desk"):  # a person at a browser: a page, not JSON
            return error_page(request, exc, _status(exc))
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RetryLaterError) else None
        return JSONResponse(status_code=_status(exc), content={"error": exc.to_dict()}, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def framework_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        """Answer the framework's own refusals (malformed multipart, unknown path) in our error body."""
        code = _FRAMEWORK_CODES.get(exc.status_code, "http_error")
        return JSONResponse(status_code=exc.status_code, headers=exc.headers,
                            content={"error": {"code": code, "message": str(exc.detail), "file": None}})

    @app.get("/healthz")
    async def healthz(request: Request) -> dict[str, str]:
        eng: Engine = request.app.state.engine
        return {"status": "ok", "model": eng.model.name, "model_version": eng.model.version}

    @app.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        """Readiness: the model is loaded, the database and the job queue answer (503 otherwise)."""
        checks = await run_in_threadpool(_ready, request.app.state)
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(status_code=200 if ready else 503,
                            content={"status": "ready" if ready else "not ready", **checks})

    @app.get("/metrics", response_class=Response)
    async def metrics_route(request: Request) -> Response:
        """Prometheus metrics: requests by route and status, latency, work in flight, queue depth."""
        state = request.app.state
        metrics.inflight.set(state.inflight.running)
        try:
            metrics.queued.set(await run_in_threadpool(state.queue.huey.pending_count))
        except Exception:  # a broker that is down shows in /readyz; the other metrics still count
            metrics.queued.set(float("nan"))
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    @app.post("/v1/verify", response_model=RiskReport, responses=ERRORS)
    async def verify(
        request: Request,
        principal: Annotated[Principal, Depends(caller)],
        documents: Annotated[list[UploadFile], File(description="PDF or image documents", min_length=1)],
        submission: SubmissionFile = None,  # type: ignore[assignment]
        record: Annotated[bool, Query(description="register the documents' fingerprints in the "
                                      "duplicate-financing registry (once the deal is financed)")] = False,
        idempotency_key: Annotated[str | None, Header(max_length=200, description=(
            "a retry with the same key and request gets the first report back, verified and "
            "registered once"))] = None,
    ) -> RiskReport:
        state, bank = request.app.state, principal.bank_id
        with tempfile.TemporaryDirectory(dir=state.uploads) as tmp:  # in its slot (limits.Admission)
            meta, saved = await receive(request, principal, documents, submission, Path(tmp),
                                        idempotency_key)
            digest_ = request_digest("verify", [info for _, info in saved], meta, record)
            earlier = (state.store.claim(bank, idempotency_key, digest_, settings.idempotency_pending_seconds)
                       if idempotency_key else None)
            if earlier is not None:
                replay: RiskReport = state.store.report(bank, earlier)
                return replay
            try:  # OCR is CPU-bound, and the stores are blocking: off the event loop
                report: RiskReport = await run_in_threadpool(
                    verify_and_keep, state, principal, saved, meta, record, idempotency_key)
            except BaseException:
                if idempotency_key:
                    state.store.settle(bank, idempotency_key, None)  # the key may be used again
                raise
        return report

    app.include_router(jobs_api.router)
    app.include_router(submissions_api.router)
    app.include_router(desk_routes.router)
    return app
