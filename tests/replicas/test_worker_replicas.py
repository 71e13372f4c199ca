"""Two replicas of the listener and two of the reputation's worker, sharing their durable
consumers, take a burst together: every mention is captured once, scored once and counted once
in the measures and the crisis watches, and none is lost, even when each mention is pushed to
both listener replicas and every `mention.captured` is delivered again under another event id
(on SQLite and PostgreSQL: there the replicas write at the same time).

(test_service_replicas.py proves one process applies a directory event once; this proves
replicas of the worker split a stream between them without applying any event twice.)
"""

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import nats
from google.protobuf.timestamp_pb2 import Timestamp
from nats.aio.msg import Msg
from sqlalchemy import func, select
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.config import Settings as ListenerSettings
from vigie_listener.testing import (
    LUMIERE,
    PARTNER_CLIENT,
    RIVAL,
    Listener,
    captured,
    running,
    seed_brands,
    seed_partner_source,
)
from vigie_reputation.adapters.orm import (
    RUNTIME_TABLES,
    CrisisWatchRow,
    MeasureBucketRow,
    MentionSentimentRow,
)
from vigie_reputation.bootstrap import build as build_reputation
from vigie_reputation.config import Settings as ReputationSettings
from vigie_reputation.entrypoints.nats.mentions import MENTIONS_DURABLE
from vigie_runtime.database import create_engine
from vigie_runtime.events import IncomingEvent
from vigie_runtime.host import ServiceSpec
from vigie_runtime.inbox import Handler
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually
from vigie_runtime.uow import UnitOfWork

BURST = 240
BRANDS = [LUMIERE, RIVAL]
CAPTURED = "vigie.listener.*.mention.captured.v1"
SCORED = "vigie.reputation.*.mention.scored.v1"


def counted(spec: ServiceSpec, handled: Counter[str], replica: str) -> ServiceSpec:
    """The reputation as built, its mention consumer counting what this replica applied."""
    spec.subscriptions = [
        dataclasses.replace(s, handler=counting(s.handler, handled, replica))
        if s.durable == MENTIONS_DURABLE
        else s
        for s in spec.subscriptions
    ]
    return spec


def counting(inner: Handler, handled: Counter[str], replica: str) -> Handler:
    async def handler(uow: UnitOfWork, event: IncomingEvent) -> None:
        await inner(uow, event)
        handled[replica] += 1

    return handler


class Burst:
    def __init__(self, listeners: list[Listener], source: str) -> None:
        self.listeners, self.source = listeners, source
        stamp = Timestamp()
        stamp.FromDatetime(datetime.now(UTC))  # one bucket: the watches count every mention
        self.stamp = stamp

    def request(self, number: int) -> rpc.IngestMentionsRequest:
        return rpc.IngestMentionsRequest(
            source=self.source,
            external_id=f"m{number:04d}",
            mention=pb.Mention(
                brand=BRANDS[number % len(BRANDS)],
                text=f"{['great coffee', 'awful queue', 'fine'][number % 3]} #{number}",
                language="en",
                publish_time=self.stamp,
                author=pb.MentionAuthor(handle="@fan.bsky.social", followers_count=10),
            ),
        )

    async def push(self, replica: int, numbers: range) -> rpc.IngestMentionsResponse:
        listener = self.listeners[replica]

        async def stream() -> AsyncIterator[rpc.IngestMentionsRequest]:
            for number in numbers:
                yield self.request(number)

        partner = listener.partner({"mentions.ingest"}, set(BRANDS))
        return await listener.stub.IngestMentions(stream(), metadata=partner, timeout=60)


async def scalar(url: str, query: object) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(query)).scalar_one())  # type: ignore[call-overload]
    finally:
        await engine.dispose()


async def test_two_replicas_of_each_worker_count_a_burst_once(
    tmp_path: Path, nats_url: str
) -> None:
    shared = PlatformSettings(jwks_file=tmp_path / "jwks.json", nats_url=nats_url)
    keys = TestKeys(shared.jwks_file)
    handled: Counter[str] = Counter()
    copies: list[Msg] = []
    async with (
        temporary_database(tmp_path, "listener") as listener_url,
        temporary_database(tmp_path, "reputation") as reputation_url,
        await nats.connect(nats_url) as client,
        AsyncExitStack() as replicas,
    ):

        async def keep(message: Msg) -> None:
            copies.append(message)

        await client.subscribe(CAPTURED, cb=keep)
        listeners = []
        for _ in range(2):  # started one after the other: each migrates on its way up
            settings = ListenerSettings(
                database_url=listener_url, grpc_address="127.0.0.1:0", platform=shared
            )
            listeners.append(await replicas.enter_async_context(running(settings, keys)))
        for replica in ("a", "b"):
            settings = ReputationSettings(
                database_url=reputation_url, grpc_address="127.0.0.1:0", platform=shared,
                sentiment_model="fast", crisis_clock_seconds=3600.0, consumer_batch_size=16,
            )  # fmt: skip
            spec = counted(build_reputation(settings), handled, replica)
            await replicas.enter_async_context(serving(spec, mode="worker"))
        await seed_brands(listener_url)
        source = await seed_partner_source(listener_url, "agency", PARTNER_CLIENT)
        burst = Burst(listeners, source)

        halves = [range(0, BURST // 2), range(BURST // 2, BURST)]
        first = [await burst.push(r, halves[r]) for r in (0, 1)]
        # Each half again, through the other replica: the listener must see duplicates.
        again = [await burst.push(1 - r, halves[r]) for r in (0, 1)]
        assert [a.accepted_count for a in first] == [BURST // 2, BURST // 2]
        assert [a.accepted_count for a in again] == [0, 0]
        assert [a.duplicate_count for a in again] == [BURST // 2, BURST // 2]

        async def all_captured_seen() -> bool:
            return len(copies) >= BURST

        await eventually(all_captured_seen, 120)
        js = client.jetstream()
        for message in copies[:BURST]:
            # The same fact again under another event id, as a producer re-publishing after
            # JetStream's de-duplication window would: only the mention's key stops it.
            headers = dict(message.headers or {})
            headers["ce-id"] = headers["Nats-Msg-Id"] = f"copy-{headers['ce-id']}"
            await js.publish(message.subject, message.data, headers=headers)

        processed = RUNTIME_TABLES.processed_events
        inbox = select(func.count()).where(processed.c.consumer == MENTIONS_DURABLE)

        async def every_event_applied() -> bool:
            return await scalar(reputation_url, inbox) == 2 * BURST

        await eventually(every_event_applied, 300)
        await replicas.aclose()  # every replica stopped: nothing is in flight any more

        assert len(await captured(listener_url)) == BURST
        rows = select(func.count()).select_from(MentionSentimentRow)
        assert await scalar(reputation_url, rows) == BURST
        mentions = select(func.count(func.distinct(MentionSentimentRow.mention_id)))
        assert await scalar(reputation_url, mentions) == BURST
        volume = select(func.sum(MeasureBucketRow.volume)).where(
            MeasureBucketRow.dimension == "none"
        )
        assert await scalar(reputation_url, volume) == BURST
        watched = select(func.sum(CrisisWatchRow.bucket_total))
        assert await scalar(reputation_url, watched) == BURST
        dead = select(func.count()).select_from(RUNTIME_TABLES.dead_letters)
        assert await scalar(reputation_url, dead) == 0
        info = await js.stream_info("VIGIE_REPUTATION", subjects_filter=SCORED)
        assert sum((info.state.subjects or {}).values()) == BURST
        # Both replicas took part; the copies reached the handler too (which skipped them).
        assert handled["a"] > 0 and handled["b"] > 0
        assert handled["a"] + handled["b"] >= 2 * BURST
