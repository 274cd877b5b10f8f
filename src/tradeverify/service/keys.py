"""API keys per bank: created and revoked by an operator, stored hashed, checked on every request.

A key reads ``tv_<key id>_<secret>``. Only the SHA-256 of the 32-byte random secret is stored
(a secret of that entropy needs no slow hash: it cannot be guessed, only stolen), so a copy of
the database lets no one call the API. The bank and role of a request come from its key, never
from what the request says. A bank rotates without downtime by creating a second key, moving its
clients to it, then revoking the first.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, String, Table, insert, select, update
from sqlalchemy.engine import Engine

from tradeverify.db import open_database, sqlite_url
from tradeverify.errors import AuthenticationError, InputError
from tradeverify.service.roles import ROLES, Role

# What each role may do; admin may do everything a submitter and a reader may.
GRANTS: dict[Role, frozenset[str]] = {
    "reader": frozenset({"read"}),
    "submitter": frozenset({"read", "submit"}),
    "admin": frozenset({"read", "submit", "admin"}),
    "officer": frozenset({"read", "submit", "decide"}),  # a desk user (service.officers)
}
PREFIX = "tv_"
_BANK_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")

metadata = MetaData()
api_keys = Table(
    "api_keys", metadata,
    Column("key_id", String(16), primary_key=True),
    Column("bank_id", String(64), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("name", String(128), nullable=False, default=""),
    Column("secret_sha256", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key, its bank and its role."""

    key_id: str
    bank_id: str
    role: Role

    def may(self, action: str) -> bool:
        """Return whether the role grants ``action`` (read, submit, admin)."""
        return action in GRANTS[self.role]


@dataclass(frozen=True)
class KeyRecord:
    """A stored key, without its secret."""

    key_id: str
    bank_id: str
    role: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_bank_id(bank_id: str) -> str:
    """Return a valid bank id (1-64 letters, digits, '-', '_', '.'), else raise InputError."""
    if not (0 < len(bank_id) <= 64) or not set(bank_id) <= _BANK_CHARS:
        raise InputError(f"invalid bank id {bank_id!r}: 1-64 letters, digits, '-', '_' or '.'")
    return bank_id


class KeyStore:
    """The api_keys table in the service database (SQLite by default, any SQLAlchemy URL)."""

    def __init__(self, url: str) -> None:
        self.url = url  # as given: the engine's own URL hides the password
        self.engine: Engine = open_database(url)

    @classmethod
    def at(cls, path: Path) -> KeyStore:
        """Open the store in a SQLite file, creating its folder."""
        return cls(sqlite_url(path))

    def create(self, bank_id: str, role: str = "submitter", name: str = "") -> tuple[KeyRecord, str]:
        """Create a key; return its record and the token, which is shown this once only."""
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}; expected one of: {', '.join(ROLES)}")
        key_id, secret, now = secrets.token_hex(8), secrets.token_urlsafe(32), datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(insert(api_keys).values(
                key_id=key_id, bank_id=check_bank_id(bank_id), role=role, name=name,
                secret_sha256=_digest(secret), created_at=now, revoked_at=None))
        return KeyRecord(key_id, bank_id, role, name, now, None), f"{PREFIX}{key_id}_{secret}"

    def list(self, bank_id: str | None = None) -> list[KeyRecord]:
        """Return the keys (of one bank), oldest first."""
        query = select(api_keys).order_by(api_keys.c.created_at)
        if bank_id:
            query = query.where(api_keys.c.bank_id == bank_id)
        with self.engine.connect() as conn:
            return [KeyRecord(r.key_id, r.bank_id, r.role, r.name, r.created_at, r.revoked_at)
                    for r in conn.execute(query)]

    def revoke(self, key_id: str) -> None:
        """Revoke a key at once; raise InputError when there is no such active key."""
        with self.engine.begin() as conn:
            done = conn.execute(update(api_keys).where(api_keys.c.key_id == key_id,
                                                       api_keys.c.revoked_at.is_(None))
                                .values(revoked_at=datetime.now(UTC)))
        if done.rowcount != 1:
            raise InputError(f"no active key {key_id!r}")

    def authenticate(self, token: str | None) -> Principal:
        """Return the caller of a token; raise AuthenticationError for a missing, wrong or revoked key."""
        if not token or not token.startswith(PREFIX) or token.count("_") < 2:
            raise AuthenticationError("an API key is required (Authorization: Bearer tv_...)")
        key_id, secret = token[len(PREFIX):].split("_", 1)
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.key_id == key_id)).first()
        # Compared in constant time, and the same answer for an unknown id and a wrong secret.
        if row is None or not hmac.compare_digest(row.secret_sha256, _digest(secret)) or row.revoked_at:
            raise AuthenticationError("invalid or revoked API key")
        return Principal(row.key_id, row.bank_id, row.role)
