"""Asynchronous verification jobs.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "jobs",
        sa.Column("job_id", sa.String(40), primary_key=True),
        sa.Column("bank_id", sa.String(64), nullable=False, index=True),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("submission_id", sa.String(80), nullable=False, unique=True),
        sa.Column("meta", sa.Text, nullable=False),
        sa.Column("documents", sa.Text, nullable=False),
        sa.Column("record", sa.Boolean, nullable=False),
        sa.Column("callback_url", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("lease_until", sa.Float),
        sa.Column("error", sa.Text),
        sa.Column("webhook", sa.String(200)),
        sa.Column("created_at", sa.String(40), nullable=False, index=True),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("jobs")
