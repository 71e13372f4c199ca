"""Presence measures as the publisher's real `account.snapshotted` and the listener's
`mention.captured` feed them over NATS (SQLite or PostgreSQL): the subsidiary's day, growth,
engagement rate, share of engagement against a competitor, response time, replays, retention."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from nats.aio.client import Client
from nats.js import JetStreamContext
from sqlalchemy import func, insert, select
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie_reputation.adapters.orm import (
    RUNTIME_TABLES,
    KnownSubsidiaryRow,
    PresenceDayRow,
    PresencePostRow,
    PresenceSnapshotRow,
    QuestionMentionRow,
)
from vigie_reputation.app import presence_reads
from vigie_reputation.app.events import ACCOUNT_SNAPSHOTTED, MENTION_CAPTURED
from vigie_reputation.config import Settings
from vigie_reputation.domain.presence.window import PresenceGranularity, checked_window
from vigie_reputation.entrypoints.nats.snapshots import PRESENCE_DURABLE
from vigie_runtime.events import cloudevent_headers
from vigie_runtime.host import Plumbing
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Reputation

TENANT, OTHER = "t_acme", "t_other"
PARIS = ZoneInfo("Europe/Paris")
DAY1 = datetime(2026, 11, 2, tzinfo=UTC)  # Paris is UTC+1 in November
MAIN = f"tenants/{TENANT}/brands/lumiere/socialAccounts/main"
PRESENCE, MENTIONS = PRESENCE_DURABLE, "reputation-mentions"
RIVAL = f"tenants/{TENANT}/brands/rival/trackedAccounts/rival-main"


def ts(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def engagement(uri: str, created: datetime, likes: int, **more: Any) -> Any:
    return publisher.PostEngagement(
        uri=uri,
        url=f"https://bsky.app/{uri[-2:]}",
        create_time=ts(created),
        likes=likes,
        impressions=-1,
        text=f"post {uri}",
        **more,
    )


@dataclass
class Feeds:
    """Publishes as the publisher and the listener do (CloudEvents headers, Nats-Msg-Id)."""

    js: JetStreamContext

    async def snapshot(
        self,
        account: str,
        at: datetime,
        followers: int,
        posts: list[Any],
        *,
        event_id: str,
        msg_id: str = "",
        tenant: str = TENANT,
        owned: bool = True,
    ) -> None:
        brand = account.split("/socialAccounts/", maxsplit=1)[0].split(
            "/trackedAccounts/", maxsplit=1
        )[0]
        message = publisher_events.AccountSnapshotted(
            snapshot=publisher.AccountSnapshot(
                account=account,
                brand=brand,
                network=publisher.NETWORK_BLUESKY,
                handle="@lumiere.test",
                owned=owned,
                snapshot_time=ts(at),
                followers=followers,
                following=10,
                posts=len(posts),
                recent_posts=posts,
            ),
            subsidiary=f"tenants/{tenant}/subsidiaries/france",
        )
        await self._publish(ACCOUNT_SNAPSHOTTED, tenant, message, event_id, msg_id)

    async def question(self, mention_id: str, uri: str, text: str, at: datetime) -> None:
        mention = listener.Mention(
            name=f"tenants/{TENANT}/brands/lumiere/mentions/{mention_id}",
            brand=f"tenants/{TENANT}/brands/lumiere",
            source=f"tenants/{TENANT}/sources/bsky",
            external_id=uri,
            text=text,
            language="en",
            publish_time=ts(at),
            capture_time=ts(at),
            author=listener.MentionAuthor(handle="@alice.test", followers_count=10),
        )
        message = listener_events.MentionCaptured(
            mention=mention,
            brand=mention.brand,
            subsidiary=f"tenants/{TENANT}/subsidiaries/france",
        )
        await self._publish(MENTION_CAPTURED, TENANT, message, f"m-{mention_id}", "")

    async def _publish(
        self, kind: Any, tenant: str, message: Any, event_id: str, msg_id: str
    ) -> None:
        headers = cloudevent_headers(
            event_id, kind.ce_type, kind.producer, tenant, datetime.now(UTC)
        )
        headers["Nats-Msg-Id"] = msg_id or event_id
        await self.js.publish(kind.subject(tenant), message.SerializeToString(), headers=headers)


@pytest.fixture
async def feeds(nats_client: Client) -> Feeds:
    js = nats_client.jetstream()
    await ensure_stream(js, "publisher")
    await ensure_stream(js, "listener")
    return Feeds(js)


@pytest.fixture
async def plumbing(settings: Settings) -> AsyncIterator[Plumbing]:
    plumbing = Plumbing("reputation", settings, RUNTIME_TABLES)
    try:
        yield plumbing
    finally:
        await plumbing.close()


def applied(reputation: "Reputation", durable: str, events: int) -> Any:
    """A check that `durable` has applied `events` events (the inbox rows it wrote)."""
    table = RUNTIME_TABLES.processed_events

    async def check() -> bool:
        query = select(func.count()).select_from(table).where(table.c.consumer == durable)
        (row,) = await reputation.store.rows(query)
        return int(row[0]) >= events

    return check


async def count(reputation: "Reputation", table: Any) -> int:
    (row,) = await reputation.store.rows(select(func.count()).select_from(table))
    return int(row[0])


async def paris_subsidiary(reputation: "Reputation") -> None:
    await reputation.store.rows(select(1))  # the service has migrated by now
    async with reputation.store.engine.begin() as connection:
        await connection.execute(
            insert(KnownSubsidiaryRow).values(
                tenant=TENANT,
                id="france",
                display_name="France",
                country="FR",
                locale="fr-FR",
                time_zone="Europe/Paris",
                data_region="eu",
                updated_at=DAY1,
            )
        )


async def feed_two_days(feeds: Feeds) -> None:
    # Day 1 (Paris): 1000 followers at 10:00 UTC. 23:30 UTC is 00:30 on day 2 in Paris.
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=10), 1000, [], event_id="s1")
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=23, minutes=30), 1100, [], event_id="s2")
    posts = [
        # 10 + 5 + 3 + 2 = 20 engagements, first seen with 1200 followers
        engagement(
            "at://lumiere/p1", DAY1 + timedelta(hours=35), 10, reposts=5, replies=3, quotes=2
        ),
        # The brand's answer to alice's question, 30 minutes after it
        engagement(
            "at://lumiere/r1",
            DAY1 + timedelta(hours=34, minutes=30),
            0,
            reply_to_uri="at://alice/q1",
        ),
    ]
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=36), 1200, posts, event_id="s3")
    rival_posts = [engagement("at://rival/p1", DAY1 + timedelta(hours=30), 60)]
    await feeds.snapshot(
        RIVAL, DAY1 + timedelta(hours=36), 5000, rival_posts, event_id="s4", owned=False
    )
    await feeds.question(
        "q1", "at://alice/q1", "is the shop open on Sunday?", DAY1 + timedelta(hours=34)
    )
    await feeds.question("q2", "at://alice/q2", "love it", DAY1 + timedelta(hours=34))


async def test_snapshots_become_the_brands_presence_in_its_subsidiarys_days(
    reputation: "Reputation", feeds: Feeds, plumbing: Plumbing
) -> None:
    await reputation.brand(TENANT, "lumiere", ["rival"])
    await paris_subsidiary(reputation)
    await feed_two_days(feeds)
    await eventually(applied(reputation, PRESENCE, 4))
    await eventually(applied(reputation, MENTIONS, 2))

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
    await eventually(applied(reputation, PRESENCE, 4))
    await eventually(applied(reputation, MENTIONS, 2))
    tables = (PresenceSnapshotRow, PresenceDayRow, PresencePostRow, QuestionMentionRow)
    before = [await count(reputation, t) for t in tables]
    assert before == [4, 3, 3, 1]
    # The same events again past JetStream's de-duplication (new Nats-Msg-Id), then a newer
    # snapshot in s3's 5-minute bucket (12:00-12:05 UTC).
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=10), 1000, [], event_id="s1", msg_id="c1")
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=36), 1200, [], event_id="s3", msg_id="c3")
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=36, minutes=2), 1250, [], event_id="s5")
    await eventually(applied(reputation, PRESENCE, 5))
    assert [await count(reputation, t) for t in tables] == before
    raw = PresenceSnapshotRow
    bucket = (raw.account == MAIN) & (raw.bucket == DAY1 + timedelta(hours=36))
    (row,) = await reputation.store.rows(select(PresenceSnapshotRow.followers).where(bucket))
    assert row.followers == 1250  # one row per bucket: its latest snapshot


async def test_raw_rows_past_the_retention_are_pruned_and_the_days_stay(
    reputation: "Reputation", feeds: Feeds
) -> None:
    await feeds.snapshot(MAIN, DAY1 + timedelta(hours=10), 1000, [], event_id="s1")
    await feeds.snapshot(MAIN, DAY1 + timedelta(days=40), 1400, [], event_id="s2")
    await eventually(applied(reputation, PRESENCE, 2))
    assert await count(reputation, PresenceSnapshotRow) == 1  # 40 days > 35 days retained
    assert await count(reputation, PresenceDayRow) == 2


async def test_another_tenants_accounts_are_not_in_a_brands_presence(
    reputation: "Reputation", feeds: Feeds, plumbing: Plumbing
) -> None:
    other = f"tenants/{OTHER}/brands/lumiere/socialAccounts/main"
    await feeds.snapshot(other, DAY1, 777, [], event_id="o1", tenant=OTHER)
    await feeds.snapshot(MAIN, DAY1, 1000, [], event_id="s1")
    await eventually(applied(reputation, PRESENCE, 2))
    window = checked_window(DAY1, DAY1 + timedelta(days=1), PARIS)
    async with plumbing.uow() as uow:
        figures = await presence_reads.brand_presence(
            uow, TENANT, ["lumiere"], window, PresenceGranularity.DAY
        )
    assert figures.audience.followers_end == 1000
