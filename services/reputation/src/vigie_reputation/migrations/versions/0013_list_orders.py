"""orders of the lists: the other regions' crises keep their severity; reports by create_time

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from vigie.reputation.v1 import resources_pb2 as pb

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# CrisisSeverity -> the name `crises.severity` stores (app/crisis_views.py, as of this revision).
SEVERITY_NAMES = {
    pb.CRISIS_SEVERITY_LOW: "watch",
    pb.CRISIS_SEVERITY_MEDIUM: "minor",
    pb.CRISIS_SEVERITY_HIGH: "major",
    pb.CRISIS_SEVERITY_CRITICAL: "critical",
}


def upgrade() -> None:
    # ListCrises by severity merges this region's crises with the other regions' copies, so the
    # copies keep theirs in a column, filled here from the crisis each copy stores.
    with op.batch_alter_table("region_crises") as batch:
        batch.add_column(sa.Column("severity", sa.String(length=16), nullable=True))
    copies = sa.table(
        "region_crises",
        sa.column("tenant", sa.String),
        sa.column("id", sa.String),
        sa.column("severity", sa.String),
        sa.column("crisis", sa.LargeBinary),
    )
    connection = op.get_bind()
    for tenant, crisis_id, stored in connection.execute(
        sa.select(copies.c.tenant, copies.c.id, copies.c.crisis)
    ):
        severity = SEVERITY_NAMES.get(pb.Crisis.FromString(stored).severity, "watch")
        connection.execute(
            copies.update()
            .where(copies.c.tenant == tenant, copies.c.id == crisis_id)
            .values(severity=severity)
        )
    with op.batch_alter_table("region_crises") as batch:
        batch.alter_column("severity", existing_type=sa.String(length=16), nullable=False)
    # ListReports by create_time: reports pile up, one per schedule and period.
    op.create_index(
        "ix_reports_tenant_created", "reports", ["tenant", "create_time", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_reports_tenant_created", table_name="reports")
    with op.batch_alter_table("region_crises") as batch:
        batch.drop_column("severity")
