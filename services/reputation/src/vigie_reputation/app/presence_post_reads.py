"""Presence reads of posts: a window's posts one by one (the partial days at its edges, top
posts) or summed per account and local day (its whole days, from the post day roll-ups). No
access check here; every query is scoped by the tenant given."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import PresenceAccountRow, PresencePostDayRow, PresencePostRow
from vigie_reputation.app.views import utc
from vigie_reputation.domain.presence.measures import PostDay, PostFact
from vigie_reputation.domain.presence.window import PresenceWindow, midnight, whole_days

_POST_DAY_COLUMNS = tuple(
    getattr(PresencePostDayRow, c)
    for c in ("account", "day", "posts", "engagements", "reach", "potential_reach_posts",
              "rate_sum")
)  # fmt: skip
_POST_COLUMNS = tuple(
    getattr(PresencePostRow, c)
    for c in ("account", "uri", "url", "text", "create_time", "likes", "reposts", "replies",
              "quotes", "impressions", "followers_at_post")
)  # fmt: skip


async def post_facts(
    uow: UnitOfWork, tenant: str, accounts: Sequence[str], window: PresenceWindow
) -> list[PostFact]:
    """The accounts' posts created in the window, with their latest engagement."""
    return await _post_rows(uow, tenant, accounts, window.start, window.end)


async def top_post_facts(
    uow: UnitOfWork, tenant: str, accounts: Sequence[str], window: PresenceWindow, count: int
) -> list[PostFact]:
    """The `count` most engaged posts created in the window, ordered by the database in the
    order of `measures.top_posts` (a year's posts are not all sent to Python for five)."""
    table = PresencePostRow
    engagements = table.likes + table.reposts + table.replies + table.quotes
    order = (engagements.desc(), table.create_time.desc(), table.uri)
    return await _post_rows(
        uow, tenant, accounts, window.start, window.end, order=order, limit=count
    )


async def _post_rows(
    uow: UnitOfWork,
    tenant: str,
    accounts: Sequence[str],
    start: datetime,
    end: datetime,
    order: tuple[Any, ...] = (),
    limit: int | None = None,
) -> list[PostFact]:
    if start >= end or not accounts:
        return []
    table = PresencePostRow
    query = select(*_POST_COLUMNS).where(
        table.tenant == tenant,
        table.account.in_(list(accounts)),
        table.create_time >= start,
        table.create_time < end,
    )
    query = query.order_by(*order).limit(limit)
    return [
        PostFact(
            r.account,
            r.uri,
            r.url,
            r.text,
            utc(r.create_time),
            r.likes,
            r.reposts,
            r.replies,
            r.quotes,
            r.impressions,
            r.followers_at_post,
        )
        for r in await uow.session.execute(query)
    ]


async def posted(
    uow: UnitOfWork, tenant: str, accounts: Sequence[str], window: PresenceWindow
) -> tuple[list[PostFact], list[PostDay]]:
    """The window's posts, summed: its whole local days from the post day roll-ups (one row per
    account and day) for the accounts rolled up in the window's zone, the rest (the partial
    days at its edges, accounts rolled up in another zone) from the post rows."""
    first, last = whole_days(window)
    inner = (midnight(first, window.zone), midnight(last, window.zone))
    table = PresenceAccountRow
    same_zone = select(table.account).where(
        table.tenant == tenant,
        table.account.in_(list(accounts)),
        table.rollup_zone == window.zone.key,
    )
    rolled = [] if inner[0] >= inner[1] else list((await uow.session.execute(same_zone)).scalars())
    others = sorted(set(accounts) - set(rolled))
    posts = await _post_rows(uow, tenant, others, window.start, window.end)
    posts += await _post_rows(uow, tenant, rolled, window.start, inner[0])
    posts += await _post_rows(uow, tenant, rolled, inner[1], window.end)
    return posts, await _post_days(uow, tenant, rolled, window, (first, last))


async def _post_days(
    uow: UnitOfWork,
    tenant: str,
    accounts: Sequence[str],
    window: PresenceWindow,
    days: tuple[date, date],
) -> list[PostDay]:
    if not accounts:
        return []
    table = PresencePostDayRow
    query = select(*_POST_DAY_COLUMNS).where(
        table.tenant == tenant,
        table.account.in_(list(accounts)),
        table.zone == window.zone.key,
        table.day >= days[0],
        table.day < days[1],
        table.posts > 0,
    )
    return [
        PostDay(
            r.account,
            r.day,
            r.posts,
            r.engagements,
            r.reach,
            r.potential_reach_posts,
            r.rate_sum,
        )
        for r in await uow.session.execute(query)
    ]
