"""inbox items paged by open time (issue #8: orderBy on every list)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 16:15:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbox_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inbox_items_brand_open", ["tenant", "brand_id", "opened_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_inbox_items_subsidiary_open",
            ["tenant", "subsidiary_id", "opened_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("inbox_items", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_items_subsidiary_open")
        batch_op.drop_index("ix_inbox_items_brand_open")
