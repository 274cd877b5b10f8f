"""Routes of asynchronous verification: ``POST /v1/jobs`` answers 202 at once, workers verify.

The documents are kept (content-addressed) and the job written to the database before the
answer, so a job accepted is never lost: a worker, or the periodic redelivery after a crash,
runs it. Every route is the caller's bank's only; another bank's job is "not found".
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from pydantic import BaseModel
from sqlalchemy.engine import Connection
from starlette.concurrency import run_in_threadpool

from tradeverify.db import transact
from tradeverify.domain import ErrorInfo, RiskReport
from tradeverify.errors import JobStateError
from tradeverify.service.keys import Principal
from tradeverify.service.requests import ERRORS, SubmissionFile, caller, receive, request_digest, require
from tradeverify.service.webhooks import check_callback

router = APIRouter()


class JobView(BaseModel):
    """A job as its bank sees it; ``report_url`` once it is done, ``error`` once it failed."""

    job_id: str
    status: str
    submission_id: str
    attempts: int
    created_at: str
    updated_at: str
    webhook: str | None = None
    error: ErrorInfo | None = None
    report_url: str | None = None


def _view(job: dict[str, Any]) -> JobView:
    done = job["status"] == "done"
    return JobView(**job, report_url=f"/v1/submissions/{job['submission_id']}/report" if done else None)


def _create(state: Any, principal: Principal, saved: list[tuple[Path, dict[str, Any]]],
            meta: dict[str, Any], record: bool, callback_url: str | None, key: str | None) -> str:
    """Keep the documents; write job, audit entry and Idempotency-Key at once; queue it; return its id.

    One transaction: killed before it, nothing was accepted (and a retry with the key may go
    on); after it, the job exists and is run even if the queue never got its message.
    """
    for path, info in saved:
        state.store.keep_document(principal.bank_id, info["sha256"], path)
    inputs = [info for _, info in saved]

    def work(conn: Connection) -> str:
        job_id: str = state.jobs.create(conn, principal, meta, inputs, record, callback_url)
        state.audit.append(principal, "submit_job", job_id, {
            "inputs": inputs, "record": record, "submission_id": meta["submission_id"]}, conn=conn)
        if key:
            state.store.settle(principal.bank_id, key, job_id, conn)
        return job_id

    job_id = transact(state.jobs.engine, work)
    state.queue.send(job_id)
    return job_id


async def accept(request: Request, principal: Principal, meta: dict[str, Any],
                 saved: list[tuple[Path, dict[str, Any]]], *, route: str, record: bool,
                 callback: str | None, key: str | None) -> JobView:
    """Queue the received documents as a job, once per Idempotency-Key; return the job."""
    state, bank = request.app.state, principal.bank_id
    digest_ = request_digest(route, [info for _, info in saved], {**meta, "callback_url": callback}, record)
    earlier = (state.store.claim(bank, key, digest_, state.settings.idempotency_pending_seconds)
               if key else None)
    if earlier is not None:
        job = state.jobs.get(bank, earlier)
        if job["status"] == "queued":  # its message may have died with the first request's API
            state.queue.send(earlier)  # harmless if not: only one claim of a job succeeds
        return _view(job)
    try:
        job_id = await run_in_threadpool(_create, state, principal, saved, meta, record, callback, key)
    except BaseException:
        if key:
            state.store.settle(bank, key, None)
        raise
    return _view(state.jobs.get(bank, job_id))


def callback_for(request: Request, principal: Principal, callback_url: str | None) -> str | None:
    """Check that the caller may submit and that its callback URL may be called."""
    require(principal, "submit")
    settings = request.app.state.settings
    return check_callback(callback_url, settings.webhook_secret, settings.deployment == "production",
                          allow_private=settings.webhook_allow_private)


CallbackUrl = Annotated[str | None, Form(description=(
    "called with a signed POST when the job ends (needs the service's webhook secret; a "
    "public https address in production)"))]
Record = Annotated[bool, Query(description="register the documents' fingerprints in the "
                                           "duplicate-financing registry")]
IdempotencyKey = Annotated[str | None, Header(max_length=200, description=(
    "a retry with the same key and request gets the first job back, queued once"))]


@router.post("/v1/jobs", status_code=202, response_model=JobView, responses=ERRORS)
async def submit_job(
    request: Request,
    principal: Annotated[Principal, Depends(caller)],
    documents: Annotated[list[UploadFile], File(description="PDF or image documents", min_length=1)],
    submission: SubmissionFile = None,  # type: ignore[assignment]
    callback_url: CallbackUrl = None,
    record: Record = False,
    idempotency_key: IdempotencyKey = None,
) -> JobView:
    """Queue a verification; poll ``GET /v1/jobs/{job_id}`` or wait for the webhook."""
    callback = callback_for(request, principal, callback_url)
    with tempfile.TemporaryDirectory(dir=request.app.state.uploads) as tmp:
        meta, saved = await receive(request, principal, documents, submission, Path(tmp),
                                    idempotency_key)
        return await accept(request, principal, meta, saved, route="jobs", record=record,
                            callback=callback, key=idempotency_key)


@router.get("/v1/jobs/{job_id}", response_model=JobView, responses=ERRORS)
async def get_job(request: Request, principal: Annotated[Principal, Depends(caller)],
                  job_id: str) -> JobView:
    """Return one of the bank's jobs: queued, running, done, failed or cancelled."""
    require(principal, "read")
    return _view(request.app.state.jobs.get(principal.bank_id, job_id))


@router.get("/v1/jobs/{job_id}/report", response_model=RiskReport, responses=ERRORS)
async def get_job_report(request: Request, principal: Annotated[Principal, Depends(caller)],
                         job_id: str) -> RiskReport:
    """Return the report of a done job (409 while it is queued or running, or when it failed)."""
    require(principal, "read")
    state = request.app.state
    job = state.jobs.get(principal.bank_id, job_id)
    if job["status"] != "done":
        raise JobStateError(f"job {job_id!r} is {job['status']}; its report exists once it is done")
    report: RiskReport = state.store.report(principal.bank_id, job["submission_id"])
    state.audit.append(principal, "read_report", job["submission_id"], {"job_id": job_id})
    return report


@router.delete("/v1/jobs/{job_id}", response_model=JobView, responses=ERRORS)
async def cancel_job(request: Request, principal: Annotated[Principal, Depends(caller)],
                     job_id: str) -> JobView:
    """Cancel a queued job (409 once a worker has taken it)."""
    require(principal, "submit")
    state = request.app.state
    state.jobs.cancel(principal.bank_id, job_id)
    state.audit.append(principal, "cancel_job", job_id, {})
    return _view(state.jobs.get(principal.bank_id, job_id))
