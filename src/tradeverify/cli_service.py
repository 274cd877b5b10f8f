"""``tradeverify keys``, ``audit``, ``db`` and ``worker``: the service's identities, trail, schema, jobs.

Thin: the commands call ``service.keys.KeyStore``, ``service.audit.AuditLog``, ``tradeverify.db``
and ``service.queue.JobQueue`` on the database of ``Settings.service_url()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tradeverify.errors import AuditChainBrokenError, ConfigurationError
from tradeverify.service.roles import ROLES

if TYPE_CHECKING:  # the database code loads only when a command runs (fast --help)
    from tradeverify.config import Settings
    from tradeverify.service.audit import AuditLog
    from tradeverify.service.keys import KeyStore
    from tradeverify.service.officers import OfficerStore

keys_app = typer.Typer(add_completion=False, no_args_is_help=True,
                       help="Create, list and revoke the API keys of banks.")
audit_app = typer.Typer(add_completion=False, no_args_is_help=True,
                        help="Read and verify the hash-chained audit trail.")


officers_app = typer.Typer(add_completion=False, no_args_is_help=True,
                           help="Add, list and disable the review desk's officers of banks.")
feedback_app = typer.Typer(add_completion=False, no_args_is_help=True,
                           help="Export the desk's decisions as labelled rows for training.")
db_app = typer.Typer(add_completion=False, no_args_is_help=True,
                     help="Bring the service database to the newest schema, or show its revision.")


def get_settings() -> Settings:
    """Return the process's settings, loading pydantic-settings only when a command needs them.

    The CLI's modules call this rather than ``config.get_settings`` so that ``tradeverify --help``
    does not pay for the settings machinery (0.14 s of its 0.57 s).
    """
    from tradeverify.config import get_settings as settings

    return settings()


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


def _officers() -> OfficerStore:
    from tradeverify.service.officers import OfficerStore

    return OfficerStore(get_settings().service_url())


@officers_app.command("add")
def officers_add(
    bank: Annotated[str, typer.Option("--bank", help="the officer's bank")],
    username: Annotated[str, typer.Option("--username", help="lower-case sign-in name")],
    name: Annotated[str, typer.Option("--name", help="the name the desk shows")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from the "
                                                 "first line of stdin instead of generating one")] = False,
) -> None:
    """Add an officer; a generated password is printed once (only its scrypt hash is stored)."""
    import secrets
    import sys

    password = sys.stdin.readline().rstrip("\n") if password_stdin else secrets.token_urlsafe(12)
    user_id = _officers().add(bank, username, password, name)
    if not password_stdin:
        typer.echo(password)
    typer.echo(f"officer {username} ({user_id}) of bank {bank} added", err=True)


@officers_app.command("list")
def officers_list(bank: Annotated[str | None, typer.Option("--bank", help="only this bank")] = None) -> None:
    """List officers (never their passwords)."""
    for o in _officers().list(bank):
        state = f"disabled {o['disabled_at']}" if o["disabled_at"] else "active"
        typer.echo(f"{o['user_id']}  {o['bank_id']:12} {o['username']:20} {state:24} {o['display_name']}")


@officers_app.command("disable")
def officers_disable(bank: Annotated[str, typer.Option("--bank")],
                     username: Annotated[str, typer.Option("--username")]) -> None:
    """Disable an officer; their sessions end at once."""
    _officers().disable(bank, username)
    typer.echo(f"disabled {username} of {bank}")


@feedback_app.command("export")
def feedback_export(
    out: Annotated[Path, typer.Option("--out", help="JSON Lines file to write")],
    bank: Annotated[str | None, typer.Option("--bank", help="only this bank's decisions")] = None,
    documents: Annotated[Path | None, typer.Option("--documents", help=(
        "also write each corrected document with its corrections here, as a golden folder"))] = None,
) -> None:
    """Write one labelled row per decided submission (features at the time, label, corrections)."""
    from tradeverify.service.audit import AuditLog
    from tradeverify.service.decisions import DecisionLog
    from tradeverify.service.feedback import export_corrections, export_feedback
    from tradeverify.service.store import SubmissionStore

    settings = get_settings()
    url = settings.service_url()
    decisions = DecisionLog(url, AuditLog(url))
    counts = export_feedback(decisions, out, bank)
    typer.echo(f"{counts['rows']} decided submission(s) written to {out}: {counts['confirm_fraud']} "
               f"confirmed fraud, {counts['clear']} cleared, {counts['escalate']} escalated (no label yet)"
               + (f"; {counts['without_features']} stored before feature rows were kept"
                  if counts["without_features"] else ""))
    if documents is not None:
        store = SubmissionStore(url, settings.work_dir / "documents")
        typer.echo(f"{export_corrections(decisions, store, documents, bank)} corrected document(s) "
                   f"written to {documents}")


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
