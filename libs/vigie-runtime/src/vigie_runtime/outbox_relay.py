"""The outbox relay: publishes committed outbox rows to JetStream, awaits each ack, marks them
sent, and retries forever with backoff. NATS down means events wait, never vanish.

On PostgreSQL the batch is claimed `FOR UPDATE SKIP LOCKED`, so several relays share the work
without publishing a row twice. On SQLite (one relay per database) rows are read, published
outside any transaction — holding SQLite's write lock across network calls would stall every
writer — and then marked; a crash in between re-publishes, and JetStream drops the duplicate by
its `Nats-Msg-Id`.
"""

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from nats.js import JetStreamContext
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind
from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from vigie_runtime.database import is_sqlite
from vigie_runtime.tables import RuntimeTables

log = logging.getLogger(__name__)
_tracer = trace.get_tracer("vigie_runtime.outbox")

PUBLISH_TIMEOUT_SECONDS = 5.0
MAX_BACKOFF_SECONDS = 5.0
SENT_RETENTION = timedelta(hours=1)


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        tables: RuntimeTables,
        js: JetStreamContext,
        batch_size: int = 256,
        idle_poll_seconds: float = 0.2,
    ) -> None:
        self._engine = engine
        self._outbox = tables.outbox
        self._js = js
        self._batch_size = batch_size
        self._idle_poll = idle_poll_seconds
        self._claim_rows = not is_sqlite(str(engine.url))
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Called after a commit that wrote events: publish now rather than at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.05
        last_prune = datetime.now(UTC)
        while not stop.is_set():
            try:
                published = await self.publish_batch()
                backoff = 0.05
            except Exception:
                log.warning("outbox relay failed; retrying", exc_info=True)
                published = 0
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            if datetime.now(UTC) - last_prune > timedelta(minutes=1):
                await self.prune()
                last_prune = datetime.now(UTC)
            if published < self._batch_size:
                self._wake.clear()
                await _wait_any(stop, self._wake, self._idle_poll)

    async def publish_batch(self) -> int:
        """Publishes up to one batch; returns how many rows were acknowledged by JetStream."""
        if self._claim_rows:
            async with self._engine.begin() as connection:
                rows = await self._pending(connection, lock=True)
                sent, failed = await self._publish(rows)
                await self._mark(connection, sent, failed)
        else:
            async with self._engine.connect() as connection:
                rows = await self._pending(connection, lock=False)
                await connection.rollback()
            sent, failed = await self._publish(rows)
            if rows:
                async with self._engine.begin() as connection:
                    await self._mark(connection, sent, failed)
        if failed:
            raise ConnectionError(f"{len(failed)} outbox events were not acknowledged")
        return len(sent)

    async def _pending(self, connection: Any, lock: bool) -> Sequence[Row[Any]]:
        query = (
            select(self._outbox)
            .where(self._outbox.c.sent_at.is_(None))
            .order_by(self._outbox.c.seq)
            .limit(self._batch_size)
        )
        if lock:
            query = query.with_for_update(skip_locked=True)
        rows: Sequence[Row[Any]] = (await connection.execute(query)).all()
        return rows

    async def _publish(self, rows: Sequence[Row[Any]]) -> tuple[list[int], dict[int, str]]:
        results = await asyncio.gather(
            *(self._publish_one(r) for r in rows), return_exceptions=True
        )
        sent = [r.seq for r, result in zip(rows, results, strict=True) if result is None]
        failed = {
            r.seq: repr(result)[:500]
            for r, result in zip(rows, results, strict=True)
            if isinstance(result, BaseException)
        }
        return sent, failed

    async def _publish_one(self, row: Row[Any]) -> None:
        headers = dict(row.headers)
        parent = propagate.extract(headers)
        with _tracer.start_as_current_span(
            f"{row.subject} publish",
            context=parent,
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "nats",
                "messaging.operation.type": "publish",
                "messaging.destination.name": row.subject,
                "messaging.message.id": row.id,
                "vigie.tenant": row.tenant,
            },
        ):
            propagate.inject(headers)  # the consumer's span becomes a child of this one
            await self._js.publish(
                row.subject, row.payload, timeout=PUBLISH_TIMEOUT_SECONDS, headers=headers
            )

    async def _mark(self, connection: Any, sent: list[int], failed: dict[int, str]) -> None:
        outbox = self._outbox
        if sent:
            await connection.execute(
                update(outbox)
                .where(outbox.c.seq.in_(sent))
                .values(sent_at=datetime.now(UTC), attempts=outbox.c.attempts + 1)
            )
        for seq, error in failed.items():
            await connection.execute(
                update(outbox)
                .where(outbox.c.seq == seq)
                .values(attempts=outbox.c.attempts + 1, last_error=error)
            )

    async def prune(self) -> None:
        cutoff = datetime.now(UTC) - SENT_RETENTION
        async with self._engine.begin() as connection:
            await connection.execute(delete(self._outbox).where(self._outbox.c.sent_at < cutoff))


async def outbox_stats(engine: AsyncEngine, tables: RuntimeTables) -> tuple[int, float, int]:
    """(pending rows, age in seconds of the oldest pending, sent rows still kept)."""
    outbox = tables.outbox
    async with engine.connect() as connection:
        pending, oldest = (
            await connection.execute(
                select(func.count(), func.min(outbox.c.created_at)).where(
                    outbox.c.sent_at.is_(None)
                )
            )
        ).one()
        sent = (
            await connection.execute(select(func.count()).where(outbox.c.sent_at.is_not(None)))
        ).scalar_one()
    age = 0.0
    if oldest is not None:
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
        age = (datetime.now(UTC) - oldest).total_seconds()
    return int(pending), age, int(sent)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
