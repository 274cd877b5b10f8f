"""The review desk's users: a bank's officers, their passwords and their signed-in sessions.

An officer belongs to one bank and signs in with the bank id, a user name and a password; only
a salted scrypt hash of the password is stored. Five wrong passwords in a row lock the account
for fifteen minutes (the answer is the same as for a wrong password, so a locked account is not
revealed). A session is a random token in an HttpOnly cookie; the database keeps its SHA-256, its
expiry and the CSRF token every form of the session must carry. Signing out, disabling the
officer or the expiry ends it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from tradeverify.db import open_database
from tradeverify.errors import AuthenticationError, InputError
from tradeverify.service.keys import Principal, check_bank_id

metadata = MetaData()
officers = Table(
    "officers", metadata,
    Column("user_id", String(16), primary_key=True),
    Column("bank_id", String(64), nullable=False),
    Column("username", String(64), nullable=False),
    Column("display_name", String(128), nullable=False),
    Column("password", String(200), nullable=False),
    Column("failed_logins", Integer, nullable=False),
    Column("locked_until", String(40)),
    Column("created_at", String(40), nullable=False),
    Column("disabled_at", String(40)),
    UniqueConstraint("bank_id", "username", name="uq_officer_bank_username"),
)
desk_sessions = Table(
    "desk_sessions", metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("user_id", String(16), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
)
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 12
_SCRYPT = (2**14, 8, 1)  # n, r, p: about 50 ms and 16 MiB a check
_USER_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")
_WRONG = "wrong bank, user name or password"


@dataclass(frozen=True)
class Officer:
    """A signed-in officer: who, of which bank, and the session's CSRF token."""

    user_id: str
    bank_id: str
    username: str
    display_name: str
    csrf: str = ""

    @property
    def principal(self) -> Principal:
        """Return the officer as the audit trail and the stores know callers."""
        return Principal(self.user_id, self.bank_id, "officer")


def hash_password(password: str) -> str:
    """Return ``scrypt$n$r$p$salt$hash`` of a password, with a fresh random salt."""
    n, r, p = _SCRYPT
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${key.hex()}"


def password_matches(password: str, stored: str) -> bool:
    """Return whether ``password`` is the one ``stored`` was made from (constant-time compare)."""
    _, n, r, p, salt, key = stored.split("$")
    got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                         dklen=32)
    return hmac.compare_digest(got.hex(), key)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def check_username(username: str) -> str:
    """Return a valid user name (1-64 lower-case letters, digits, '.', '_', '-', '@')."""
    if not (0 < len(username) <= 64) or not set(username) <= _USER_CHARS:
        raise InputError(f"invalid user name {username!r}: 1-64 lower-case letters, digits, '.', '_', "
                         "'-' or '@'")
    return username


class OfficerStore:
    """The officers and desk_sessions tables of the service database."""

    def __init__(self, url: str, session_minutes: int = 480) -> None:
        self.engine: Engine = open_database(url)
        self.session_minutes = session_minutes

    def add(self, bank_id: str, username: str, password: str, display_name: str = "") -> str:
        """Add an officer to a bank and return its user id; InputError for a taken name or weak password."""
        if len(password) < MIN_PASSWORD:
            raise InputError(f"a password needs at least {MIN_PASSWORD} characters")
        user_id = secrets.token_hex(8)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(officers).values(
                    user_id=user_id, bank_id=check_bank_id(bank_id), username=check_username(username),
                    display_name=display_name or username, password=hash_password(password),
                    failed_logins=0, locked_until=None, created_at=_now().isoformat(), disabled_at=None))
        except IntegrityError:
            raise InputError(f"bank {bank_id} already has an officer {username!r}") from None
        return user_id

    def list(self, bank_id: str | None = None) -> list[dict[str, str | None]]:
        """Return the officers (of one bank), without their password hashes."""
        c = officers.c
        query = select(c.user_id, c.bank_id, c.username, c.display_name, c.created_at, c.disabled_at)
        if bank_id:
            query = query.where(c.bank_id == bank_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(c.bank_id, c.username))]

    def disable(self, bank_id: str, username: str) -> None:
        """Disable an officer and end every session of theirs at once."""
        with self.engine.begin() as conn:
            row = conn.execute(select(officers.c.user_id).where(
                officers.c.bank_id == bank_id, officers.c.username == username,
                officers.c.disabled_at.is_(None))).first()
            if row is None:
                raise InputError(f"bank {bank_id} has no active officer {username!r}")
            conn.execute(update(officers).where(officers.c.user_id == row.user_id)
                         .values(disabled_at=_now().isoformat()))
            conn.execute(delete(desk_sessions).where(desk_sessions.c.user_id == row.user_id))

    def sign_in(self, bank_id: str, username: str, password: str) -> tuple[str, Officer]:
        """Check a password and open a session; return its token and the officer.

        Raises:
            AuthenticationError: unknown officer, wrong password, disabled or locked account
                (one message for all, so none is revealed).

        """
        where = (officers.c.bank_id == bank_id, officers.c.username == username)
        with self.engine.connect() as conn:
            row = conn.execute(select(officers).where(*where)).first()
        if row is None:
            password_matches(password, hash_password("x" * MIN_PASSWORD))  # the same time as a real check
            raise AuthenticationError(_WRONG)
        locked = row.locked_until is not None and datetime.fromisoformat(row.locked_until) > _now()
        if row.disabled_at or locked or not password_matches(password, row.password):
            self._failed(row.user_id, row.failed_logins + (0 if locked else 1))
            raise AuthenticationError(_WRONG)
        return self._open_session(row)

    def _failed(self, user_id: str, failures: int) -> None:
        lock = (_now() + timedelta(minutes=LOCK_MINUTES)).isoformat() if failures >= MAX_FAILURES else None
        values = {"failed_logins": 0, "locked_until": lock} if lock else {"failed_logins": failures}
        with self.engine.begin() as conn:
            conn.execute(update(officers).where(officers.c.user_id == user_id).values(**values))

    def _open_session(self, row: Any) -> tuple[str, Officer]:
        token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(24), _now()
        user_id = row.user_id
        with self.engine.begin() as conn:
            conn.execute(update(officers).where(officers.c.user_id == user_id)
                         .values(failed_logins=0, locked_until=None))
            conn.execute(insert(desk_sessions).values(
                token_sha256=_token_digest(token), user_id=user_id, csrf=csrf, created_at=now.isoformat(),
                expires_at=(now + timedelta(minutes=self.session_minutes)).isoformat()))
        return token, Officer(user_id, row.bank_id, row.username, row.display_name, csrf)

    def session(self, token: str | None) -> Officer:
        """Return the officer of a live session token; AuthenticationError for any other."""
        if not token:
            raise AuthenticationError("sign in to use the desk")
        s, o = desk_sessions.c, officers.c
        query = (select(o.user_id, o.bank_id, o.username, o.display_name, s.csrf, s.expires_at)
                 .join(officers, o.user_id == s.user_id)
                 .where(s.token_sha256 == _token_digest(token), o.disabled_at.is_(None)))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or datetime.fromisoformat(row.expires_at) <= _now():
            raise AuthenticationError("the desk session has ended; sign in again")
        return Officer(row.user_id, row.bank_id, row.username, row.display_name, row.csrf)

    def sign_out(self, token: str) -> None:
        """End a session (nothing happens for an unknown token)."""
        with self.engine.begin() as conn:
            conn.execute(delete(desk_sessions).where(desk_sessions.c.token_sha256 == _token_digest(token)))
