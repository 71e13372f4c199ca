"""What the presence tests share: feeds that publish `account.snapshotted` and
`mention.captured` as the publisher and the listener do, a two-day fixture worked out by hand,
and checks on the reputation's tables (tests only)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from google.protobuf.timestamp_pb2 import Timestamp
from nats.js import JetStreamContext
from sqlalchemy import func, insert, select
from vigie.directory.v1 import events_pb2 as directory_events
from vigie.directory.v1 import resources_pb2 as directory
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie_directory_replica.subscription import BRAND_CREATED
from vigie_runtime.events import cloudevent_headers
from vigie_runtime.nats_connection import ensure_stream

from vigie_reputation.adapters.orm import RUNTIME_TABLES, KnownSubsidiaryRow
from vigie_reputation.app.events import ACCOUNT_SNAPSHOTTED, MENTION_CAPTURED
from vigie_reputation.entrypoints.nats.snapshots import PRESENCE_DURABLE

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

    async def brand(self, brand_id: str, competitors: list[str]) -> None:
        """The directory announces a brand of the `france` subsidiary with its competitors."""
        message = directory_events.BrandCreated(
            brand=directory.Brand(
                name=f"tenants/{TENANT}/brands/{brand_id}",
                subsidiary=f"tenants/{TENANT}/subsidiaries/france",
                display_name=brand_id,
                kind=directory.BRAND_KIND_OWN,
                competitors=[f"tenants/{TENANT}/brands/{c}" for c in competitors],
                update_time=ts(DAY1),
            )
        )
        await self._publish(BRAND_CREATED, TENANT, message, f"brand-{brand_id}", "")

    async def _publish(
        self, kind: Any, tenant: str, message: Any, event_id: str, msg_id: str
    ) -> None:
        headers = cloudevent_headers(
            event_id, kind.ce_type, kind.producer, tenant, datetime.now(UTC)
        )
        headers["Nats-Msg-Id"] = msg_id or event_id
        await self.js.publish(kind.subject(tenant), message.SerializeToString(), headers=headers)


async def feeds_on(js: JetStreamContext) -> Feeds:
    for producer in ("publisher", "listener", "directory"):
        await ensure_stream(js, producer)
    return Feeds(js)


def applied(store: Any, durable: str, events: int) -> Any:
    """A check that `durable` has applied `events` events (the inbox rows it wrote)."""
    table = RUNTIME_TABLES.processed_events

    async def check() -> bool:
        query = select(func.count()).select_from(table).where(table.c.consumer == durable)
        (row,) = await store.rows(query)
        return int(row[0]) >= events

    return check


async def count(store: Any, table: Any) -> int:
    (row,) = await store.rows(select(func.count()).select_from(table))
    return int(row[0])


async def paris_subsidiary(store: Any) -> None:
    await store.rows(select(1))  # the service has migrated by now
    async with store.engine.begin() as connection:
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
