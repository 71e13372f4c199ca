"""An open crisis on a brand, made the way it happens: a partner pushes four hours of steady,
back-dated mentions (the detector's warm-up and baseline), then a burst of negative ones in
the current five-minute bucket. The reputation must run with `CRISIS_SETTINGS`: a two-hour
warm-up instead of a day, and a clock that does not tick during a test (the burst opens it).

The gateway's crisis-room tests use it too."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp
from vigie.listener.v1 import listener_pb2 as lpb
from vigie.listener.v1 import listener_pb2_grpc as lgrpc
from vigie.listener.v1 import resources_pb2 as lres
from vigie.reputation.v1 import reputation_pb2 as rpb
from vigie.reputation.v1 import reputation_pb2_grpc as rgrpc
from vigie_runtime.testing.waiting import eventually

CRISIS_SETTINGS: dict[str, Any] = {"crisis_warmup_buckets": 24, "crisis_clock_seconds": 3600.0}
HISTORY_BUCKETS = 48  # 4 hours of 5-minute buckets: the warm-up, then the baseline
BURST = 80  # negative mentions in the current bucket, against about 1 usually
STEADY = ("nul, je déteste", "j'adore, génial", "superbe, j'adore")
ANGRY = "la pire marque, honteux, dégoûtant, je les déteste"


def _mention(
    source: str, brand: str, key: str, text: str, at: datetime, author: str
) -> lpb.IngestMentionsRequest:
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return lpb.IngestMentionsRequest(
        source=source, external_id=key,
        mention=lres.Mention(
            brand=brand, text=text, language="fr", publish_time=stamp,
            author=lres.MentionAuthor(handle=author, followers_count=200),
        ),
    )  # fmt: skip


def _bucket() -> datetime:
    now = datetime.now(UTC)
    return now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)


def history(source: str, brand: str, tag: str) -> list[lpb.IngestMentionsRequest]:
    """Four hours of steady mentions before the current bucket; every text carries `tag`.
    Pushed before any other mention of the brand: the detector counts buckets in order, and
    a mention of a bucket older than the brand's latest one no longer feeds it."""
    bucket, pushed = _bucket(), []
    for back in range(HISTORY_BUCKETS, 0, -1):
        at = bucket - timedelta(minutes=5 * back) + timedelta(seconds=10)
        for i, text in enumerate(STEADY):
            key, said = f"{tag}-h{back}-{i}", f"{tag} {text}"
            pushed.append(_mention(source, brand, key, said, at, "@fan.test"))
    return pushed


def burst(source: str, brand: str, tag: str) -> list[lpb.IngestMentionsRequest]:
    """The negative burst, in the current bucket."""
    at = _bucket() + timedelta(seconds=5)
    return [
        _mention(source, brand, f"{tag}-b{i}", f"{tag} {ANGRY}", at, f"@angry{i % 3}.test")
        for i in range(BURST)
    ]


async def push(
    listener: lgrpc.ListenerServiceStub, partner: Any, mentions: list[lpb.IngestMentionsRequest]
) -> None:
    """The partner (`partner`: its call metadata) pushes the mentions."""

    async def stream() -> AsyncIterator[lpb.IngestMentionsRequest]:
        for mention in mentions:
            yield mention

    answer = await listener.IngestMentions(stream(), metadata=partner)
    assert answer.accepted_count == len(mentions), answer.refusals


async def opened_crisis(
    reputation: rgrpc.ReputationServiceStub, reader: Any, tenant: str, brand: str
) -> str:
    """The name of the brand's crisis once the burst has opened it."""
    found: list[str] = []

    async def opened() -> bool:
        page = await reputation.ListCrises(
            rpb.ListCrisesRequest(parent=tenant, brands=[brand]), metadata=reader
        )
        found.extend(c.name for c in page.crises)
        return bool(found)

    await eventually(opened, seconds=180)
    return found[0]
