"""The job queue: huey delivers job ids from the API to ``tradeverify worker`` processes.

Storage follows ``Settings.queue_location()``: a SQLite file (the embedded default, no server),
Redis (``redis://``) or PostgreSQL (``postgresql://``) for workers on several machines. Messages
carry nothing but a job id, serialized as JSON rather than huey's default pickle, so whoever can
write to the broker still cannot make a worker run code. Jobs themselves, and what makes them
durable, are in ``service/jobs.py``.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from huey import Huey, PostgresHuey, RedisHuey, SqliteHuey, crontab
from huey.registry import Message
from huey.serializer import Serializer

from tradeverify.config import Settings
from tradeverify.errors import DatabaseError
from tradeverify.service.jobs import JobStore
from tradeverify.service.worker import run_job

log = logging.getLogger(__name__)
_DATES = ("eta", "expires_resolved")
_NESTED = ("on_complete", "on_error", "chord_config")


class JsonSerializer(Serializer):
    """Huey messages as JSON; anything but plain values is refused, never pickled."""

    def _serialize(self, data: Any) -> bytes:
        if not isinstance(data, Message):
            return json.dumps({"value": data}).encode()
        body = data._asdict()
        if any(body[k] is not None for k in _NESTED):
            raise ValueError("chained and chord tasks are not used by tradeverify")
        for k in _DATES:
            body[k] = None if body[k] is None else body[k].isoformat()
        body["args"] = list(body["args"] or ())
        return json.dumps({"message": body}).encode()

    def _deserialize(self, data: bytes) -> Any:
        obj = json.loads(data)
        if "message" not in obj:
            return obj["value"]
        body = obj["message"]
        for k in _DATES:
            body[k] = None if body[k] is None else datetime.fromisoformat(body[k])
        body["args"] = tuple(body["args"])
        return Message(**{k: body.get(k) for k in Message._fields})


def make_huey(settings: Settings) -> Huey:
    """Return the huey instance of the configured storage (results are not kept: jobs hold them)."""
    where = settings.queue_location()
    common: dict[str, Any] = {"name": "tradeverify", "results": False, "serializer": JsonSerializer(),
                              "utc": True}
    try:
        if where.startswith(("redis://", "rediss://", "unix://")):
            return RedisHuey(url=where, **common)
        if where.startswith(("postgresql://", "postgres://")):
            return PostgresHuey(dsn=where, **common)
        return SqliteHuey(filename=where, **common)
    except Exception as exc:  # any driver or configuration error: the queue is unusable
        raise DatabaseError(f"cannot open the job queue {where.split('@')[-1]}: {exc}") from exc


class JobQueue:
    """The tasks of one huey instance: run a job, and send stalled jobs again every minute."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.huey = make_huey(settings)

        def run(job_id: str) -> None:
            run_job(settings, job_id)

        def periodic_redelivery() -> None:
            redeliver(settings, self)

        self._run = self.huey.task(name="run_job")(run)
        self.huey.periodic_task(crontab(minute="*"), name="redeliver")(periodic_redelivery)

    def send(self, job_id: str) -> bool:
        """Put a job id on the queue; False (and a warning) when the broker refused it.

        The job is already in the database, so a refused send loses nothing: the periodic
        redelivery sends it once the broker is back.
        """
        try:
            self._run(job_id)
            return True
        except Exception as exc:  # broker down or full: redelivery covers it
            log.warning("job %s not queued yet (%s); it will be sent again", job_id, exc)
            return False

    def ping(self) -> None:
        """Raise when the broker cannot be reached."""
        self.huey.pending_count()

    def run_worker(self, processes: int) -> None:
        """Run workers until stopped (SIGINT finishes running jobs; SIGTERM stops at once)."""
        redeliver(self.settings, self)  # jobs a killed worker left, before taking new ones
        consumer = self.huey.create_consumer(
            workers=processes, worker_type="process" if processes > 1 else "thread", periodic=True,
            initial_delay=0.05, backoff=1.2, max_delay=1.0, check_worker_health=True)
        consumer.run()


def redeliver(settings: Settings, queue: JobQueue) -> list[str]:
    """Send again the jobs whose worker died or whose message was lost; return their ids."""
    store = JobStore(settings.service_url(), settings.job_lease_seconds, settings.job_max_attempts)
    ids = store.stalled(settings.job_redeliver_seconds)
    for job_id in ids:
        queue.send(job_id)
    if ids:
        log.warning("sent %d stalled job(s) again: %s", len(ids), ", ".join(ids))
    return ids
