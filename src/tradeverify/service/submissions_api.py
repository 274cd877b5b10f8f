"""Routes of stored submissions: send one (documents or a zip) to be verified, list, read, withdraw.

``POST /v1/submissions`` keeps the documents and queues their verification like ``POST
/v1/jobs``, and answers 202 with the server's submission id; the submission reads as
``queued``/``running`` until a worker stored its report. Every route is the caller's bank's
only: another bank's id is "not found", exactly like one that does not exist.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from tradeverify.domain import RiskReport
from tradeverify.errors import ConfigurationError, JobStateError, NotFoundError
from tradeverify.reference.registry import SubmissionRegistry
from tradeverify.service.jobs_api import CallbackUrl, IdempotencyKey, JobView, Record, accept, callback_for
from tradeverify.service.keys import Principal
from tradeverify.service.requests import ERRORS, SubmissionFile, caller, parse_since, receive, require

router = APIRouter()
# Typed without None for the reason SubmissionFile is (requests.py); the routes default them.
Documents = Annotated[list[UploadFile], File(description="PDF or image documents")]
Archive = Annotated[UploadFile, File(description=(
    "a zip of the documents (and optionally submission.json); members are read, never "
    "extracted by name, within the same count and size limits"))]


class Withdrawal(BaseModel):
    """What a withdrawal removed from the duplicate-financing registry."""

    submission_id: str
    withdrawn_rows: int


class SubmissionPage(BaseModel):
    """One page of the caller's submissions, newest first; ``next_offset`` is None on the last."""

    items: list[dict[str, Any]]
    next_offset: int | None


@router.post("/v1/submissions", status_code=202, response_model=JobView, responses=ERRORS)
async def submit(
    request: Request,
    response: Response,
    principal: Annotated[Principal, Depends(caller)],
    documents: Documents = None,  # type: ignore[assignment]
    archive: Archive = None,  # type: ignore[assignment]
    submission: SubmissionFile = None,  # type: ignore[assignment]
    callback_url: CallbackUrl = None,
    record: Record = False,
    idempotency_key: IdempotencyKey = None,
) -> JobView:
    """Store a submission's documents and queue its verification; 202 with the server's id.

    ``Location`` names the submission; ``GET`` it (or its job) until its status is a verdict.
    """
    callback = callback_for(request, principal, callback_url)
    with tempfile.TemporaryDirectory(dir=request.app.state.uploads) as tmp:
        meta, saved = await receive(request, principal, documents or [], submission, Path(tmp),
                                    idempotency_key, archive=archive)
        job = await accept(request, principal, meta, saved, route="submissions", record=record,
                           callback=callback, key=idempotency_key)
    response.headers["Location"] = f"/v1/submissions/{job.submission_id}"
    return job


@router.get("/v1/submissions", response_model=SubmissionPage, responses=ERRORS)
async def list_submissions(
    request: Request, principal: Annotated[Principal, Depends(caller)],
    status: Annotated[Literal["scored", "incomplete", "failed"] | None, Query()] = None,
    band: Annotated[Literal["low", "medium", "high"] | None, Query()] = None,
    since: Annotated[str | None, Query(description="created at or after (ISO 8601 date-time)",
                                       json_schema_extra={"format": "date-time"})] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SubmissionPage:
    """List the bank's verified submissions (those still queued are under their jobs)."""
    require(principal, "read")
    after = parse_since(since)
    page = request.app.state.store.page(principal.bank_id, status=status, band=band, since=after,
                                        limit=limit, offset=offset)
    return SubmissionPage(items=page.items, next_offset=page.next_offset)


def _pending(state: Any, bank_id: str, submission_id: str) -> dict[str, Any]:
    """Return the job of a submission not yet stored; NotFoundError when there is none."""
    job = state.jobs.of_submission(bank_id, submission_id)
    if job is None:
        raise NotFoundError(f"no submission {submission_id!r}")
    return job


@router.get("/v1/submissions/{submission_id}", responses=ERRORS)
async def get_submission(request: Request, principal: Annotated[Principal, Depends(caller)],
                         submission_id: str) -> dict[str, Any]:
    """Return a submission's summary: its verdict once stored, its job's state before."""
    require(principal, "read")
    state = request.app.state
    try:
        summary: dict[str, Any] = state.store.summary(principal.bank_id, submission_id)
        return summary
    except NotFoundError:
        job = _pending(state, principal.bank_id, submission_id)
    return {"submission_id": submission_id, "status": job["status"], "job_id": job["job_id"],
            "created_at": job["created_at"], "error": job["error"]}


@router.get("/v1/submissions/{submission_id}/report", response_model=RiskReport, responses=ERRORS)
async def get_report(request: Request, principal: Annotated[Principal, Depends(caller)],
                     submission_id: str) -> RiskReport:
    """Return a submission's stored report (409 while its job is queued or running)."""
    require(principal, "read")
    state = request.app.state
    try:
        report: RiskReport = state.store.report(principal.bank_id, submission_id)
    except NotFoundError:
        job = _pending(state, principal.bank_id, submission_id)
        raise JobStateError(f"submission {submission_id!r} is {job['status']}; its report exists "
                            "once its job is done") from None
    state.audit.append(principal, "read_report", submission_id, {})
    return report


@router.delete("/v1/submissions/{submission_id}/registration", response_model=Withdrawal,
               responses=ERRORS)
async def withdraw(request: Request, principal: Annotated[Principal, Depends(caller)],
                   submission_id: str) -> Withdrawal:
    """Remove the bank's own registry records of a submission (a deal that was not financed)."""
    require(principal, "submit")
    state = request.app.state
    state.store.summary(principal.bank_id, submission_id)  # another bank's: 404
    registry = state.engine.registry
    if not isinstance(registry, SubmissionRegistry):
        raise ConfigurationError("this service keeps no duplicate-financing registry")
    removed = await run_in_threadpool(registry.withdraw, principal.bank_id, submission_id)
    state.audit.append(principal, "withdraw", submission_id, {"rows": removed})
    return Withdrawal(submission_id=submission_id, withdrawn_rows=removed)
