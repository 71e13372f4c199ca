"""A crisis caught end to end: mentions pushed by a partner through the listener's gRPC API
(IngestMentions, client streaming) are captured, published as `mention.captured`, scored by
the reputation; after a steady history, a burst of negative mentions opens a crisis whose
`crisis.opened` event reaches NATS and whose signed webhook reaches a local receiver, which
checks the HMAC. A steady stream opens nothing. (SQLite or PostgreSQL.)"""

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nats
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from nats.aio.msg import Msg
from vigie.listener.v1 import listener_pb2 as listener_rpc
from vigie.listener.v1 import resources_pb2 as listener_pb
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import reputation_pb2_grpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_listener.config import Settings as ListenerSettings
from vigie_listener.testing import (
    LUMIERE,
    PARTNER_CLIENT,
    TENANT,
    Listener,
    running,
    seed_brands,
    seed_partner_source,
)
from vigie_reputation.bootstrap import build as build_reputation
from vigie_reputation.config import Settings as ReputationSettings
from vigie_reputation.testing import Receiver, signed_with, webhook_receivers
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

pytestmark = pytest.mark.e2e

SECRET = "an-e2e-shared-secret-of-32-chars"
HISTORY_BUCKETS = 48  # 4 hours of 5-minute buckets, after the 2-hour warm-up set below
OPENED, SCORED = "vigie.reputation.crisis.opened.v1", "vigie.reputation.mention.scored.v1"


@dataclass
class Platform:
    listener: Listener
    source: str
    reputation: Any
    receiver: Receiver
    events: list[Msg]

    def of_type(self, ce_type: str) -> list[Msg]:
        return [m for m in self.events if (m.headers or {}).get("ce-type") == ce_type]

    async def push(self, mentions: list[listener_rpc.IngestMentionsRequest]) -> None:
        async def stream() -> AsyncIterator[listener_rpc.IngestMentionsRequest]:
            for mention in mentions:
                yield mention

        partner = self.listener.partner({"mentions.ingest"}, {LUMIERE})
        answer = await self.listener.stub.IngestMentions(stream(), metadata=partner)
        assert answer.accepted_count == len(mentions), answer.refusals


@pytest.fixture
async def platform(tmp_path: Path, nats_url: str) -> AsyncIterator[Platform]:
    shared = PlatformSettings(
        jwks_file=tmp_path / "jwks.json", nats_url=nats_url, environment="test"
    )
    keys = TestKeys(shared.jwks_file)
    async with (
        temporary_database(tmp_path, "listener") as listener_url,
        temporary_database(tmp_path, "reputation") as reputation_url,
        webhook_receivers() as receivers,
        await nats.connect(nats_url) as client,
    ):
        events: list[Msg] = []

        async def keep(message: Msg) -> None:
            events.append(message)

        await client.subscribe("vigie.reputation.>", cb=keep)
        listener_settings = ListenerSettings(
            database_url=listener_url, grpc_address="127.0.0.1:0", platform=shared
        )
        reputation_settings = ReputationSettings(
            database_url=reputation_url, grpc_address="127.0.0.1:0", platform=shared,
            sentiment_model="fast", crisis_warmup_buckets=24, crisis_clock_seconds=3600.0,
            webhook_deadline_seconds=1.0, webhook_backoff_seconds=0.1,
        )  # fmt: skip
        async with (
            running(listener_settings, keys) as listener,
            serving(build_reputation(reputation_settings), mode="all") as host,
            open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
        ):
            await seed_brands(listener_url)
            source = await seed_partner_source(listener_url, "agency", PARTNER_CLIENT)
            stub = reputation_pb2_grpc.ReputationServiceStub(channel)
            receiver = await receivers()
            webhook = pb.Webhook(display_name="crisis room", url=receiver.url, secret=SECRET)
            await stub.CreateWebhook(
                rpc.CreateWebhookRequest(parent=f"tenants/{TENANT}", webhook=webhook),
                metadata=keys.admin(TENANT),
            )
            yield Platform(listener, source, stub, receiver, events)


def mention(
    source: str, external_id: str, text: str, at: datetime, author: str = "@fan.bsky.social"
) -> listener_rpc.IngestMentionsRequest:
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return listener_rpc.IngestMentionsRequest(
        source=source,
        external_id=external_id,
        mention=listener_pb.Mention(
            brand=LUMIERE, text=text, language="fr", publish_time=stamp,
            author=listener_pb.MentionAuthor(handle=author, followers_count=200),
        ),
    )  # fmt: skip


def history(source: str, now_bucket: datetime) -> Iterator[listener_rpc.IngestMentionsRequest]:
    """3 mentions per bucket (1 negative, 2 positive) for 4 hours before `now_bucket`."""
    for bucket in range(HISTORY_BUCKETS, 0, -1):
        at = now_bucket - timedelta(minutes=5 * bucket) + timedelta(seconds=10)
        for i, text in enumerate(["nul, je déteste", "j'adore, génial", "superbe, j'adore"]):
            yield mention(source, f"h{bucket}-{i}", text, at)


def now_bucket() -> datetime:
    now = datetime.now(UTC)
    return now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)


async def test_a_negative_burst_through_the_partner_api_opens_a_crisis_and_calls_the_webhook(
    platform: Platform,
) -> None:
    bucket = now_bucket()
    steady = list(history(platform.source, bucket))
    text = "la pire marque, honteux, dégoûtant, je les déteste"
    burst = [
        mention(platform.source, f"b{i}", text, bucket + timedelta(seconds=5), f"@angry{i % 3}")
        for i in range(80)
    ]
    await platform.push(steady)
    await platform.push(burst)
    await eventually(lambda: _seen(platform, OPENED, 1), 90)
    (opened,) = platform.of_type(OPENED)
    await eventually(lambda: _answered(platform.receiver), 30)
    headers, body = platform.receiver.requests[0]
    assert signed_with(SECRET, headers, body)
    delivered = json.loads(body)
    assert delivered["type"] == OPENED and delivered["id"] == opened.headers["ce-id"]  # type: ignore[index]
    assert delivered["data"]["crisis"]["brand"] == LUMIERE


async def test_a_steady_stream_through_the_partner_api_opens_no_crisis(
    platform: Platform,
) -> None:
    bucket = now_bucket()
    steady = list(history(platform.source, bucket))
    steady += [mention(platform.source, "now", "j'adore, génial", bucket + timedelta(seconds=5))]
    await platform.push(steady)
    await eventually(lambda: _seen(platform, SCORED, len(steady)), 90)
    assert platform.of_type(OPENED) == [] and platform.receiver.requests == []


async def _seen(platform: Platform, ce_type: str, count: int) -> bool:
    return len(platform.of_type(ce_type)) >= count


async def _answered(receiver: Receiver) -> bool:
    return receiver.answered >= 1
