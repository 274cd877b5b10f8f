"""Resource limits of the REST API: body size, files per request, per-key rate, work in flight.

- The body is counted as it arrives (not trusted from Content-Length alone) and refused with
  413 once it passes ``max_request_bytes``, before the multipart parser buffers it.
- Each API key has a token bucket of ``rate_per_minute`` requests (burst of the same size);
  past it, 429 with ``Retry-After``.
- At most ``max_inflight`` verifications run at once; one more gets 503 with ``Retry-After``
  instead of a queue that starves ``/healthz`` and every caller behind it, and gets it before
  its body is read (:class:`Admission`): refused requests that were parsed first took the API's
  one event loop from every other caller.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from tradeverify.errors import (
    AuthenticationError,
    DocumentTooLargeError,
    ServiceBusyError,
    TooManyRequestsError,
    TradeVerifyError,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: a request body past ``limit`` bytes ends in 413, counted as it streams."""

    def __init__(self, app: App, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a receive that counts the body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _reject(send, self.limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise DocumentTooLargeError(f"the request body is larger than {self.limit:,} bytes")
            return message

        await self.app(scope, counted, send)


class EarlyAuth:
    """ASGI middleware: a ``/v1`` request without a valid API key is refused before its body is read.

    The route's own dependency would answer 401 too, but only after FastAPI has received and
    parsed the whole multipart body: an anonymous caller could make the service take in
    ``max_request_bytes`` per request. The principal found here is what the route uses.
    """

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Authenticate /v1 requests from their headers alone."""
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        header = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
        scheme, _, token = header.partition(" ")
        try:
            principal = scope["app"].state.keys.authenticate(token if scheme.lower() == "bearer" else None)
        except AuthenticationError as exc:
            await _error(send, 401, exc, [(b"www-authenticate", b"Bearer")])
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


class Admission:
    """ASGI middleware: a synchronous verification takes its in-flight slot before its body is read.

    The slot is held until the response is sent; past ``max_inflight`` the answer is 503 at once.
    Measured at 16 clients on the 4 slots (benchmarks/service.py), parsing the uploads of
    requests only to refuse them made most of the service's work.
    """

    def __init__(self, app: App, paths: tuple[str, ...] = ("/v1/verify",)) -> None:
        self.app, self.paths = app, paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run a verification within its slot, or refuse it while every slot is taken."""
        if scope["type"] != "http" or scope.get("method") != "POST" or scope.get("path") not in self.paths:
            await self.app(scope, receive, send)
            return
        slots: InFlight = scope["app"].state.inflight
        try:
            slots.acquire()
        except ServiceBusyError as exc:
            await _error(send, 503, exc, [(b"retry-after", str(exc.retry_after).encode())])
            return
        try:
            await self.app(scope, receive, send)
        finally:
            slots.release()


async def _error(send: Send, status: int, exc: TradeVerifyError,
                 headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"error": exc.to_dict()}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


async def _reject(send: Send, limit: int) -> None:
    await _error(send, 413, DocumentTooLargeError(f"the request body is larger than {limit:,} bytes"))


class RateLimiter:
    """Token buckets per key: ``per_minute`` requests a minute, bursts of as many."""

    def __init__(self, per_minute: int) -> None:
        self.rate, self.capacity = per_minute / 60.0, float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> None:
        """Spend one token of ``key``; raise TooManyRequestsError with the wait when there is none."""
        now = time.monotonic()
        with self._lock:
            tokens, at = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            if tokens < 1:
                wait = math.ceil((1 - tokens) / self.rate)
                self._buckets[key] = (tokens, now)
                raise TooManyRequestsError(f"rate limit of {self.capacity:.0f} requests a minute "
                                           f"reached; retry in {wait} s", retry_after=wait)
            self._buckets[key] = (tokens - 1, now)


class InFlight:
    """A cap on verifications running at once; past it, refuse instead of queueing."""

    def __init__(self, limit: int, retry_after: int = 5) -> None:
        self.limit, self.retry_after, self.running = limit, retry_after, 0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Take a slot; ServiceBusyError (with its Retry-After) when all are taken."""
        with self._lock:
            if self.running >= self.limit:
                raise ServiceBusyError(f"{self.limit} verifications are running; retry in "
                                       f"{self.retry_after} s", retry_after=self.retry_after)
            self.running += 1

    def release(self) -> None:
        """Give a slot back."""
        with self._lock:
            self.running -= 1

    def __enter__(self) -> InFlight:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()
