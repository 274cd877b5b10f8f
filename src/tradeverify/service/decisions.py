"""Officers' decisions on stored submissions: clear, escalate or confirm fraud, with corrections.

A decision, its audit entry and the submission's review state are written in one transaction,
so the trail never misses a decision and a decision never lacks its trail. With four eyes on,
a decision waits for a second officer of the same bank (never the first) to confirm it; until
then the submission reads ``awaiting_second`` and no other decision can be recorded on it.
Field corrections name a document of the submission and a canonical field of its type; they
become extraction examples in ``feedback export``.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Column, MetaData, String, Table, Text, insert, select, update
from sqlalchemy.engine import Connection, Engine

from tradeverify.db import open_database, transact
from tradeverify.domain import CANONICAL_FIELDS, TYPOLOGIES, RiskReport
from tradeverify.errors import InputError, JobStateError, NotFoundError, PermissionDeniedError
from tradeverify.extract.field_parsers import PARSERS, parser_for
from tradeverify.service.audit import AuditLog
from tradeverify.service.officers import Officer
from tradeverify.service.store import submissions

Outcome = Literal["clear", "escalate", "confirm_fraud"]
OUTCOMES: tuple[Outcome, ...] = ("clear", "escalate", "confirm_fraud")
# The submission's review state once a decision stands.
REVIEW_STATE = {"clear": "cleared", "escalate": "escalated", "confirm_fraud": "confirmed_fraud"}
MAX_COMMENT = 4000
# The fields an officer can correct: those with a parser to normalize the value (not line items).
CORRECTABLE = {t: tuple(f for f in names if f in PARSERS) for t, names in CANONICAL_FIELDS.items()}

metadata = MetaData()
decisions = Table(
    "decisions", metadata,
    Column("decision_id", String(40), primary_key=True),
    Column("bank_id", String(64), nullable=False, index=True),
    Column("submission_id", String(80), nullable=False, index=True),
    Column("user_id", String(16), nullable=False),
    Column("username", String(64), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("typology", String(40)),
    Column("comment", Text, nullable=False),
    Column("corrections", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", String(40), nullable=False, index=True),
    Column("confirmed_by", String(64)),
    Column("confirmed_at", String(40)),
)


@dataclass(frozen=True)
class Correction:
    """An officer's value for one field of one document of the submission."""

    file: str
    field: str
    value: str
    was: str | None = None  # the raw text read, when the field was read at all
    normalized: Any = None  # the value in the field's normal form (set when recorded)


@dataclass(frozen=True)
class Decision:
    """What an officer decided on a submission, and why."""

    outcome: Outcome
    comment: str = ""
    typology: str | None = None
    corrections: list[Correction] = field(default_factory=list)


def check_decision(decision: Decision, report: RiskReport) -> None:
    """Raise InputError for an outcome, typology or correction the submission cannot take."""
    if decision.outcome not in OUTCOMES:
        raise InputError(f"unknown outcome {decision.outcome!r}; expected one of: {', '.join(OUTCOMES)}")
    if decision.outcome == "confirm_fraud" and decision.typology not in TYPOLOGIES:
        raise InputError("confirming fraud needs its typology, one of: " + ", ".join(TYPOLOGIES))
    if decision.outcome != "confirm_fraud" and decision.typology:
        raise InputError("a typology is given only when fraud is confirmed")
    if len(decision.comment) > MAX_COMMENT:
        raise InputError(f"a comment has at most {MAX_COMMENT} characters")
    types = {d.file: d.doc_type for d in report.documents}
    for c in decision.corrections:
        if c.file not in types:
            raise InputError(f"the submission has no document {c.file!r}")
        if c.field not in CORRECTABLE.get(types[c.file], ()):
            raise InputError(f"{c.field!r} is not a field of the {types[c.file].replace('_', ' ')} {c.file}")
        if not c.value.strip():
            raise InputError(f"the correction of {c.field} in {c.file} is empty")


def normalized(correction: Correction) -> Correction:
    """Return the correction with its value in the field's normal form (the extractor's parser).

    Raises:
        InputError: the value does not read as that field (a weight without a number, an
            unknown port), so a typo never becomes a training example.

    """
    norm = parser_for(correction.field)(correction.value)
    if not norm.ok or norm.value in (None, "", []):
        raise InputError(f"{correction.value!r} does not read as the {correction.field.replace('_', ' ')} "
                         f"of {correction.file}: {norm.reason or 'no value'}")
    value = list(norm.value) if isinstance(norm.value, tuple) else norm.value
    return replace(correction, normalized=value)


def _now() -> str:
    return datetime.now(UTC).isoformat()


class DecisionLog:
    """The decisions table, written with the audit trail and the submissions' review state."""

    def __init__(self, url: str, audit: AuditLog, four_eyes: bool = False) -> None:
        self.engine: Engine = open_database(url)
        self.audit, self.four_eyes = audit, four_eyes

    def record(self, officer: Officer, submission_id: str, decision: Decision, report: RiskReport) -> str:
        """Record a decision on one of the officer's bank's submissions; return its id."""
        check_decision(decision, report)
        corrections = [normalized(c).__dict__ for c in decision.corrections]
        decision_id = f"dec-{secrets.token_hex(8)}"
        state = "awaiting_second" if self.four_eyes else "final"

        def work(conn: Connection) -> None:
            if self._review(conn, officer.bank_id, submission_id) == "awaiting_second":
                raise JobStateError(f"a decision on {submission_id} awaits its second officer")
            conn.execute(insert(decisions).values(
                decision_id=decision_id, bank_id=officer.bank_id, submission_id=submission_id,
                user_id=officer.user_id, username=officer.username, outcome=decision.outcome,
                typology=decision.typology, comment=decision.comment, corrections=json.dumps(corrections),
                state=state, created_at=_now(), confirmed_by=None, confirmed_at=None))
            review = state if state == "awaiting_second" else REVIEW_STATE[decision.outcome]
            self._set_review(conn, officer.bank_id, submission_id, review)
            self.audit.append(officer.principal, "decide", submission_id, {
                "decision_id": decision_id, "officer": officer.username, "outcome": decision.outcome,
                "typology": decision.typology, "comment": decision.comment, "corrections": corrections,
                "state": state}, conn=conn)

        transact(self.engine, work)
        return decision_id

    def confirm(self, officer: Officer, decision_id: str) -> dict[str, Any]:
        """Confirm a decision awaiting its second officer (who must not be the one who made it)."""
        def work(conn: Connection) -> dict[str, Any]:
            row = conn.execute(select(decisions).where(
                decisions.c.decision_id == decision_id, decisions.c.bank_id == officer.bank_id)).first()
            if row is None:
                raise NotFoundError(f"no decision {decision_id!r}")
            if row.state != "awaiting_second":
                raise JobStateError(f"decision {decision_id} is {row.state}, not awaiting a second officer")
            if row.user_id == officer.user_id:
                raise PermissionDeniedError("the second officer must not be the one who decided")
            now = _now()
            conn.execute(update(decisions).where(decisions.c.decision_id == decision_id)
                         .values(state="final", confirmed_by=officer.username, confirmed_at=now))
            self._set_review(conn, officer.bank_id, row.submission_id, REVIEW_STATE[row.outcome])
            self.audit.append(officer.principal, "confirm_decision", row.submission_id, {
                "decision_id": decision_id, "officer": officer.username, "outcome": row.outcome}, conn=conn)
            return {**dict(row._mapping), "state": "final", "confirmed_by": officer.username,
                    "confirmed_at": now}

        return transact(self.engine, work)

    @staticmethod
    def _review(conn: Connection, bank_id: str, submission_id: str) -> str:
        row = conn.execute(select(submissions.c.review).where(
            submissions.c.submission_id == submission_id, submissions.c.bank_id == bank_id)).first()
        if row is None:
            raise NotFoundError(f"no submission {submission_id!r}")
        return str(row.review)

    @staticmethod
    def _set_review(conn: Connection, bank_id: str, submission_id: str, review: str) -> None:
        conn.execute(update(submissions).where(
            submissions.c.submission_id == submission_id, submissions.c.bank_id == bank_id)
            .values(review=review))

    def of_submission(self, bank_id: str, submission_id: str) -> list[dict[str, Any]]:
        """Return the decisions on one of the bank's submissions, oldest first."""
        query = (select(decisions).where(decisions.c.bank_id == bank_id,
                                         decisions.c.submission_id == submission_id)
                 .order_by(decisions.c.created_at))
        with self.engine.connect() as conn:
            return [_decoded(r._mapping) for r in conn.execute(query)]

    def standing(self, bank_id: str | None = None) -> list[dict[str, Any]]:
        """Return the last final decision of each decided submission (of one bank), oldest first."""
        query = select(decisions).where(decisions.c.state == "final").order_by(decisions.c.created_at)
        if bank_id:
            query = query.where(decisions.c.bank_id == bank_id)
        with self.engine.connect() as conn:
            last = {(r.bank_id, r.submission_id): _decoded(r._mapping) for r in conn.execute(query)}
        return list(last.values())


def _decoded(row: Any) -> dict[str, Any]:
    return {**dict(row), "corrections": json.loads(row["corrections"])}
