"""``tradeverify keys``, ``audit``, ``db`` and ``worker``: the service's identities, trail, schema, jobs.

Thin: the commands call ``service.keys.KeyStore``, ``service.audit.AuditLog``, ``tradeverify.db``
and ``service.queue.JobQueue`` on the database of ``Settings.service_url()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from tradeverify.config import get_settings
from tradeverify.errors import AuditChainBrokenError, ConfigurationError
from tradeverify.service.roles import ROLES

if TYPE_CHECKING:  # the database code loads only when a command runs (fast --help)
    from tradeverify.service.audit import AuditLog
    from tradeverify.service.keys import KeyStore

keys_app = typer.Typer(add_completion=False, no_args_is_help=True,
                       help="Create, list and revoke the API keys of banks.")
audit_app = typer.Typer(add_completion=False, no_args_is_help=True,
                        help="Read and verify the hash-chained audit trail.")


db_app = typer.Typer(add_completion=False, no_args_is_help=True,
                     help="Bring the service database to the newest schema, or show its revision.")


def _store() -> KeyStore:
    from tradeverify.service.keys import KeyStore

    return KeyStore(get_settings().service_url())


def _audit() -> AuditLog:
    from tradeverify.service.audit import AuditLog

    return AuditLog(get_settings().service_url())


@keys_app.command("create")
def create(
    bank: Annotated[str, typer.Option("--bank", help="the bank this key speaks for")],
    role: Annotated[str, typer.Option(help=f"one of: {', '.join(ROLES)}")] = "submitter",
    name: Annotated[str, typer.Option(help="a label, e.g. the client system")] = "",
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    record, token = _store().create(bank, role, name)
    typer.echo(token)
    typer.echo(f"key {record.key_id} for bank {record.bank_id}, role {record.role}: store it now, "
               "it cannot be shown again", err=True)


@keys_app.command("list")
def list_keys(bank: Annotated[str | None, typer.Option("--bank", help="only this bank")] = None) -> None:
    """List keys (never their secrets)."""
    for k in _store().list(bank):
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active"
        typer.echo(f"{k.key_id}  {k.bank_id:12} {k.role:10} {state:24} {k.name}")


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="the key id shown by create or list")]) -> None:
    """Revoke a key at once."""
    _store().revoke(key_id)
    typer.echo(f"revoked {key_id}")


@keys_app.command("webhook-secret")
def webhook_secret(bank: Annotated[str, typer.Option("--bank", help="the bank whose receiver checks "
                                                     "the signatures")]) -> None:
    """Print the secret a bank's webhook receiver checks signatures with (derived per bank)."""
    from tradeverify.service.webhooks import bank_secret

    secret = get_settings().webhook_secret
    if not secret:
        raise ConfigurationError("no TRADEVERIFY_WEBHOOK_SECRET is set: this service sends no webhooks")
    typer.echo(bank_secret(secret, bank))


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the chain; print the entry count and head hash, or fail naming the first bad entry."""
    log = _audit()
    check = log.verify()
    if not check.intact:
        raise AuditChainBrokenError(f"the audit trail is broken at entry {check.broken_at}")
    head = log.entries()[-1]["hash"] if check.entries else "(empty)"
    typer.echo(f"audit trail intact: {check.entries} entries, head {head}")


@audit_app.command("list")
def audit_list(bank: Annotated[str | None, typer.Option("--bank", help="only this bank")] = None) -> None:
    """Print the entries, oldest first."""
    for e in _audit().entries(bank):
        typer.echo(f"{e['seq']:6} {e['at']} {e['bank_id']:10} {e['role']:9} {e['key_id']} "
                   f"{e['action']:8} {e['object_id']} {e['details']}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Run the migrations the database lacks (the API and workers also do this when they start)."""
    from tradeverify.db import current_revision, open_database

    engine = open_database(get_settings().service_url())
    typer.echo(f"service database at revision {current_revision(engine)}")


@db_app.command("current")
def db_current() -> None:
    """Print the schema revision, without migrating."""
    from sqlalchemy import create_engine

    from tradeverify.db import current_revision

    typer.echo(current_revision(create_engine(get_settings().service_url())) or "(not migrated)")


def worker(
    processes: Annotated[int, typer.Option(help="worker processes, each with its own engine")] = 1,
) -> None:
    """Run asynchronous verification jobs from the queue until stopped (Ctrl-C finishes running ones)."""
    from tradeverify.db import open_database
    from tradeverify.service.observe import configure_logging
    from tradeverify.service.queue import JobQueue

    configure_logging()
    settings = get_settings()
    open_database(settings.service_url())  # fail now, with a clear error, not in the first job
    typer.echo(f"worker: {processes} process(es) on {settings.queue_location().split('@')[-1]}", err=True)
    JobQueue(settings).run_worker(processes)
