"""Presence read functions: the measures of accounts, a brand, a subsidiary's brands, over a
window in a time zone. No access check here (callers check: app/presence.py for the API, the
reports for their own scope); every query is scoped by the tenant given.

Days lying wholly in the window are read from the day roll-ups (one row per account and day, for
the audience and for the posts); the partial days at its edges from the raw 5-minute rows and
the post rows.
"""

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import (
    KnownBrandRow,
    KnownSubsidiaryRow,
    PresenceAccountRow,
    PresenceDayRow,
    PresencePostRow,
    PresenceSnapshotRow,
    QuestionMentionRow,
)
from vigie_reputation.app.presence_post_reads import post_facts, posted, top_post_facts

__all__ = ["post_facts", "posted"]  # the post reads, for the reports
from vigie_reputation.app.views import utc
from vigie_reputation.domain.presence.measures import (
    AudienceFact,
    PostFact,
    Presence,
    presence,
    share_of_engagement,
    top_posts,
)
from vigie_reputation.domain.presence.response import AskedQuestion, ResponseTime, response_time
from vigie_reputation.domain.presence.window import (
    PresenceGranularity,
    PresenceWindow,
    bucket_days,
    midnight,
    whole_days,
)

_DAY_COLUMNS = tuple(
    getattr(PresenceDayRow, c)
    for c in ("account", "first_time", "first_followers", "first_following", "first_posts",
              "last_time", "last_followers", "last_following", "last_posts")
)  # fmt: skip


async def subsidiary_zone(uow: UnitOfWork, tenant: str, subsidiary_id: str) -> ZoneInfo:
    """The subsidiary's time zone from the directory replica; UTC when unknown."""
    row = await uow.session.get(KnownSubsidiaryRow, (tenant, subsidiary_id))
    try:
        return ZoneInfo(row.time_zone) if row and row.time_zone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


async def accounts_of_brands(
    uow: UnitOfWork, tenant: str, brand_ids: Sequence[str]
) -> list[PresenceAccountRow]:
    table = PresenceAccountRow
    query = select(table).where(table.tenant == tenant, table.brand_id.in_(list(brand_ids)))
    return list((await uow.session.execute(query.order_by(table.account))).scalars())


async def own_brands(uow: UnitOfWork, tenant: str, subsidiary_id: str | None) -> list[str]:
    """The group's own brands (of one subsidiary when given), never the deleted ones."""
    table = KnownBrandRow
    query = select(table.id).where(
        table.tenant == tenant, table.kind == "own", table.deleted.is_(False)
    )
    if subsidiary_id is not None:
        query = query.where(table.subsidiary_id == subsidiary_id)
    return list((await uow.session.execute(query.order_by(table.id))).scalars())


async def audience_facts(
    uow: UnitOfWork, tenant: str, accounts: Sequence[str], window: PresenceWindow
) -> list[AudienceFact]:
    first, last = whole_days(window)
    inner = (midnight(first, window.zone), midnight(last, window.zone))
    if inner[0] >= inner[1]:
        return await _raw_facts(uow, tenant, accounts, window.start, window.end)
    days = PresenceDayRow
    # Columns, not entities: a year of a subsidiary is thousands of rows.
    query = select(*_DAY_COLUMNS).where(
        days.tenant == tenant, days.account.in_(list(accounts)), days.day >= first, days.day < last
    )
    facts = []
    for row in await uow.session.execute(query):
        facts.append(
            AudienceFact(
                row.account,
                utc(row.first_time),
                row.first_followers,
                row.first_following,
                row.first_posts,
            )
        )
        facts.append(
            AudienceFact(
                row.account,
                utc(row.last_time),
                row.last_followers,
                row.last_following,
                row.last_posts,
            )
        )
    facts += await _raw_facts(uow, tenant, accounts, window.start, inner[0])
    facts += await _raw_facts(uow, tenant, accounts, inner[1], window.end)
    return facts


async def _raw_facts(
    uow: UnitOfWork, tenant: str, accounts: Sequence[str], start: datetime, end: datetime
) -> list[AudienceFact]:
    if start >= end:
        return []
    raw = PresenceSnapshotRow
    query = select(raw.account, raw.snapshot_time, raw.followers, raw.following, raw.posts).where(
        raw.tenant == tenant,
        raw.account.in_(list(accounts)),
        raw.bucket >= start,
        raw.bucket < end,
    )
    return [
        AudienceFact(r.account, utc(r.snapshot_time), r.followers, r.following, r.posts)
        for r in await uow.session.execute(query)
    ]


async def accounts_presence(
    uow: UnitOfWork,
    tenant: str,
    accounts: Sequence[str],
    window: PresenceWindow,
    granularity: PresenceGranularity,
) -> Presence:
    facts = await audience_facts(uow, tenant, accounts, window)
    posts, rolled = await posted(uow, tenant, accounts, window)
    buckets = list(bucket_days(window, granularity))
    return presence(facts, posts, window, granularity, buckets, rolled)


async def brand_presence(
    uow: UnitOfWork,
    tenant: str,
    brand_ids: Sequence[str],
    window: PresenceWindow,
    granularity: PresenceGranularity,
) -> Presence:
    """Every account that speaks for the brands (connected or tracked), added up."""
    accounts = [a.account for a in await accounts_of_brands(uow, tenant, brand_ids)]
    return await accounts_presence(uow, tenant, accounts, window, granularity)


async def top_posts_of(
    uow: UnitOfWork, tenant: str, accounts: Sequence[str], window: PresenceWindow, count: int
) -> list[PostFact]:
    return top_posts(await top_post_facts(uow, tenant, accounts, window, count), count)


async def engagement_shares(
    uow: UnitOfWork, tenant: str, brand_id: str, window: PresenceWindow
) -> dict[str, tuple[int, float]]:
    """brand id -> (engagements, share) for the brand and each of its competitors, over the
    posts created in the window (the competitors' accounts are tracked accounts)."""
    return await engagement_shares_of(uow, tenant, [brand_id], window)


async def engagement_shares_of(
    uow: UnitOfWork, tenant: str, brand_ids: Sequence[str], window: PresenceWindow
) -> dict[str, tuple[int, float]]:
    """The same for several own brands (a subsidiary's) against all their competitors."""
    table = KnownBrandRow
    query = select(table.competitors).where(table.tenant == tenant, table.id.in_(list(brand_ids)))
    competitors = {c for row in await uow.session.execute(query) for c in row.competitors}
    brands = [*brand_ids, *sorted(competitors - set(brand_ids))]
    engagements = dict.fromkeys(brands, 0)
    by_account = {a.account: a.brand_id for a in await accounts_of_brands(uow, tenant, brands)}
    posts, rolled = await posted(uow, tenant, list(by_account), window)
    parts = [(p.account, p.engagements) for p in posts]
    parts += [(d.account, d.engagements) for d in rolled]
    for account, count in parts:
        engagements[by_account[account]] += count
    shares = share_of_engagement(engagements)
    return {brand: (engagements[brand], shares[brand]) for brand in brands}


async def brand_response_time(
    uow: UnitOfWork, tenant: str, brand_ids: Sequence[str], window: PresenceWindow
) -> ResponseTime:
    """Questions asked of the brands in the window, answered by a reply of one of their
    accounts (the first reply counts, whenever it came)."""
    questions, posts = QuestionMentionRow, PresencePostRow
    # Each question's first reply found through the reply index, in the same query: a quarter
    # of a subsidiary asks thousands of questions, too many to send back as an IN list.
    first_reply = (
        select(func.min(posts.create_time))
        .where(
            posts.tenant == questions.tenant,
            posts.reply_to_uri == questions.uri,
            posts.brand_id.in_(list(brand_ids)),
        )
        .scalar_subquery()
    )
    query = select(questions.uri, questions.publish_time, first_reply.label("answer")).where(
        questions.tenant == tenant,
        questions.brand_id.in_(list(brand_ids)),
        questions.publish_time >= window.start,
        questions.publish_time < window.end,
    )
    asked = [
        AskedQuestion(r.uri, utc(r.publish_time), utc(r.answer) if r.answer else None)
        for r in await uow.session.execute(query)
    ]
    return response_time(asked)
