"""Scoring as it runs: `mention.captured` from NATS -> sentiment stored, counted once in the
measures, `mention.scored` published through the outbox."""

from sqlalchemy import func, select
from vigie.reputation.v1 import events_pb2
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_reputation.adapters.orm import RUNTIME_TABLES
from vigie_reputation.app.events import MENTION_SCORED
from vigie_reputation.bootstrap import build
from vigie_reputation.config import Settings
from vigie_reputation.entrypoints.nats.mentions import MENTIONS_DURABLE
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually

TENANT = "t_acme"


async def test_a_captured_mention_is_scored_stored_and_announced(
    settings: Settings, listener_stream, reputation_events, store
) -> None:
    async with serving(build(settings), mode="worker"):
        await listener_stream.capture(TENANT, "m1", "I hate this, worst service ever, awful")
        await eventually(lambda: _has(reputation_events, MENTION_SCORED.ce_type, 1))
    (row,) = await store.sentiments(TENANT)
    assert row.label == "negative" and 0 < row.confidence <= 1
    assert row.model_version.startswith("fast-") and row.corrected_label is None
    scored = events_pb2.MentionScored.FromString(
        reputation_events.of_type(MENTION_SCORED.ce_type)[0].data
    )
    assert scored.sentiment.mention == f"tenants/{TENANT}/brands/lumiere/mentions/m1"
    assert scored.sentiment.label == pb.SENTIMENT_LABEL_NEGATIVE
    assert scored.subsidiary == f"tenants/{TENANT}/subsidiaries/france"


async def test_a_redelivered_mention_captured_counts_once_in_every_measure(
    settings: Settings, listener_stream, reputation_events, store
) -> None:
    async with serving(build(settings), mode="worker"):
        await listener_stream.capture(TENANT, "m1", "love it", event_id="ev-1")
        await listener_stream.capture(TENANT, "m1", "love it", event_id="ev-1", msg_id="again")
        # The listener capturing the same mention again under a new event id counts once too.
        await listener_stream.capture(TENANT, "m1", "love it", event_id="ev-1-bis")
        await listener_stream.capture(TENANT, "m2", "great", event_id="ev-2")
        await eventually(lambda: _has(reputation_events, MENTION_SCORED.ce_type, 2))
        await eventually(lambda: _processed(store, 3))
    assert await store.totals(TENANT) == {"lumiere": 2}
    for dimension, value in [("language", "en"), ("country", "FR"), ("subsidiary", "france")]:
        assert await store.totals(TENANT, dimension) == {value: 2}
    assert await store.totals(TENANT, "source") == {f"tenants/{TENANT}/sources/bluesky": 2}
    assert len(reputation_events.of_type(MENTION_SCORED.ce_type)) == 2


async def _has(received, ce_type: str, count: int) -> bool:
    return len(received.of_type(ce_type)) >= count


async def _processed(store, count: int) -> bool:
    table = RUNTIME_TABLES.processed_events
    query = select(func.count()).where(table.c.consumer == MENTIONS_DURABLE)
    (row,) = await store.rows(query)
    return int(row[0]) >= count
