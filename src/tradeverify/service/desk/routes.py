"""The review desk's pages under ``/desk``: sign in, queue, submission, decision, audit trail.

Thin: each route checks the session (and a POST its CSRF token), calls the stores the REST API
uses (submissions, decisions, audit trail, officers) and renders a template. Everything an
officer sees or does is their own bank's only: another bank's submission is "not found".
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from tradeverify.domain import TRADE_MODELS, TYPOLOGIES, RiskReport
from tradeverify.errors import AuthenticationError, InputError, NotFoundError
from tradeverify.report.html import embedded_pages, render_html, report_css
from tradeverify.report.pages import page_image
from tradeverify.service.decisions import CORRECTABLE, Correction, Decision
from tradeverify.service.desk.facts import reference_facts
from tradeverify.service.desk.queue import PAGE_SIZE, REVIEW_STATES, QueueFilter, band_counts, queue_page
from tradeverify.service.desk.web import (
    HEADERS,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    STATIC,
    check_csrf,
    current_officer,
    login_token,
    render,
    safe_next,
    set_cookie,
)
from tradeverify.service.officers import Officer
from tradeverify.service.requests import receive
from tradeverify.service.verifying import verify_and_keep

router = APIRouter(prefix="/desk", include_in_schema=False)
SignedIn = Annotated[Officer, Depends(current_officer)]
CORRECTION_ROWS = 3


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: Annotated[str, Query()] = "/desk") -> Response:  # noqa: A002
    """Show the sign-in form."""
    token = login_token(request)
    response = render(request, "login.html", token=token, next=safe_next(next), bank="", username="")
    set_cookie(request, response, LOGIN_COOKIE, token, max_age=1800)
    return response


@router.post("/login")
async def login(request: Request, bank: Annotated[str, Form()], username: Annotated[str, Form()],
                password: Annotated[str, Form()], csrf: Annotated[str, Form()] = "",
                next: Annotated[str, Form()] = "/desk") -> Response:  # noqa: A002
    """Check the password; open a session and go on, or show the form again with the error."""
    check_csrf(request.cookies.get(LOGIN_COOKIE, ""), csrf)
    state = request.app.state
    try:
        token, officer = await run_in_threadpool(state.officers.sign_in, bank, username.lower(), password)
    except AuthenticationError as exc:
        return render(request, "login.html", status=401, token=csrf, next=safe_next(next),
                      bank=bank, username=username, error=exc.message)
    state.audit.append(officer.principal, "desk_sign_in", officer.username, {"officer": officer.username})
    response = RedirectResponse(safe_next(next), status_code=303, headers=HEADERS)
    set_cookie(request, response, SESSION_COOKIE, token, max_age=state.settings.desk_session_minutes * 60)
    response.delete_cookie(LOGIN_COOKIE, path="/desk")
    return response


@router.post("/logout")
async def logout(request: Request, officer: SignedIn, csrf: Annotated[str, Form()] = "") -> Response:
    """End the session."""
    check_csrf(officer.csrf, csrf)
    request.app.state.officers.sign_out(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/desk/login", status_code=303, headers=HEADERS)
    response.delete_cookie(SESSION_COOKIE, path="/desk")
    return response


@router.get("", response_class=HTMLResponse)
async def queue(
    request: Request, officer: SignedIn,
    band: str = "", review: str = "", red_flag: str = "", trade_model: str = "", since: str = "",
    until: str = "", offset: Annotated[int, Query(ge=0)] = 0, notice: str = "",
) -> Response:
    """Show the bank's submissions, riskiest first, with counts per band, filters and paging."""
    filters = QueueFilter(band, review, red_flag, trade_model, since, until).check()
    engine = request.app.state.store.engine
    rows, total = await run_in_threadpool(queue_page, engine, officer.bank_id, filters, offset)
    counts = await run_in_threadpool(band_counts, engine, officer.bank_id, filters)
    return render(request, "queue.html", rows=rows, total=total, counts=counts, filters=filters,
                  offset=offset, page_size=PAGE_SIZE, review_states=REVIEW_STATES,
                  trade_models=TRADE_MODELS, notice=notice[:200])


@router.post("/upload")
async def upload(request: Request, officer: SignedIn) -> Response:
    """Verify an uploaded submission at once (in one of the service's verification slots)."""
    form = await request.form(max_files=request.app.state.settings.max_files_per_request + 1)
    check_csrf(officer.csrf, form.get("csrf"))
    # Parsed by Starlette: its UploadFile, which the API's (FastAPI's subclass) helpers read alike.
    documents = cast("list[Any]", [d for d in form.getlist("documents")
                                   if isinstance(d, UploadFile) and d.filename])
    fields = {k: str(form.get(k) or "").strip() for k in ("trade_model", "applicant", "client_reference")}
    meta = {"trade_model": fields["trade_model"] or None, "applicant": fields["applicant"] or None,
            "submission_id": fields["client_reference"] or None}
    state = request.app.state
    with tempfile.TemporaryDirectory(dir=state.uploads) as tmp:
        meta, saved = await receive(request, officer.principal, documents, None, Path(tmp),
                                    fields={k: v for k, v in meta.items() if v is not None})
        with state.inflight:  # not registered as financed: like the API, that is opt-in
            report: RiskReport = await run_in_threadpool(
                verify_and_keep, state, officer.principal, saved, meta, False, None)
    return RedirectResponse(f"/desk/submissions/{report.submission_id}", status_code=303, headers=HEADERS)


def _page_urls(report: RiskReport, submission_id: str) -> dict[int, dict[int, str | None]]:
    return {i: {n: f"/desk/submissions/{submission_id}/documents/{i + 1}/pages/{n}.png"
                for n in range(1, d.pages + 1)} for i, d in enumerate(report.documents)}


@router.get("/submissions/{submission_id}", response_class=HTMLResponse)
async def submission(request: Request, officer: SignedIn, submission_id: str, notice: str = "") -> Response:
    """Show one submission: hints, findings, reference facts, decisions, every page with its fields."""
    state, bank = request.app.state, officer.bank_id
    summary = await run_in_threadpool(state.store.summary, bank, submission_id)
    report: RiskReport = await run_in_threadpool(state.store.report, bank, submission_id)
    history = await run_in_threadpool(state.decisions.of_submission, bank, submission_id)
    facts = await run_in_threadpool(reference_facts, report, state.engine.store)
    state.audit.append(officer.principal, "desk_view", submission_id, {"officer": officer.username})
    return render(request, "submission.html", report=report, review_state=summary["review"],
                  trade_model=summary["trade_model"], decisions=history, facts=facts,
                  page_urls=_page_urls(report, submission_id), review=state.settings.review_confidence,
                  typologies=TYPOLOGIES, canonical=CORRECTABLE, notice=notice[:200])


def _source(state: Any, bank: str, summary: dict[str, Any], name: str) -> Path | None:
    sha = next((d["sha256"] for d in summary["documents"] if d["name"] == name), None)
    try:
        return state.store.document(bank, sha) if sha else None
    except NotFoundError:
        return None


def _page_file(state: Any, bank: str, submission_id: str, index: int, page: int) -> Path:
    summary = state.store.summary(bank, submission_id)
    report: RiskReport = state.store.report(bank, submission_id)
    if not 0 <= index < len(report.documents) or not 1 <= page <= report.documents[index].pages:
        raise NotFoundError(f"no page {page} of document {index} in {submission_id}")
    source = _source(state, bank, summary, report.documents[index].file)
    if source is None:
        raise NotFoundError(f"the document {report.documents[index].file} is not kept")
    cache = state.settings.work_dir / "page-cache" / bank / source.name
    return page_image(source, page, cache, state.settings.max_image_pixels)


@router.get("/submissions/{submission_id}/documents/{index}/pages/{page}.png")
async def page_png(request: Request, officer: SignedIn, submission_id: str, index: int,
                   page: int) -> Response:
    """Return one page of a kept document as a PNG (rendered once, then from the cache)."""
    path = await run_in_threadpool(_page_file, request.app.state, officer.bank_id, submission_id,
                                   index - 1, page)
    return FileResponse(path, media_type="image/png",
                        headers={"Cache-Control": "private, max-age=86400",
                                 "X-Content-Type-Options": "nosniff"})


def _printable(state: Any, officer: Officer, submission_id: str) -> str:
    bank = officer.bank_id
    summary = state.store.summary(bank, submission_id)
    report: RiskReport = state.store.report(bank, submission_id)
    with tempfile.TemporaryDirectory(dir=state.uploads) as tmp:
        pages = embedded_pages(report, lambda name: _source(state, bank, summary, name), Path(tmp))
    return render_html(report, pages, state.decisions.of_submission(bank, submission_id),
                       review=state.settings.review_confidence)


@router.get("/submissions/{submission_id}/report.html")
async def printable(request: Request, officer: SignedIn, submission_id: str) -> Response:
    """Return the printable report of one submission, with its decisions, as a file to download."""
    html = await run_in_threadpool(_printable, request.app.state, officer, submission_id)
    request.app.state.audit.append(officer.principal, "desk_download", submission_id,
                                   {"officer": officer.username})
    disposition = f'attachment; filename="tradeverify-{submission_id}.html"'
    # Self-contained: its styles are inline and its images data URLs; it runs no script at all.
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return HTMLResponse(html, headers={**HEADERS, "Content-Security-Policy": policy,
                                       "Content-Disposition": disposition})


def corrections_of(form: Any, report: RiskReport) -> list[Correction]:
    """Return the field corrections filled in on the decision form (rows left empty are skipped)."""
    raw = {d.file: {n: f.raw for n, f in d.fields.items()} for d in report.documents}
    out = []
    for i in range(CORRECTION_ROWS):
        target = str(form.get(f"correction_field_{i}") or "")
        value = str(form.get(f"correction_value_{i}") or "")
        if not target and not value.strip():
            continue
        file, _, name = target.rpartition("|")
        if not file:
            raise InputError(f"correction {i + 1}: choose the field the value belongs to")
        out.append(Correction(file, name, value.strip(), raw.get(file, {}).get(name)))
    return out


@router.post("/submissions/{submission_id}/decisions")
async def decide(request: Request, officer: SignedIn, submission_id: str) -> Response:
    """Record the officer's decision (and corrections) with its audit entry."""
    form = await request.form(max_files=0)
    check_csrf(officer.csrf, form.get("csrf"))
    state = request.app.state
    report: RiskReport = await run_in_threadpool(state.store.report, officer.bank_id, submission_id)
    outcome: Any = str(form.get("outcome") or "")  # checked by check_decision
    decision = Decision(outcome=outcome, comment=str(form.get("comment") or "").strip(),
                        typology=str(form.get("typology") or "") or None,
                        corrections=corrections_of(form, report))
    await run_in_threadpool(state.decisions.record, officer, submission_id, decision, report)
    notice = "decision recorded" + (", awaiting a second officer" if state.decisions.four_eyes else "")
    return RedirectResponse(f"/desk/submissions/{submission_id}?notice={notice.replace(' ', '+')}",
                            status_code=303, headers=HEADERS)


@router.post("/decisions/{decision_id}/confirm")
async def confirm(request: Request, officer: SignedIn, decision_id: str,
                  csrf: Annotated[str, Form()] = "") -> Response:
    """Confirm, as the second officer, a decision awaiting four eyes."""
    check_csrf(officer.csrf, csrf)
    row = await run_in_threadpool(request.app.state.decisions.confirm, officer, decision_id)
    return RedirectResponse(f"/desk/submissions/{row['submission_id']}?notice=decision+confirmed",
                            status_code=303, headers=HEADERS)


@router.get("/audit", response_class=HTMLResponse)
async def audit(request: Request, officer: SignedIn,
                limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> Response:
    """Show the bank's audit trail, newest first, with the chain's state."""
    log = request.app.state.audit
    entries = await run_in_threadpool(log.entries, officer.bank_id)
    chain = await run_in_threadpool(log.verify)
    shown = [{**e, "who": json.loads(e["details"]).get("officer") or e["key_id"],
              "link": e["action"] in ("decide", "desk_view", "verify", "confirm_decision", "desk_download")}
             for e in reversed(entries[-limit:])]
    return render(request, "audit.html", entries=shown, chain=chain)


@router.get("/static/{name}")
async def static(name: str) -> Response:
    """Serve the desk's own stylesheets and script (shipped in the package; nothing from a CDN)."""
    media = {"css": "text/css", "js": "text/javascript"}
    if name == "report.css":
        return Response(report_css(), media_type="text/css", headers={"Cache-Control": "max-age=3600"})
    path = STATIC / name
    if "/" in name or path.suffix[1:] not in media or not path.is_file():
        raise NotFoundError(f"no desk asset {name!r}")
    return FileResponse(path, media_type=media[path.suffix[1:]], headers={"Cache-Control": "max-age=3600"})
