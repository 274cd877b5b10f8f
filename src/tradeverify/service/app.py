"""FastAPI app: the same pipeline as the CLI, the engine loaded once at start."""

from __future__ import annotations

import json
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from tradeverify import __version__
from tradeverify.config import Settings, get_settings
from tradeverify.domain import RiskReport
from tradeverify.errors import (
    ConfigurationError,
    DocumentTooLargeError,
    InputError,
    ModelError,
    ReferenceDataError,
    TradeVerifyError,
)
from tradeverify.pipeline import Engine, verify_files

# Typed errors -> HTTP status, in this one place. A client's bad input is never a 500.
HTTP_STATUS: dict[type[TradeVerifyError], int] = {
    InputError: 400, DocumentTooLargeError: 413, ReferenceDataError: 503, ModelError: 503,
    ConfigurationError: 503,
}


def _status(exc: TradeVerifyError) -> int:
    return next((s for t, s in HTTP_STATUS.items() if isinstance(exc, t)), 422)


def _safe_name(name: str | None, index: int) -> str:
    base = Path(name or f"document-{index}").name
    return base if base and not base.startswith(".") else f"document-{index}"


async def _save(upload: UploadFile, folder: Path, index: int, limit: int) -> Path:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise DocumentTooLargeError(f"{upload.filename}: larger than {limit} bytes",
                                    file=upload.filename)
    path = folder / f"{index:02d}-{_safe_name(upload.filename, index)}"
    path.write_bytes(data)
    return path


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


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the app; the engine (store + model) is loaded once in the lifespan."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = engine or Engine.load(settings)
        yield

    app = FastAPI(title="tradeverify", version=__version__, lifespan=lifespan)

    @app.exception_handler(TradeVerifyError)
    async def typed_error(_: Request, exc: TradeVerifyError) -> JSONResponse:
        return JSONResponse(status_code=_status(exc), content={"error": exc.to_dict()})

    @app.get("/healthz")
    async def healthz(request: Request) -> dict[str, str]:
        eng: Engine = request.app.state.engine
        return {"status": "ok", "model": eng.model.name, "model_version": eng.model.version}

    @app.post("/v1/verify", response_model=RiskReport)
    async def verify(
        request: Request,
        documents: Annotated[list[UploadFile], File(description="PDF or image documents")],
        submission: Annotated[UploadFile | None, File(description="submission.json")] = None,
    ) -> RiskReport:
        eng: Engine = request.app.state.engine
        meta = await _meta(submission)
        with tempfile.TemporaryDirectory(prefix="tv-") as tmp:
            paths = [await _save(d, Path(tmp), i, settings.max_file_bytes)
                     for i, d in enumerate(documents)]
            meta.setdefault("submission_id", "api-" + Path(tmp).name[3:])
            # OCR is CPU-bound: keep it off the event loop.
            return await run_in_threadpool(verify_files, paths, meta, eng)

    return app
