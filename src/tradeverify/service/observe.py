"""What an operator watches: one JSON log line per request with its id, and Prometheus metrics.

Every response carries ``X-Request-ID`` (the caller's, when it sent a sane one, else a new one)
and the same id is in the request's log line, so a bank's support call can be matched to the
log. Metrics are labelled by route template, method and status, never by bank or object id:
``/metrics`` shows load, not whose deals are being verified.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from tradeverify.service.limits import App, Message, Receive, Scope, Send

log = logging.getLogger("tradeverify.requests")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line."""
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage()}
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(level: int = logging.INFO) -> None:
    """Send tradeverify's and huey's log lines to stderr as JSON (serve and worker call this)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    for name in ("tradeverify", "huey"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False


class Metrics:
    """The app's own Prometheus registry (one per app, so tests' apps do not share counters)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("tradeverify_http_requests", "HTTP requests answered",
                                ("method", "route", "status"), registry=self.registry)
        self.seconds = Histogram("tradeverify_http_request_seconds", "time to answer",
                                 ("method", "route"), registry=self.registry,
                                 buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
        self.inflight = Gauge("tradeverify_verifications_in_flight", "synchronous verifications running",
                              registry=self.registry)
        self.queued = Gauge("tradeverify_jobs_pending", "messages waiting on the job queue",
                            registry=self.registry)

    def render(self) -> bytes:
        """Return the metrics in the Prometheus text format."""
        return generate_latest(self.registry)


class RequestLog:
    """ASGI middleware: request id in and out, a JSON log line and metrics for every request."""

    def __init__(self, app: App, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request, then log and count it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status, started = 500, time.perf_counter()

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            self._record(scope, request_id, status, time.perf_counter() - started)

    def _record(self, scope: Scope, request_id: str, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", "unmatched")
        method = scope.get("method", "")
        self.metrics.requests.labels(method, route, str(status)).inc()
        self.metrics.seconds.labels(method, route).observe(seconds)
        log.info("request", extra={"request_id": request_id, "method": method, "route": route,
                                   "path": scope.get("path"), "status": status,
                                   "ms": round(seconds * 1000, 1)})
