"""The duplicate-financing registry in the service database (for workers on several machines).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "document_registry",
        sa.Column("submission_id", sa.Text, nullable=False),
        sa.Column("bank_id", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.Text, nullable=False),
        sa.Column("doc_type", sa.Text, nullable=False),
        sa.Column("number_fp", sa.Text, nullable=False, index=True),
        sa.Column("voyage_fp", sa.Text),
        sa.Column("cargo_fp", sa.Text),
        sa.Column("container_fps", sa.Text),
        sa.Column("seller_fp", sa.Text),
        sa.Column("buyer_fp", sa.Text),
        sa.Column("goods_fp", sa.Text, index=True),
        sa.UniqueConstraint("bank_id", "submission_id", "doc_type", name="uq_registry_submission"),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("document_registry")
