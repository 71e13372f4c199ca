"""posts.statement: the crisis statement a post publishes (it was kept in posts.author)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 15:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATEMENT_AUTHOR = "tenants/%/crises/%/statements/%"
NON_EMPTY = sa.text("statement != ''")


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(
            sa.Column("statement", sa.String(length=300), nullable=False, server_default="")
        )
    # Statement posts written before this column named the statement in `author`; their
    # author becomes the manager who approved them (the post's "approved" audit entry).
    op.execute(
        sa.text("UPDATE posts SET statement = author WHERE author LIKE :pattern").bindparams(
            pattern=STATEMENT_AUTHOR
        )
    )
    op.execute(
        "UPDATE posts SET author = COALESCE(("
        " SELECT MIN(a.actor) FROM audit_entries a"
        " WHERE a.tenant = posts.tenant AND a.action = 'approved'"
        " AND a.comment = 'crisis statement ' || posts.statement), '')"
        " WHERE statement != ''"
    )
    op.create_index(
        "uq_posts_statement",
        "posts",
        ["tenant", "statement"],
        unique=True,
        sqlite_where=NON_EMPTY,
        postgresql_where=NON_EMPTY,
    )


def downgrade() -> None:
    op.execute("UPDATE posts SET author = statement WHERE statement != ''")
    op.drop_index("uq_posts_statement", table_name="posts")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("statement")
