"""The gateway's one NATS connection, and one ordered, non-durable JetStream consumer per
(producer, tenant) that has subscribers: created on the first, deleted on the last.

Every consumer's subject filter is `vigie.<producer>.<tenant>.>`, so a subscriber can only ever
receive its own tenant's events, whatever its GraphQL arguments say.
"""

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from vigie_runtime.events import IncomingEvent, stream_name
from vigie_runtime.nats_connection import connect, ensure_stream

from vigie_gateway.live.queue import BoundedQueue

log = logging.getLogger(__name__)

# A NATS subject token: no dots, wildcards or spaces (tenant ids are ULIDs).
_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")
# If the gateway dies without deleting its consumers, the server drops them after this.
_INACTIVE_THRESHOLD_SECONDS = 30.0


def tenant_filter(producer: str, tenant: str) -> str:
    if not (_TOKEN.match(producer) and _TOKEN.match(tenant)):
        raise ValueError(f"not a subject token: {producer!r} / {tenant!r}")
    return f"vigie.{producer}.{tenant}.>"


@dataclass
class _Feed:
    """The consumer of one (producer, tenant) and the queues of its subscribers."""

    key: tuple[str, str]
    subscription: JetStreamContext.PushSubscription
    queues: set[BoundedQueue] = field(default_factory=set)


class EventHub:
    def __init__(self, nats_url: str, capacity: int) -> None:
        self.capacity = capacity
        self._url = nats_url
        self._nats: Client | None = None
        self._feeds: dict[tuple[str, str], _Feed] = {}
        self._lock = asyncio.Lock()  # consumers are created and deleted one at a time
        self.overflows = 0  # subscriptions ended because their client read too slowly
        self.deepest = 0  # the most events any one subscription's queue ever held

    def subscriber_count(self, producer: str, tenant: str) -> int:
        feed = self._feeds.get((producer, tenant))
        return len(feed.queues) if feed else 0

    def queues(self) -> list[BoundedQueue]:
        return [queue for feed in self._feeds.values() for queue in feed.queues]

    @asynccontextmanager
    async def listen(self, producers: tuple[str, ...], tenant: str) -> AsyncIterator[BoundedQueue]:
        """One queue of the events `producers` publish for `tenant`, from now on, in the order
        each producer published them."""
        queue = BoundedQueue(self.capacity)
        feeds: list[_Feed] = []
        try:
            async with self._lock:
                for producer in producers:
                    feed = self._feeds.get((producer, tenant)) or await self._open(producer, tenant)
                    feed.queues.add(queue)
                    feeds.append(feed)
            yield queue
        finally:
            async with self._lock:
                for feed in feeds:
                    feed.queues.discard(queue)
                    if not feed.queues:
                        self._feeds.pop(feed.key, None)
                        await self._delete(feed)

    async def close(self) -> None:
        async with self._lock:
            for feed in self._feeds.values():
                await self._delete(feed)
            self._feeds.clear()
            if self._nats is not None:
                await self._nats.close()
                self._nats = None

    async def _open(self, producer: str, tenant: str) -> _Feed:
        if self._nats is None:
            self._nats = await connect(self._url, "vigie-gateway-live")
        js = self._nats.jetstream()
        # The producer may not have started yet: its stream's config is the same everywhere.
        await ensure_stream(js, producer)
        feed: _Feed

        async def deliver(message: Msg) -> None:
            try:
                event = IncomingEvent.from_nats(message.subject, message.headers, message.data)
            except ValueError:
                log.warning("live: ignored a message without CloudEvents headers")
                return
            for queue in list(feed.queues):
                already_behind = queue.overflowed
                if not queue.offer(event) and not already_behind:
                    self.overflows += 1
                self.deepest = max(self.deepest, len(queue))

        subscription = await js.subscribe(
            tenant_filter(producer, tenant),
            stream=stream_name(producer),
            cb=deliver,
            ordered_consumer=True,
            deliver_policy=DeliverPolicy.NEW,
            inactive_threshold=_INACTIVE_THRESHOLD_SECONDS,
        )
        feed = _Feed((producer, tenant), subscription)
        self._feeds[(producer, tenant)] = feed
        return feed

    async def _delete(self, feed: _Feed) -> None:
        """Unsubscribes and deletes the ephemeral consumer, so no JetStream state is left."""
        subscription = feed.subscription
        try:
            info = await subscription.consumer_info()
            await subscription.unsubscribe()
            await self._js().delete_consumer(info.stream_name, info.name)
        except NotFoundError:
            pass  # already gone (the server's inactivity threshold)
        except Exception:  # a closing connection must not fail an unsubscribe
            log.warning("live: could not delete a consumer", exc_info=True)

    def _js(self) -> JetStreamContext:
        assert self._nats is not None
        return self._nats.jetstream()


class LiveSettings(BaseSettings):
    """`GATEWAY_LIVE_*`: how many events one subscription may hold before it is ended."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_LIVE_", extra="ignore")

    queue_capacity: int = Field(default=256, ge=1, le=100_000)
