"""The loop that reads the other regions' aggregates from the hub's group stream.

It declares this region's `VIGIE_AGGREGATES` stream (where the outbox publishes what the region
lets out) and the hub's group stream, then consumes the other regions' part of it with a durable
consumer in the hub's JetStream domain, through the same runner (inbox, retries, dead letters)
as every other consumer.
"""

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable

from nats.aio.client import Client
from nats.js import JetStreamContext
from vigie_runtime.host import Loop
from vigie_runtime.inbox import ConsumerRunner, Subscription
from vigie_runtime.nats_connection import connect, ensure_stream
from vigie_runtime.regions import (
    AGGREGATES_PRODUCER,
    GROUP_PRODUCER,
    ensure_group_stream,
    group_subject,
)
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.app.region_import import import_aggregate
from vigie_reputation.config import Settings

log = logging.getLogger(__name__)


def group_import_subscription(home: str, others: list[str]) -> Subscription:
    return Subscription(
        durable=f"reputation-{home}",
        producer=GROUP_PRODUCER,
        subjects=[group_subject(region) for region in others],
        handler=functools.partial(import_aggregate, home=home),
    )


async def _until_done(
    action: Callable[[], Awaitable[None]], stop: asyncio.Event, what: str
) -> bool:
    while not stop.is_set():
        try:
            await action()
            return True
        except Exception:
            log.warning("%s not possible yet; retrying", what, exc_info=True)
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except TimeoutError:
                pass
    return False


def group_exchange(
    uow: Callable[[], UnitOfWork], settings: Settings
) -> Callable[[JetStreamContext], Loop]:
    home, group = settings.platform.data_region, settings.group
    subscription = group_import_subscription(home, group.others(home))

    async def run(js: JetStreamContext, stop: asyncio.Event) -> None:
        replicas = settings.platform.nats_stream_replicas
        if not await _until_done(
            lambda: ensure_stream(js, AGGREGATES_PRODUCER, replicas), stop, "aggregates stream"
        ):
            return
        connection: Client = await connect(settings.platform.nats_url, "reputation-group")
        try:
            hub = connection.jetstream(domain=group.hub_domain)
            if not await _until_done(
                lambda: ensure_group_stream(hub, group.region_list), stop, "group stream"
            ):
                return
            runner = ConsumerRunner(
                subscription,
                hub,
                uow,
                batch_size=settings.consumer_batch_size,
                max_deliver=settings.consumer_max_deliver,
                ack_wait_seconds=settings.consumer_ack_wait_seconds,
                service="reputation",
            )
            await runner.run(stop)
        finally:
            await connection.close()

    return lambda js: functools.partial(run, js)
