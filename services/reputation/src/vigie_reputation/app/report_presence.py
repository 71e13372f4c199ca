"""The presence section of a report: the subject's owned accounts over the report's period in
the subsidiary's zone, read through app/presence_reads.py (what the PresenceService reads)."""

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import KnownBrandRow, PresenceAccountRow
from vigie_reputation.app import presence_reads as reads
from vigie_reputation.domain.presence.measures import AudienceFact, PostDay, PostFact, presence
from vigie_reputation.domain.presence.window import (
    PresenceGranularity,
    PresenceWindow,
    bucket_days,
)
from vigie_reputation.domain.reports import model

TOP_POSTS = 5
DAY = PresenceGranularity.DAY


def network_name(network: int) -> str:
    """ "bluesky" for NETWORK_BLUESKY; the number when the enum does not know it."""
    try:
        return publisher.Network.Name(network).removeprefix("NETWORK_").lower()  # type: ignore[arg-type]
    except ValueError:
        return str(network)


async def presence_section(
    uow: UnitOfWork, tenant: str, brand_ids: list[str], period: tuple[datetime, datetime], zone: str
) -> model.PresenceSection | None:
    """None when none of the brands has an account measured."""
    accounts = [a for a in await reads.accounts_of_brands(uow, tenant, brand_ids) if a.owned]
    if not accounts:
        return None
    window = PresenceWindow(period[0], period[1], ZoneInfo(zone))
    handles = {a.account: a.handle or a.account for a in accounts}
    names = [a.account for a in accounts]
    facts = await reads.audience_facts(uow, tenant, names, window)
    posts, rolled = await reads.posted(uow, tenant, names, window)
    total = presence(facts, posts, window, DAY, list(bucket_days(window, DAY)), rolled)
    answers = await reads.brand_response_time(uow, tenant, brand_ids, window)
    return model.PresenceSection(
        followers_start=total.audience.followers_start,
        followers_end=total.audience.followers_end,
        posts=total.posts,
        posts_per_week=total.posts_per_week,
        engagements=total.engagements,
        engagement_rate=total.engagement_rate,
        reach=total.reach,
        reach_is_impressions=total.reach_is_impressions,
        questions=answers.questions,
        answered=answers.answered,
        median_response=answers.median,
        p90_response=answers.p90,
        days=[model.AudienceDay(p.day, p.followers, p.posts, p.engagements) for p in total.series],
        accounts=_accounts(accounts, window, facts, posts, rolled),
        top_posts=[
            _top(p, handles)
            for p in await reads.top_posts_of(uow, tenant, names, window, TOP_POSTS)
        ],
        shares=await _shares(uow, tenant, brand_ids, window),
    )


def _accounts(
    rows: list[PresenceAccountRow],
    window: PresenceWindow,
    facts: list[AudienceFact],
    posts: list[PostFact],
    rolled: list[PostDay],
) -> list[model.AccountPresence]:
    facts_of: dict[str, list[AudienceFact]] = defaultdict(list)
    posts_of: dict[str, list[PostFact]] = defaultdict(list)
    days_of: dict[str, list[PostDay]] = defaultdict(list)
    for fact in facts:
        facts_of[fact.account].append(fact)
    for post in posts:
        posts_of[post.account].append(post)
    for day in rolled:
        days_of[day.account].append(day)
    lines = []
    for row in rows:
        account = row.account
        figures = presence(facts_of[account], posts_of[account], window, DAY, [], days_of[account])
        lines.append(
            model.AccountPresence(
                account=row.handle or account,
                network=network_name(row.network),
                followers_start=figures.audience.followers_start,
                followers_end=figures.audience.followers_end,
                posts=figures.posts,
                # No post, no rate (rather than a rate of 0).
                engagement_rate=figures.engagement_rate if figures.posts else None,
            )
        )
    return lines


def _top(post: PostFact, handles: dict[str, str]) -> model.TopPost:
    return model.TopPost(
        handles.get(post.account, post.account),
        post.url,
        post.text,
        post.create_time,
        post.engagements,
        post.engagement_rate,
    )


async def _shares(
    uow: UnitOfWork, tenant: str, brand_ids: list[str], window: PresenceWindow
) -> list[model.EngagementShare]:
    shares = await reads.engagement_shares_of(uow, tenant, brand_ids, window)
    table = KnownBrandRow
    query = select(table.id, table.display_name).where(
        table.tenant == tenant, table.id.in_(list(shares))
    )
    names = {row.id: row.display_name for row in await uow.session.execute(query)}
    lines = [model.EngagementShare(names.get(b, b), n, s) for b, (n, s) in shares.items()]
    return sorted(lines, key=lambda s: (-s.engagements, s.brand))
