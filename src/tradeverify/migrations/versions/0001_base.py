"""API keys, audit trail, stored submissions and idempotency keys.

Releases before migrations created these tables themselves; a table that already exists is
left as it is, so such a database is adopted in place.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> dict[str, list[sa.Column]]:
    return {
        "api_keys": [
            sa.Column("key_id", sa.String(16), primary_key=True),
            sa.Column("bank_id", sa.String(64), nullable=False, index=True),
            sa.Column("role", sa.String(16), nullable=False),
            sa.Column("name", sa.String(128), nullable=False),
            sa.Column("secret_sha256", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("revoked_at", sa.DateTime(timezone=True)),
        ],
        "audit_log": [
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("at", sa.String(40), nullable=False),
            sa.Column("key_id", sa.String(16), nullable=False),
            sa.Column("bank_id", sa.String(64), nullable=False, index=True),
            sa.Column("role", sa.String(16), nullable=False),
            sa.Column("action", sa.String(32), nullable=False),
            sa.Column("object_id", sa.String(80), nullable=False),
            sa.Column("details", sa.Text, nullable=False),
            sa.Column("prev_hash", sa.String(64), nullable=False),
            sa.Column("hash", sa.String(64), nullable=False),
        ],
        "submissions": [
            sa.Column("submission_id", sa.String(80), primary_key=True),
            sa.Column("bank_id", sa.String(64), nullable=False, index=True),
            sa.Column("client_reference", sa.String(200)),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("band", sa.String(16)),
            sa.Column("score", sa.Float),
            sa.Column("created_at", sa.String(40), nullable=False, index=True),
            sa.Column("documents", sa.Text, nullable=False),
            sa.Column("report", sa.Text, nullable=False),
        ],
        "idempotency": [
            sa.Column("bank_id", sa.String(64), primary_key=True),
            sa.Column("idempotency_key", sa.String(200), primary_key=True),
            sa.Column("request_sha256", sa.String(64), nullable=False),
            sa.Column("submission_id", sa.String(80)),
            sa.Column("created_at", sa.String(40), nullable=False),
        ],
    }


def upgrade() -> None:
    """Apply this revision."""
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, columns in _tables().items():
        if name not in existing:
            op.create_table(name, *columns)


def downgrade() -> None:
    """Undo this revision."""
    for name in reversed(list(_tables())):
        op.drop_table(name)
