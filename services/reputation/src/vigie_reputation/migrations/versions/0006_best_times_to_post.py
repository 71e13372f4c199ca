"""best times to post: owned accounts' posts with their latest engagement, and the learned slots

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 19:18:27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "best_time_accounts",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("brand_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("subsidiary_id", sa.String(length=64), nullable=False),
        sa.Column("network", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(length=255), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("snapshot_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("compute_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint(
            "tenant", "brand_id", "account_id", name=op.f("pk_best_time_accounts")
        ),
    )
    with op.batch_alter_table("best_time_accounts", schema=None) as batch_op:
        batch_op.create_index("ix_best_time_accounts_due", ["stale", "compute_time"], unique=False)
        batch_op.create_index(
            "ix_best_time_accounts_network_zone", ["network", "time_zone"], unique=False
        )

    op.create_table(
        "best_time_posts",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("brand_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("uri", sa.String(length=512), nullable=False),
        sa.Column("publish_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("interactions", sa.BigInteger(), nullable=False),
        sa.Column("impressions", sa.BigInteger(), nullable=False),
        sa.Column("followers", sa.BigInteger(), nullable=False),
        sa.Column("snapshot_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant", "brand_id", "account_id", "uri", name=op.f("pk_best_time_posts")
        ),
    )
    with op.batch_alter_table("best_time_posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_best_time_posts_account_time",
            ["tenant", "brand_id", "account_id", "publish_time"],
            unique=False,
        )

    op.create_table(
        "best_times",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("brand_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("basis", sa.String(length=32), nullable=False),
        sa.Column("posts_used", sa.Integer(), nullable=False),
        sa.Column("aggregate_posts_used", sa.Integer(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("compute_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "brand_id", "account_id", name=op.f("pk_best_times")),
    )


def downgrade() -> None:
    op.drop_table("best_times")
    with op.batch_alter_table("best_time_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_best_time_posts_account_time")
    op.drop_table("best_time_posts")
    with op.batch_alter_table("best_time_accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_best_time_accounts_network_zone")
        batch_op.drop_index("ix_best_time_accounts_due")
    op.drop_table("best_time_accounts")
