"""The desk's web plumbing: the session cookie, CSRF checks, page rendering and error pages.

Pages are rendered on the server from Jinja templates (autoescaped) and served with headers
that keep them to themselves: a content security policy allowing only the desk's own scripts,
styles and images, no framing, no referrer, no caching of pages that show a bank's deals. Every
POST carries the session's CSRF token as a form field and is refused without it; the sign-in
form, which has no session yet, carries a token tied to a short-lived cookie of its own.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tradeverify import __version__
from tradeverify.errors import AuthenticationError, PermissionDeniedError, TradeVerifyError
from tradeverify.report.html import environment
from tradeverify.service.officers import Officer, OfficerStore

SESSION_COOKIE = "tv_desk"
LOGIN_COOKIE = "tv_desk_login"
DESK_TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; "
                                "style-src-attr 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'"),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Return a desk page rendered from ``name`` with the desk's security headers."""
    template = environment(DESK_TEMPLATES).get_template(name)
    officer = getattr(request.state, "officer", None)
    context = {"notice": "", "error": None, **context}
    html = template.render(request=request, officer=officer, version=__version__, **context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def current_officer(request: Request) -> Officer:
    """Return the signed-in officer of the request (AuthenticationError: the desk signs in again)."""
    officers: OfficerStore = request.app.state.officers
    officer = officers.session(request.cookies.get(SESSION_COOKIE))
    request.state.officer = officer
    return officer


def check_csrf(expected: str, given: object) -> None:
    """Raise PermissionDeniedError unless the form's token is the session's (constant-time)."""
    if not isinstance(given, str) or not expected or not hmac.compare_digest(expected, given):
        raise PermissionDeniedError("the form has expired or did not come from the desk; reload the "
                                    "page and try again")


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    """Set a desk cookie: HttpOnly, SameSite=Strict, only on /desk, Secure unless configured off."""
    secure = request.app.state.settings.desk_secure_cookies
    response.set_cookie(name, value, max_age=max_age, path="/desk", httponly=True, samesite="strict",
                        secure=secure)


def login_token(request: Request) -> str:
    """Return the sign-in form's CSRF token: the login cookie's, or a new one."""
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)


def safe_next(target: str | None) -> str:
    """Return where to go after signing in: a desk path only, never another site."""
    if target and target.startswith("/desk") and not target.startswith("//") and "\\" not in target:
        return target
    return "/desk"


def error_page(request: Request, exc: TradeVerifyError, status: int) -> Response:
    """Answer a desk request's typed error: sign in again, or a page saying what went wrong."""
    if isinstance(exc, AuthenticationError) and request.method == "GET":
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/desk/login?next={target}", status_code=303, headers=HEADERS)
    return render(request, "error.html", status=status, error=exc, status_code=status)
