"""The publisher's `account.snapshotted`, kept as presence measures (idempotent via the inbox,
and each write is a merge besides)."""

import logging
from datetime import UTC, datetime, timedelta

from google.protobuf.timestamp_pb2 import Timestamp
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie_runtime.events import IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.app.events import ACCOUNT_SNAPSHOTTED
from vigie_reputation.app.presence_store import PostReading, SnapshotFacts, record_snapshots

log = logging.getLogger(__name__)

PRESENCE_DURABLE = "reputation-presence"

_BRAND = ResourcePattern("brand", ("tenants", "brands"))
_SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))


def presence_subscription(retention: timedelta) -> Subscription:
    async def on_account_snapshotted(uow: UnitOfWork, event: IncomingEvent) -> None:
        if event.type != ACCOUNT_SNAPSHOTTED.ce_type:
            log.info("ignoring %s: not an event this version knows", event.type)
            return
        facts = snapshot_facts(ACCOUNT_SNAPSHOTTED.parse(event), event)
        await record_snapshots(uow, [facts], retention)

    return Subscription(
        durable=PRESENCE_DURABLE,
        producer="publisher",
        subjects=[ACCOUNT_SNAPSHOTTED.subject_filter()],
        handler=on_account_snapshotted,
    )


def _time(stamp: Timestamp, fallback: IncomingEvent) -> datetime:
    return stamp.ToDatetime(tzinfo=UTC) if stamp.seconds or stamp.nanos else fallback.time


def snapshot_facts(
    snapshotted: publisher_events.AccountSnapshotted, event: IncomingEvent
) -> SnapshotFacts:
    snapshot = snapshotted.snapshot
    tenant, brand_id = _BRAND.parse(snapshot.brand, "snapshot.brand")
    if tenant != event.tenant or not snapshot.account.startswith(f"{snapshot.brand}/"):
        # Another tenant's (or brand's) account in this tenant's event: never applied.
        raise ValueError(f"event {event.id} of tenant {event.tenant} names {snapshot.account}")
    subsidiary = ""
    if snapshotted.subsidiary:
        subsidiary = _SUBSIDIARY.parse(snapshotted.subsidiary, "subsidiary")[1]
    return SnapshotFacts(
        tenant=tenant,
        account=snapshot.account,
        brand_id=brand_id,
        subsidiary_id=subsidiary,
        network=snapshot.network,
        handle=snapshot.handle,
        owned=snapshot.owned,
        time_zone=snapshot.time_zone,
        time=_time(snapshot.snapshot_time, event),
        followers=snapshot.followers,
        following=snapshot.following,
        posts=snapshot.posts,
        recent_posts=[_reading(p, event) for p in snapshot.recent_posts],
    )


def _reading(post: publisher.PostEngagement, event: IncomingEvent) -> PostReading:
    return PostReading(
        uri=post.uri,
        url=post.url,
        text=post.text[:280],
        create_time=_time(post.create_time, event),
        likes=post.likes,
        reposts=post.reposts,
        replies=post.replies,
        quotes=post.quotes,
        impressions=post.impressions,
        reply_to_uri=post.reply_to_uri,
    )
