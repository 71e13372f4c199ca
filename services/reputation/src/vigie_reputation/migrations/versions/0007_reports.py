"""reports: campaign results replicated from the partnerships, report schedules, reports

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaign_results",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("brand_ids", sa.JSON(), nullable=False),
        sa.Column("subsidiary_id", sa.String(length=64), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("compute_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "campaign_id", name=op.f("pk_campaign_results")),
    )
    op.create_table(
        "report_schedules",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("brand_id", sa.String(length=64), nullable=False),
        sa.Column("subsidiary_id", sa.String(length=64), nullable=False),
        sa.Column("cadence", sa.String(length=16), nullable=False),
        sa.Column("send_time", sa.String(length=5), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("delivery", sa.String(length=16), nullable=False),
        sa.Column("webhook_id", sa.String(length=40), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("next_run_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_period_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "id", name=op.f("pk_report_schedules")),
    )
    op.create_index(
        op.f("ix_report_schedules_next_run_time"),
        "report_schedules",
        ["next_run_time"],
        unique=False,
    )
    op.create_table(
        "reports",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("brand_id", sa.String(length=64), nullable=False),
        sa.Column("subsidiary_id", sa.String(length=64), nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("failure_reason", sa.String(length=1000), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("schedule_id", sa.String(length=40), nullable=False),
        sa.Column("webhook_id", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("tenant", "id", name=op.f("pk_reports")),
    )
    op.create_index("ix_reports_pending", "reports", ["state", "create_time"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_reports_pending", table_name="reports")
    op.drop_table("reports")
    op.drop_index(op.f("ix_report_schedules_next_run_time"), table_name="report_schedules")
    op.drop_table("report_schedules")
    op.drop_table("campaign_results")
