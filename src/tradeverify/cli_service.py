"""``tradeverify keys`` and ``tradeverify audit``: the service's identities and its audit trail.

Thin: the commands call ``service.keys.KeyStore`` and ``service.audit.AuditLog`` on
``Settings.service_database()``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tradeverify.config import get_settings
from tradeverify.errors import AuditChainBrokenError
from tradeverify.service.audit import AuditLog
from tradeverify.service.keys import ROLES, KeyStore

keys_app = typer.Typer(add_completion=False, no_args_is_help=True,
                       help="Create, list and revoke the API keys of banks.")
audit_app = typer.Typer(add_completion=False, no_args_is_help=True,
                        help="Read and verify the hash-chained audit trail.")


def _store() -> KeyStore:
    return KeyStore.at(get_settings().service_database())


def _audit() -> AuditLog:
    path = get_settings().service_database()
    path.parent.mkdir(parents=True, exist_ok=True)
    return AuditLog(f"sqlite:///{path}")


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
