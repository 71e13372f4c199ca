"""The day roll-up of posts, fed by the publisher's real `account.snapshotted` over NATS (SQLite
or PostgreSQL): a post's newer reading replaces its figures in its local day, late and repeated
readings add nothing, and a window read through the roll-ups gives what its post rows give."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select
from vigie_reputation.adapters.orm import PresencePostDayRow
from vigie_reputation.app import presence_reads
from vigie_reputation.domain.presence.measures import presence
from vigie_reputation.domain.presence.window import (
    PresenceGranularity,
    bucket_days,
    checked_window,
)
from vigie_reputation.presence_testing import (
    DAY1,
    MAIN,
    PARIS,
    PRESENCE,
    TENANT,
    Feeds,
    applied,
    engagement,
    paris_subsidiary,
)
from vigie_runtime.host import Plumbing
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Reputation


def p1(likes: int) -> object:
    # Created 09:00 UTC on 2 November: 10:00 in Paris.
    return engagement("at://lumiere/p1", DAY1 + timedelta(hours=9), likes, replies=2)


async def test_a_posts_newer_reading_replaces_its_day_and_late_or_repeated_ones_add_nothing(
    feeds: Feeds, reputation: "Reputation"
) -> None:
    await paris_subsidiary(reputation.store)
    # 23:30 UTC on 2 November is 00:30 on 3 November in Paris.
    p2 = engagement("at://lumiere/p2", DAY1 + timedelta(hours=23, minutes=30), 4)
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=10), 1000, [p1(10)], event_id="d1")
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=24), 1100, [p1(30), p2], event_id="d2")
    # The first reading again (late), and the second again, under new event ids.
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=10), 1000, [p1(10)], event_id="d1-late")
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=24), 1100, [p1(30), p2], event_id="d2-again")
    await eventually(applied(reputation.store, PRESENCE, 4))
    table = PresencePostDayRow
    rows = await reputation.store.rows(
        select(table.day, table.posts, table.engagements, table.reach, table.rate_sum)
        .where(table.account == MAIN)
        .order_by(table.day)
    )
    # 2 Nov: p1 with its latest 30 likes + 2 replies = 32, first seen with 1000 followers.
    # 3 Nov (00:30 in Paris): p2, 4 likes, first seen with 1100 followers.
    assert [tuple(r) for r in rows] == [
        (date(2026, 11, 2), 1, 32, 1000, pytest.approx(32 / 1000)),
        (date(2026, 11, 3), 1, 4, 1100, pytest.approx(4 / 1100)),
    ]


async def test_a_window_read_through_the_roll_ups_gives_what_its_post_rows_give(
    feeds: Feeds, reputation: "Reputation", plumbing: Plumbing
) -> None:
    await paris_subsidiary(reputation.store)
    for day in range(5):
        at = DAY1 + timedelta(days=day, hours=11)
        posts = [
            engagement(f"at://lumiere/d{day}-{n}", at - timedelta(hours=n + 1), 3 * day + n)
            for n in range(3)
        ]
        await feeds.snapshot(MAIN, at, 1000 + 50 * day, posts, event_id=f"w{day}")
    await eventually(applied(reputation.store, PRESENCE, 5))
    # From 2 Nov 12:00 to 6 Nov 11:00 UTC: 3 whole Paris days between two partial ones.
    window = checked_window(DAY1 + timedelta(hours=12), DAY1 + timedelta(days=4, hours=11), PARIS)
    async with plumbing.uow() as uow:
        got = await presence_reads.accounts_presence(
            uow, TENANT, [MAIN], window, PresenceGranularity.DAY
        )
        posts, rolled = await presence_reads.posted(uow, TENANT, [MAIN], window)
        facts = await presence_reads.audience_facts(uow, TENANT, [MAIN], window)
        every_post = await presence_reads.post_facts(uow, TENANT, [MAIN], window)
    assert {d.day.day for d in rolled} == {3, 4, 5}  # the whole days came from the roll-ups
    buckets = list(bucket_days(window, PresenceGranularity.DAY))
    expected = presence(facts, every_post, window, PresenceGranularity.DAY, buckets)
    # By hand: day 0's posts (08:00-10:00 UTC) are before the window's start; days 1-4 count,
    # 3 posts each, likes 3d, 3d+1, 3d+2, first seen with 1000 + 50d followers.
    assert (got.posts, got.engagements, got.reach) == (12, 102, 3 * (1050 + 1100 + 1150 + 1200))
    rate = (12 / 1050 + 21 / 1100 + 30 / 1150 + 39 / 1200) / 12
    assert got.engagement_rate == pytest.approx(rate)
    # And the same as every post row read one by one.
    assert (got.posts, got.engagements, got.reach) == (
        expected.posts,
        expected.engagements,
        expected.reach,
    )
    assert got.engagement_rate == pytest.approx(expected.engagement_rate)
    assert got.series == expected.series
