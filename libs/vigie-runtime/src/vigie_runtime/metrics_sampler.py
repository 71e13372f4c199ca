"""Gauges read from the database and JetStream at an interval: outbox backlog and age, dead
letters, consumer lag. A worker samples them (one query and one consumer info each time), not
the scrape: Prometheus' scrape runs in the endpoint's thread, which cannot await.

Several workers of one service report the same figures; the alert rules take their `max`.
"""

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from nats.js import JetStreamContext
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from vigie_runtime.metrics import (
    CONSUMER_ACK_PENDING,
    CONSUMER_PENDING,
    DEAD_LETTERS,
    OUTBOX_OLDEST_AGE,
    OUTBOX_PENDING,
)
from vigie_runtime.outbox_relay import outbox_stats
from vigie_runtime.tables import RuntimeTables

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SampledConsumer:
    stream: str
    durable: str


class MetricsSampler:
    def __init__(
        self,
        service: str,
        engine: AsyncEngine,
        tables: RuntimeTables,
        js: JetStreamContext,
        consumers: Sequence[SampledConsumer],
        *,
        has_outbox: bool,
        interval_seconds: float,
    ) -> None:
        self._service = service
        self._engine = engine
        self._tables = tables
        self._js = js
        self._consumers = list(consumers)
        self._has_outbox = has_outbox
        self._interval = interval_seconds

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.sample()
            except Exception:  # the database or NATS away: the gauges keep their last values
                log.warning("metrics sample of %s failed", self._service, exc_info=True)
            try:
                await asyncio.wait_for(stop.wait(), timeout=self._interval)
            except TimeoutError:
                pass

    async def sample(self) -> None:
        await self._sample_database()
        for consumer in self._consumers:
            await self._sample_consumer(consumer)

    async def _sample_database(self) -> None:
        if self._has_outbox:
            pending, age, _ = await outbox_stats(self._engine, self._tables)
            OUTBOX_PENDING.labels(service=self._service).set(pending)
            OUTBOX_OLDEST_AGE.labels(service=self._service).set(age)
        dead = self._tables.dead_letters
        query = (
            select(dead.c.consumer, func.count())
            .where(dead.c.retried_at.is_(None))
            .group_by(dead.c.consumer)
        )
        async with self._engine.connect() as connection:
            counts: dict[str, int] = {d: n for d, n in (await connection.execute(query)).all()}
        # A consumer whose dead letters were all retried must read 0, not its last count.
        for durable in {c.durable for c in self._consumers} | set(counts):
            DEAD_LETTERS.labels(service=self._service, durable=durable).set(counts.get(durable, 0))

    async def _sample_consumer(self, consumer: SampledConsumer) -> None:
        try:
            info = await self._js.consumer_info(consumer.stream, consumer.durable, timeout=5)
        except Exception:  # not created yet (its runner binds it), or NATS away
            log.debug("no consumer info for %s", consumer.durable, exc_info=True)
            return
        labels = {"service": self._service, "durable": consumer.durable}
        CONSUMER_PENDING.labels(**labels).set(info.num_pending or 0)
        CONSUMER_ACK_PENDING.labels(**labels).set(info.num_ack_pending or 0)
