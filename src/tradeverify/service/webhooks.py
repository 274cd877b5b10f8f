"""Signed completion webhooks: a job's outcome POSTed to the URL its client gave.

The receiver checks ``X-Tradeverify-Signature: sha256=<hex>``, the HMAC-SHA256 under the
service's webhook secret of ``<timestamp>.<body>`` with the timestamp from
``X-Tradeverify-Timestamp``, and refuses old timestamps, so a captured call cannot be replayed
later. The body says only which job ended how; the report itself is fetched with an API key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
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


def check_callback(url: str | None, secret: str, require_https: bool) -> str | None:
    """Return a callback URL fit to call, or raise InputError saying why not."""
    if not url:
        return None
    if not secret:
        raise InputError("this service sends no webhooks (no TRADEVERIFY_WEBHOOK_SECRET is set)")
    parts = urlsplit(url)
    schemes = ("https",) if require_https else ("https", "http")
    if parts.scheme not in schemes or not parts.hostname or len(url) > 2000:
        raise InputError(f"callback_url must be an absolute {' or '.join(schemes)} URL")
    return url


def deliver(url: str, secret: str, payload: dict[str, Any]) -> str:
    """POST the payload, retrying twice; return the outcome to record ("delivered 200", ...)."""
    body = json.dumps(payload, sort_keys=True).encode()
    outcome = "not sent"
    for attempt in range(ATTEMPTS):
        stamp = str(int(time.time()))
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Tradeverify-Timestamp": stamp,
            "X-Tradeverify-Signature": sign(secret, stamp, body)})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                return f"delivered {response.status}"
        except urllib.error.HTTPError as exc:
            outcome = f"refused {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            outcome = f"failed: {type(exc).__name__}"
        if attempt < ATTEMPTS - 1:  # no wait after the last try
            time.sleep(0.5 * (attempt + 1))
    return outcome
