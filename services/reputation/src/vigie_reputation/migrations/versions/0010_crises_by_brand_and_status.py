"""crises by brand and status

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
    # A brand's open crises (ListCrises with brands and statuses, as the dashboard asks).
    op.create_index(
        "ix_crises_brand_status", "crises", ["tenant", "brand_id", "status", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_crises_brand_status", table_name="crises")
