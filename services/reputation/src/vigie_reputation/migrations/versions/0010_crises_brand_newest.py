"""crises of a brand, newest first

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 03:35:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ListCrises of one brand and some statuses (the dashboard's open crises), newest first:
    # (tenant, brand_id, id) gives the order, `status` in the index filters without the row.
    op.create_index(
        "ix_crises_brand_newest", "crises", ["tenant", "brand_id", "id", "status"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_crises_brand_newest", table_name="crises")
