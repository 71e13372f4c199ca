"""The day roll-up of an account's posts: recomputed from the post rows of each local day a
write touched, so it always equals what its posts add up to (a newer reading of a post replaces
its figures, a replay changes nothing, nothing is ever added twice)."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import PresencePostDayRow, PresencePostRow
from vigie_reputation.app.views import utc
from vigie_reputation.domain.presence.measures import PostDay, PostFact, post_days
from vigie_reputation.domain.presence.window import local_day, midnight


async def roll_up_post_days(
    uow: UnitOfWork, tenant: str, account: str, times: Iterable[datetime], zone_name: str
) -> None:
    """Rewrites the roll-up of the local days (in `zone_name`) holding `times`."""
    zone = ZoneInfo(zone_name)
    days = {local_day(t, zone) for t in times}
    start, end = midnight(min(days), zone), midnight(max(days) + timedelta(days=1), zone)
    await uow.session.flush()  # the batch's new and changed posts are part of their days
    posts = PresencePostRow
    query = select(posts).where(
        posts.tenant == tenant,
        posts.account == account,
        posts.create_time >= start,
        posts.create_time < end,
    )
    facts = [_fact(r) for r in (await uow.session.execute(query)).scalars()]
    summed = {d.day: d for d in post_days(facts, zone) if d.day in days}
    table = PresencePostDayRow
    existing = select(table).where(
        table.tenant == tenant, table.account == account, table.day.in_(days)
    )
    rows = {r.day: r for r in (await uow.session.execute(existing)).scalars()}
    for day in days:
        row = rows.get(day)
        if row is None:
            row = PresencePostDayRow(tenant=tenant, account=account, day=day)
            uow.session.add(row)
        _set(row, summed.get(day, PostDay(account, day, 0, 0, 0, 0, 0.0)), zone_name)


def _set(row: PresencePostDayRow, day: PostDay, zone: str) -> None:
    row.zone, row.posts, row.engagements, row.reach = zone, day.posts, day.engagements, day.reach
    row.potential_reach_posts, row.rate_sum = day.potential_reach_posts, day.rate_sum


def _fact(row: PresencePostRow) -> PostFact:
    return PostFact(
        row.account, row.uri, row.url, row.text, utc(row.create_time), row.likes, row.reposts,
        row.replies, row.quotes, row.impressions, row.followers_at_post,
    )  # fmt: skip
