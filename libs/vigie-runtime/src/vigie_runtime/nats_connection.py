"""NATS connection and idempotent declaration of streams and durable pull consumers."""

import asyncio
import logging

import nats
import nats.errors
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import NotFoundError

from vigie_runtime.events import stream_name

log = logging.getLogger(__name__)

# Longer than the relay's worst gap between a publish and its retry, so a re-publish after a
# crash is dropped by JetStream as a duplicate.
DUPLICATE_WINDOW_SECONDS = 2 * 3600.0
STREAM_MAX_AGE_SECONDS = 14 * 24 * 3600.0


async def connect(url: str, name: str) -> Client:
    """Connects, waiting for NATS if it is not up yet, then reconnects forever: NATS down means
    events wait, never a crash."""
    delay = 0.1
    while True:
        try:
            return await nats.connect(
                url,
                name=name,
                allow_reconnect=True,
                max_reconnect_attempts=-1,
                reconnect_time_wait=0.5,
                connect_timeout=2,
                ping_interval=5,
                max_outstanding_pings=3,
            )
        except (OSError, TimeoutError, nats.errors.NoServersError):
            log.warning("NATS at %s is not reachable yet; retrying", url)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


async def ensure_stream(js: JetStreamContext, producer: str, replicas: int = 1) -> None:
    config = StreamConfig(
        name=stream_name(producer),
        subjects=[f"vigie.{producer}.>"],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=STREAM_MAX_AGE_SECONDS,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        num_replicas=replicas,
    )
    try:
        await js.stream_info(config.name)  # type: ignore[arg-type]
        await js.update_stream(config)
    except NotFoundError:
        await js.add_stream(config)


async def ensure_consumer(
    js: JetStreamContext,
    stream: str,
    durable: str,
    subjects: list[str],
    ack_wait_seconds: float,
) -> None:
    config = ConsumerConfig(
        durable_name=durable,
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=ack_wait_seconds,
        # Unlimited at the server: the consumer dead-letters itself after its own max_deliver,
        # so nothing is ever silently abandoned by JetStream.
        max_deliver=-1,
        max_ack_pending=4096,
        filter_subjects=subjects if len(subjects) > 1 else None,
        filter_subject=subjects[0] if len(subjects) == 1 else None,
    )
    try:
        await js.consumer_info(stream, durable)
    except NotFoundError:
        await js.add_consumer(stream, config)
