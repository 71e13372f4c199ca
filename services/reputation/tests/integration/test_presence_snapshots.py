"""Presence measures as the publisher's real `account.snapshotted` and the listener's
`mention.captured` feed them over NATS (SQLite or PostgreSQL): the subsidiary's day, growth,
engagement rate, share of engagement against a competitor, response time, replays, retention."""

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select
from vigie_reputation.adapters.orm import (
    PresenceDayRow,
    PresencePostRow,
    PresenceSnapshotRow,
    QuestionMentionRow,
)
from vigie_reputation.app import presence_reads
from vigie_reputation.domain.presence.window import PresenceGranularity, checked_window
from vigie_reputation.presence_testing import (
    DAY1,
    MAIN,
    MENTIONS,
    OTHER,
    PARIS,
    PRESENCE,
    TENANT,
    Feeds,
    applied,
    count,
    feed_two_days,
    paris_subsidiary,
)
from vigie_runtime.host import Plumbing
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Reputation


async def test_snapshots_become_the_brands_presence_in_its_subsidiarys_days(
    reputation: "Reputation", feeds: Feeds, plumbing: Plumbing
) -> None:
    await reputation.brand(TENANT, "lumiere", ["rival"])
    await paris_subsidiary(reputation.store)
    await feed_two_days(feeds)
    await eventually(applied(reputation.store, PRESENCE, 4))
    await eventually(applied(reputation.store, MENTIONS, 2))

    window = checked_window(DAY1 - timedelta(hours=1), DAY1 + timedelta(hours=47), PARIS)
    async with plumbing.uow() as uow:
        figures = await presence_reads.brand_presence(
            uow, TENANT, ["lumiere"], window, PresenceGranularity.DAY
        )
        shares = await presence_reads.engagement_shares(uow, TENANT, "lumiere", window)
        answers = await presence_reads.brand_response_time(uow, TENANT, ["lumiere"], window)
        top = await presence_reads.top_posts_of(uow, TENANT, [MAIN], window, 1)
    # Day 1 in Paris ends on 1000 (the 23:30 UTC reading is day 2's), day 2 on 1200.
    assert [(p.day.day, p.followers) for p in figures.series] == [(2, 1000), (3, 1200)]
    # growth 1200 - 1000 = 200, 20 %
    assert (figures.audience.growth, figures.audience.growth_percent) == (200, 20.0)
    # 2 posts: p1 20 / 1200 followers, r1 0 -> mean 20 / 2400
    assert figures.engagement_rate == pytest.approx(20 / 2400)
    # lumiere 20 of 20 + 60 = 80 engagements: 25 %; the rival 75 %
    assert shares == {"lumiere": (20, 0.25), "rival": (60, 0.75)}
    # one question (q2 asks nothing), answered after 30 minutes
    assert (answers.questions, answers.answered) == (1, 1)
    assert answers.median == timedelta(minutes=30)
    assert [p.uri for p in top] == ["at://lumiere/p1"]


async def test_a_replayed_snapshot_changes_nothing(reputation: "Reputation", feeds: Feeds) -> None:
    await feed_two_days(feeds)
    await eventually(applied(reputation.store, PRESENCE, 4))
    await eventually(applied(reputation.store, MENTIONS, 2))
    tables = (PresenceSnapshotRow, PresenceDayRow, PresencePostRow, QuestionMentionRow)
    before = [await count(reputation.store, t) for t in tables]
    assert before == [4, 3, 3, 1]
    # The same events again past JetStream's de-duplication (new Nats-Msg-Id), then a newer
    # snapshot in s3's 5-minute bucket (12:00-12:05 UTC).
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=10), 1000, [], event_id="s1", msg_id="c1")
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=36), 1200, [], event_id="s3", msg_id="c3")
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=36, minutes=2), 1250, [], event_id="s5")
    await eventually(applied(reputation.store, PRESENCE, 5))
    assert [await count(reputation.store, t) for t in tables] == before
    raw = PresenceSnapshotRow
    bucket = (raw.account == MAIN) & (raw.bucket == DAY1 + timedelta(hours=36))
    (row,) = await reputation.store.rows(select(PresenceSnapshotRow.followers).where(bucket))
    assert row.followers == 1250  # one row per bucket: its latest snapshot


async def test_raw_rows_past_the_retention_are_pruned_and_the_days_stay(
    reputation: "Reputation", feeds: Feeds
) -> None:
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=10), 1000, [], event_id="s1")
    await feeds.snapshot(MAIN, DAY1 + timedelta(days=40), 1400, [], event_id="s2")
    await eventually(applied(reputation.store, PRESENCE, 2))
    assert await count(reputation.store, PresenceSnapshotRow) == 1  # 40 days > 35 days retained
    assert await count(reputation.store, PresenceDayRow) == 2


async def test_another_tenants_accounts_are_not_in_a_brands_presence(
    reputation: "Reputation", feeds: Feeds, plumbing: Plumbing
) -> None:
    other = f"tenants/{OTHER}/brands/lumiere/socialAccounts/main"
    await feeds.snapshot(other, DAY1, 777, [], event_id="o1", tenant=OTHER)
    await feeds.snapshot(MAIN, DAY1, 1000, [], event_id="s1")
    await eventually(applied(reputation.store, PRESENCE, 2))
    window = checked_window(DAY1, DAY1 + timedelta(days=1), PARIS)
    async with plumbing.uow() as uow:
        figures = await presence_reads.brand_presence(
            uow, TENANT, ["lumiere"], window, PresenceGranularity.DAY
        )
    assert figures.audience.followers_end == 1000
