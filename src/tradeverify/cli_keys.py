"""``tradeverify keys``: create, list and revoke the API keys of banks (the service's identities).

Thin: the commands call ``service.keys.KeyStore`` on ``Settings.service_database()``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tradeverify.config import get_settings
from tradeverify.service.keys import ROLES, KeyStore

keys_app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def _store() -> KeyStore:
    return KeyStore.at(get_settings().service_database())


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
