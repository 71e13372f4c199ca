"""Events put on JetStream as their producing service would, for a consumer under test."""

from datetime import UTC, datetime

import nats

from vigie_runtime.events import EventType, M, cloudevent_headers
from vigie_runtime.ids import new_id
from vigie_runtime.nats_connection import ensure_stream


async def publish_as_producer(
    nats_url: str, event_type: EventType[M], tenant: str, message: M, event_id: str = ""
) -> str:
    """Publishes `message` with its CloudEvents headers on the producer's stream (created if
    missing); returns the event id. Passing an earlier id again redelivers that event: it gets
    a message id of its own, so JetStream keeps it and only the consumer's inbox can drop it."""
    event_id = event_id or new_id()
    headers = cloudevent_headers(
        event_id, event_type.ce_type, event_type.producer, tenant, datetime.now(UTC)
    )
    headers["Nats-Msg-Id"] = new_id()
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        await ensure_stream(js, event_type.producer)
        await js.publish(event_type.subject(tenant), message.SerializeToString(), headers=headers)
    finally:
        await client.close()
    return event_id
