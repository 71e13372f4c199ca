"""presence post day rollups

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:12:09.763969
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from vigie_reputation.domain.presence.measures import PostFact, post_days

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    days = op.create_table(
        "presence_post_days",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("account", sa.String(length=255), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("engagements", sa.BigInteger(), nullable=False),
        sa.Column("reach", sa.BigInteger(), nullable=False),
        sa.Column("potential_reach_posts", sa.Integer(), nullable=False),
        sa.Column("rate_sum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "account", "day", name=op.f("pk_presence_post_days")),
    )
    with op.batch_alter_table("presence_posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_presence_posts_account_time", ["tenant", "account", "create_time"], unique=False
        )
    _backfill(days)


def _backfill(days: sa.Table) -> None:
    """The posts stored before this revision get their day roll-ups, in their account's zone,
    summed by the same domain function as the store's write path."""
    posts = sa.table(
        "presence_posts",
        *(sa.column(c) for c in ("tenant", "account", "uri", "url", "text", "create_time",
                                 "likes", "reposts", "replies", "quotes", "impressions",
                                 "followers_at_post")),
    )  # fmt: skip
    accounts = sa.table(
        "presence_accounts", sa.column("tenant"), sa.column("account"), sa.column("rollup_zone")
    )
    query = sa.select(posts, accounts.c.rollup_zone).join(
        accounts,
        (accounts.c.tenant == posts.c.tenant) & (accounts.c.account == posts.c.account),
    )
    grouped: dict[tuple[str, str], list[PostFact]] = {}
    for r in op.get_bind().execute(query):
        created = (
            r.create_time
            if isinstance(r.create_time, datetime)
            else datetime.fromisoformat(r.create_time)
        )
        fact = PostFact(
            r.account, r.uri, r.url, r.text,
            created if created.tzinfo else created.replace(tzinfo=UTC),
            r.likes, r.reposts, r.replies, r.quotes, r.impressions, r.followers_at_post,
        )  # fmt: skip
        grouped.setdefault((r.tenant, r.rollup_zone or "UTC"), []).append(fact)
    rows = [
        {"tenant": tenant, "account": d.account, "day": d.day, "zone": zone, "posts": d.posts,
         "engagements": d.engagements, "reach": d.reach,
         "potential_reach_posts": d.potential_reach_posts, "rate_sum": d.rate_sum}
        for (tenant, zone), facts in grouped.items()
        for d in post_days(facts, ZoneInfo(zone))
    ]  # fmt: skip
    if rows:
        op.bulk_insert(days, rows)


def downgrade() -> None:
    with op.batch_alter_table("presence_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_presence_posts_account_time")

    op.drop_table("presence_post_days")
