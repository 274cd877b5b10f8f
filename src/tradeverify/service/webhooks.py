"""Signed completion webhooks: a job's outcome POSTed to the URL its client gave.

The receiver checks ``X-Tradeverify-Signature: sha256=<hex>``, the HMAC-SHA256 under its bank's
webhook secret of ``<timestamp>.<body>`` with the timestamp from ``X-Tradeverify-Timestamp``, and
refuses old timestamps, so a captured call cannot be replayed later. Each bank's secret is
derived from the service's (:func:`bank_secret`, shown by ``tradeverify keys webhook-secret``),
so one bank cannot forge calls to another. The body says only which job ended how; the report
itself is fetched with an API key.

A callback URL is a request the server makes on a client's word (server-side request forgery):
it must name a host that resolves to public addresses only (not loopback, private, link-local
such as the cloud metadata address, multicast or reserved) unless the deployment allows it, it
is checked again just before each call (the name may resolve elsewhere by then), and redirects
are never followed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from tradeverify.errors import InputError

ATTEMPTS = 3
TIMEOUT_SECONDS = 5.0


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Return the signature header value of a body sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def bank_secret(secret: str, bank_id: str) -> str:
    """Return the webhook secret of one bank, derived from the service's secret."""
    return hmac.new(secret.encode(), f"webhook\0{bank_id}".encode(), hashlib.sha256).hexdigest()


def _refused_address(host: str) -> str | None:
    """Return why a host may not be called (an address it resolves to is not public), or None."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        return f"its host {host!r} cannot be resolved ({exc})"
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            return f"its host {host!r} resolves to {address}, which is not a public address"
    return None


def check_callback(url: str | None, secret: str, require_https: bool,
                   allow_private: bool = False) -> str | None:
    """Return a callback URL fit to call, or raise InputError saying why not."""
    if not url:
        return None
    if not secret:
        raise InputError("this service sends no webhooks (no TRADEVERIFY_WEBHOOK_SECRET is set)")
    parts = urlsplit(url)
    schemes = ("https",) if require_https else ("https", "http")
    if parts.scheme not in schemes or not parts.hostname or len(url) > 2000 or parts.username:
        raise InputError(f"callback_url must be an absolute {' or '.join(schemes)} URL without "
                         "credentials")
    refused = None if allow_private else _refused_address(parts.hostname)
    if refused:
        raise InputError(f"callback_url refused: {refused}")
    return url


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Treat a redirect as the receiver's answer: following one would call an unchecked address."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def deliver(url: str, secret: str, payload: dict[str, Any], allow_private: bool = False) -> str:
    """POST the payload, retrying twice; return the outcome to record ("delivered 200", ...).

    ``secret`` is the bank's (:func:`bank_secret`).
    """
    body = json.dumps(payload, sort_keys=True).encode()
    outcome = "not sent"
    for attempt in range(ATTEMPTS):
        refused = None if allow_private else _refused_address(urlsplit(url).hostname or "")
        if refused:
            return f"not sent: {refused}"
        stamp = str(int(time.time()))
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Tradeverify-Timestamp": stamp,
            "X-Tradeverify-Signature": sign(secret, stamp, body)})
        try:
            with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
                return f"delivered {response.status}"
        except urllib.error.HTTPError as exc:
            outcome = f"refused {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            outcome = f"failed: {type(exc).__name__}"
        if attempt < ATTEMPTS - 1:  # no wait after the last try
            time.sleep(0.5 * (attempt + 1))
    return outcome
