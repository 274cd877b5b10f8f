"""The review desk: officers, their sessions, their decisions, and what the queue filters on.

Stored submissions gain the columns the desk's queue filters on (trade model, red flags, review
state) and the feature row the model scored, which ``feedback export`` hands back to training.
Rows stored before this revision are filled in from their report; their feature row is unknown.

Revision ID: 0004
Revises: 0003
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _officer_tables() -> None:
    op.create_table(
        "officers",
        sa.Column("user_id", sa.String(16), primary_key=True),
        sa.Column("bank_id", sa.String(64), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("password", sa.String(200), nullable=False),  # scrypt$n$r$p$salt$hash
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.String(40)),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("disabled_at", sa.String(40)),
        sa.UniqueConstraint("bank_id", "username", name="uq_officer_bank_username"),
    )
    op.create_table(
        "desk_sessions",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(16), nullable=False, index=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("expires_at", sa.String(40), nullable=False),
    )


def _decision_table() -> None:
    op.create_table(
        "decisions",
        sa.Column("decision_id", sa.String(40), primary_key=True),
        sa.Column("bank_id", sa.String(64), nullable=False, index=True),
        sa.Column("submission_id", sa.String(80), nullable=False, index=True),
        sa.Column("user_id", sa.String(16), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("typology", sa.String(40)),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("corrections", sa.Text, nullable=False),  # JSON list of field corrections
        sa.Column("state", sa.String(16), nullable=False),  # final | awaiting_second
        sa.Column("created_at", sa.String(40), nullable=False, index=True),
        sa.Column("confirmed_by", sa.String(64)),
        sa.Column("confirmed_at", sa.String(40)),
    )


def _backfill() -> None:
    """Fill the new submission columns of rows stored before this revision from their report."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT submission_id, report FROM submissions")).fetchall()
    for sid, report in rows:
        flags = len(json.loads(report).get("red_flags") or [])
        bind.execute(sa.text("UPDATE submissions SET red_flags = :f WHERE submission_id = :s"),
                     {"f": flags, "s": sid})


def upgrade() -> None:
    """Apply this revision."""
    _officer_tables()
    _decision_table()
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("trade_model", sa.String(40)))
        batch.add_column(sa.Column("red_flags", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("review", sa.String(24), nullable=False, server_default="open"))
        batch.add_column(sa.Column("features", sa.Text))  # JSON {version, values}; None before 0004
    _backfill()


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("submissions") as batch:
        for name in ("features", "review", "red_flags", "trade_model"):
            batch.drop_column(name)
    for table in ("decisions", "desk_sessions", "officers"):
        op.drop_table(table)
