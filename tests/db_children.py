"""Work for child processes of the database tests, in a module that imports little.

A spawned child imports the module of the function it runs; the test modules import the whole
app (seconds each), this one only the service database.
"""

from __future__ import annotations

from tradeverify.db import current_revision, open_database
from tradeverify.service.audit import AuditLog
from tradeverify.service.keys import Principal


def open_in_child(url: str) -> str | None:
    """Open (and so migrate) the database; return its revision."""
    return current_revision(open_database(url))


def append_many(url: str, worker: int) -> None:
    """Append ten audit entries as one writer of several."""
    log = AuditLog(url)
    for i in range(10):
        log.append(Principal(f"k{worker}", "BANKPG", "admin"), "probe", f"{worker}-{i}", {})
