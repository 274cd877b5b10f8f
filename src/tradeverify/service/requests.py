"""What every request route shares: who calls, error bodies, and receiving a submission's uploads.

Uploads are written under the process's upload folder (never under a client's file name) with
the digests the audit trail and Idempotency-Key need; submission.json is checked and made to
speak for the caller's bank under an id the server chose.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, File, Request, UploadFile
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from tradeverify.config import Settings
from tradeverify.domain import ErrorInfo
from tradeverify.errors import DocumentTooLargeError, InputError, PermissionDeniedError
from tradeverify.pipeline import check_meta
from tradeverify.service.archive import expand, safe_name
from tradeverify.service.audit import digest
from tradeverify.service.keys import KeyStore, Principal


class ErrorBody(BaseModel):
    """The body of every error response: ``{"error": {"code", "message", "file"}}``."""

    error: ErrorInfo


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "bad input: submission.json or its values"},
    401: {"model": ErrorBody, "description": "no API key, or a wrong or revoked one"},
    403: {"model": ErrorBody, "description": "the key's role may not do this, or the body names "
                                             "another bank"},
    404: {"model": ErrorBody, "description": "no such submission or job of the caller's bank"},
    409: {"model": ErrorBody, "description": "the Idempotency-Key came with another request, or its "
                                             "first request is still running; or the job is not "
                                             "in a state that allows this (cancel, report)"},
    413: {"model": ErrorBody, "description": "the body, a document or the number of documents is "
                                             "above its limit"},
    429: {"model": ErrorBody, "description": "the key's rate limit is used up (see Retry-After)"},
    503: {"model": ErrorBody, "description": "as many verifications as allowed are running (see "
                                             "Retry-After), or reference data, model or service "
                                             "database unavailable"},
}
# Optional, yet typed without None: multipart cannot carry a null, so the OpenAPI document must
# not offer one (property-based clients would send the string "null"). Routes default it to None.
SubmissionFile = Annotated[UploadFile, File(description="submission.json (optional)")]
BEARER = HTTPBearer(auto_error=False, description="an API key from `tradeverify keys create`")


def caller(request: Request,
           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]) -> Principal:
    """Return the principal of the request's API key (401 without a valid one)."""
    early: Principal | None = getattr(request.state, "principal", None)  # service.limits.EarlyAuth
    if early is not None:
        return early
    keys: KeyStore = request.app.state.keys
    return keys.authenticate(credentials.credentials if credentials else None)


def require(principal: Principal, action: str) -> None:
    """Raise PermissionDeniedError unless the caller's role grants ``action``."""
    if not principal.may(action):
        raise PermissionDeniedError(f"role {principal.role!r} may not {action}")


def server_id(principal: Principal, idempotency_key: str | None) -> str:
    """Return the server's id for a new submission: random, or fixed by the Idempotency-Key.

    Fixed by the key, a retry of a request whose process was killed mid-way reuses the id, so
    what the first attempt registered is replaced, not left behind as a duplicate of it.
    """
    if idempotency_key is None:
        return f"api-{uuid.uuid4().hex}"
    return "api-" + digest(f"{principal.bank_id}\0{idempotency_key}".encode())[:32]


def for_bank(meta: dict[str, Any], principal: Principal, idempotency_key: str | None = None,
             ) -> dict[str, Any]:
    """Return the metadata speaking for the key's bank, under an id the server chose.

    The client's own ``submission_id`` is kept as ``client_reference``; a ``bank_id`` other than
    the key's is refused rather than silently replaced.
    """
    require(principal, "submit")
    check_meta(meta)
    claimed = meta.get("bank_id")
    if claimed is not None and claimed != principal.bank_id:
        raise PermissionDeniedError(
            f"submission.json names bank {claimed!r}; this API key speaks for {principal.bank_id!r}")
    reference = meta.get("submission_id")
    return {**meta, "bank_id": principal.bank_id, "submission_id": server_id(principal, idempotency_key),
            "client_reference": None if reference is None else str(reference)}


async def save_upload(upload: UploadFile, folder: Path, index: int,
                      limit: int) -> tuple[Path, dict[str, Any]]:
    """Write one upload; return its path and what the audit trail records of it."""
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise DocumentTooLargeError(f"{upload.filename}: larger than {limit} bytes",
                                    file=upload.filename)
    path = folder / f"{index:02d}-{safe_name(upload.filename, index)}"
    path.write_bytes(data)
    return path, {"name": path.name, "bytes": len(data), "sha256": digest(data)}


async def read_meta(upload: UploadFile | None) -> dict[str, Any]:
    """Return submission.json as an object ({} without one); InputError when it is not one."""
    if upload is None:
        return {}
    try:
        meta = json.loads(await upload.read())
    except ValueError as exc:
        raise InputError(f"submission.json is not valid JSON: {exc}") from exc
    if not isinstance(meta, dict):
        raise InputError("submission.json must be a JSON object")
    return meta


def request_digest(route: str, inputs: list[dict[str, Any]], meta: dict[str, Any], record: bool) -> str:
    """Return what identifies a request for its Idempotency-Key: documents, metadata, record."""
    client = {k: v for k, v in meta.items() if k != "submission_id"}  # the server's id is new each time
    body = json.dumps({"route": route, "inputs": [i["sha256"] for i in inputs], "meta": client,
                       "record": record}, sort_keys=True, default=str)
    return digest(body.encode())


async def receive(request: Request, principal: Principal, documents: list[UploadFile],
                  submission: UploadFile | None, folder: Path, idempotency_key: str | None = None,
                  archive: UploadFile | None = None, fields: dict[str, Any] | None = None,
                  ) -> tuple[dict[str, Any], list[tuple[Path, dict[str, Any]]]]:
    """Take a submission's uploads within the caller's limits: its metadata and the saved files.

    The documents are the ``documents`` parts and, if given, the members of the ``archive`` zip
    (whose own submission.json counts when no ``submission`` part is sent). Without either,
    the metadata is ``fields`` (the desk's upload form).
    """
    settings = request.app.state.settings
    request.app.state.rate.take(principal.key_id)
    packed_meta, packed = await _unpack(archive, folder, settings) if archive else (None, [])
    count = len(documents) + len(packed)
    if count == 0:
        raise InputError("no documents: send them as documents parts or as one archive zip")
    if count > settings.max_files_per_request:
        raise DocumentTooLargeError(f"{count} documents in one request, above the limit "
                                    f"of {settings.max_files_per_request}")
    if packed_meta is not None and submission is not None:
        raise InputError("submission.json came both as a part and inside the zip; send one")
    raw = await read_meta(submission) if submission is not None else packed_meta or fields or {}
    meta = for_bank(raw, principal, idempotency_key)
    saved = packed + [await save_upload(d, folder, len(packed) + i, settings.max_file_bytes)
                      for i, d in enumerate(documents)]
    return meta, saved


async def _unpack(archive: UploadFile, folder: Path, settings: Settings,
                  ) -> tuple[dict[str, Any] | None, list[tuple[Path, dict[str, Any]]]]:
    """Expand the zip part off the event loop (it is CPU and disk work)."""
    return await run_in_threadpool(
        expand, archive.file, folder, max_files=settings.max_files_per_request,
        max_file_bytes=settings.max_file_bytes, max_total_bytes=settings.max_request_bytes)


def known_query_only(request: Request) -> None:
    """Refuse query parameters the route does not take (400), so a typo is not silently ignored.

    ``?recrod=true`` would otherwise verify without registering, and the caller never know.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _query_names(dependant)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise InputError(f"unknown query parameter(s): {', '.join(map(repr, unknown))}; this route "
                         f"takes {', '.join(sorted(known)) or 'none'}")


def _query_names(dependant: Any) -> set[str]:
    """Return the query parameter names of a route and of its dependencies."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def parse_since(value: str | None) -> str | None:
    """Return an ISO 8601 date-time as UTC ISO text (InputError for anything else, e.g. a number)."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"since must be an ISO 8601 date-time such as 2026-12-01T00:00:00Z, "
                         f"not {value!r}") from exc
    return (when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)).isoformat()
