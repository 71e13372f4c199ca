"""The outbox relay: publishes committed outbox rows to JetStream, awaits their acks (a batch is
sent at once and its acks awaited together), marks the acknowledged rows sent in one statement,
and retries the rest forever with backoff. NATS down means events wait, never vanish.

On PostgreSQL the batch is claimed `FOR UPDATE SKIP LOCKED`, so several relays share the work
without publishing a row twice. On SQLite (one relay per database) rows are read, published
outside any transaction — holding SQLite's write lock across network calls would stall every
writer — and then marked; a crash in between re-publishes, and JetStream drops the duplicate by
its `Nats-Msg-Id`.
"""

import asyncio
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from nats.js import JetStreamContext
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind
from sqlalchemy import Row, Select, Table, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from vigie_runtime.database import is_sqlite
from vigie_runtime.jetstream_acks import PipelinedAcks
from vigie_runtime.messaging_spans import messaging_span
from vigie_runtime.metrics import OUTBOX_PUBLISHED
from vigie_runtime.tables import RuntimeTables

log = logging.getLogger(__name__)
_tracer = trace.get_tracer("vigie_runtime.outbox")

PUBLISH_TIMEOUT_SECONDS = 5.0
MAX_BACKOFF_SECONDS = 5.0
SENT_RETENTION = timedelta(hours=1)


class Pending(NamedTuple):
    """An outbox row waiting to be published: what the relay reads of it."""

    seq: int
    id: str
    tenant: str
    subject: str
    headers: dict[str, str]
    payload: bytes


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        tables: RuntimeTables,
        js: JetStreamContext,
        batch_size: int = 256,
        idle_poll_seconds: float = 0.2,
        service: str = "",
    ) -> None:
        self._engine = engine
        self._published = OUTBOX_PUBLISHED.labels(service=service)
        self._outbox = tables.outbox
        self._batch_size = batch_size
        self._idle_poll = idle_poll_seconds
        self._claim_rows = not is_sqlite(str(engine.url))
        self._wake = asyncio.Event()
        # The context's client: acks are collected on one reply subscription of our own.
        self._acks = PipelinedAcks(js._nc)
        self._marks = _DeferredMarks(engine, tables.outbox)

    def wake(self) -> None:
        """Called after a commit that wrote events: publish now rather than at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.05
        last_prune = datetime.now(UTC)
        try:
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
        finally:
            await self._marks.settle()

    async def publish_batch(self) -> int:
        """Publishes up to one batch; returns how many rows were acknowledged by JetStream."""
        rows: Sequence[Pending | Row[Any]]
        if self._claim_rows:
            async with self._engine.begin() as connection:
                rows = await self._claim(connection)
                sent, failed = await self._publish(rows)
                await _mark(connection, self._outbox, sent, failed)
        else:
            rows = await self._pending_outside_transaction(self._marks.published_up_to)
            sent, failed = await self._publish(rows)
            self._marks.add(sent, failed)
        self._published.inc(len(sent))
        if failed:
            raise ConnectionError(f"{len(failed)} outbox events were not acknowledged")
        return len(sent)

    def _pending_query(self, after: int | None) -> Select[Any]:
        outbox = self._outbox
        query = (
            select(outbox.c.seq, outbox.c.id, outbox.c.tenant, outbox.c.subject)
            .add_columns(outbox.c.headers, outbox.c.payload)
            .where(outbox.c.sent_at.is_(None))
            .order_by(outbox.c.seq)
            .limit(self._batch_size)
        )
        return query if after is None else query.where(outbox.c.seq > after)

    async def _claim(self, connection: Any) -> Sequence[Row[Any]]:
        query = self._pending_query(None).with_for_update(skip_locked=True)
        rows: Sequence[Row[Any]] = (await connection.execute(query)).all()
        return rows

    async def _pending_outside_transaction(self, after: int | None) -> list[Pending]:
        """SQLite: reads with no transaction at all. The engine opens every transaction with
        `BEGIN IMMEDIATE`, which waits for the write lock behind every writer; a statement in
        autocommit mode reads a WAL snapshot and waits for no one."""
        sql = self._pending_query(after).compile(
            dialect=self._engine.dialect, compile_kwargs={"literal_binds": True}
        )
        async with self._engine.connect() as connection:
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None  # a pooled connection always has its driver's
            async with raw.execute(str(sql)) as cursor:
                fetched = await cursor.fetchall()
        return [
            Pending(seq, event_id, tenant, subject, json.loads(headers), payload)
            for seq, event_id, tenant, subject, headers, payload in fetched
        ]

    async def _publish(
        self, rows: Sequence[Pending | Row[Any]]
    ) -> tuple[list[int], dict[int, str]]:
        """Sends every row without waiting, then awaits the acks together: one round trip per
        batch instead of one per event. Rows that could not even be sent stay pending."""
        acks: list[asyncio.Future[None]] = []
        failed: dict[int, str] = {}
        for row in rows:
            try:
                acks.append(await self._send(row))
            except Exception as error:  # not connected: the rest waits for the next batch
                failed[row.seq] = repr(error)[:500]
                break
        if acks:
            await asyncio.wait(acks, timeout=PUBLISH_TIMEOUT_SECONDS)
        sent = []
        for row, ack in zip(rows, acks, strict=False):
            if ack.done() and ack.exception() is None:
                sent.append(row.seq)
            else:
                # Re-published later; JetStream drops the copy if this one was stored after all.
                self._acks.forget(str(row.seq))
                failed[row.seq] = repr(ack.exception())[:500] if ack.done() else "no ack in time"
        return sent, failed

    async def _send(self, row: Pending | Row[Any]) -> "asyncio.Future[None]":
        headers = dict(row.headers)
        parent = propagate.extract(headers)
        name, attributes = messaging_span("publish", row.subject, row.id, row.tenant)
        with _tracer.start_as_current_span(
            name, context=parent, kind=SpanKind.PRODUCER, attributes=attributes
        ):
            propagate.inject(headers)  # the consumer's span becomes a child of this one
            return await self._acks.publish(row.subject, row.payload, headers, str(row.seq))

    async def prune(self) -> None:
        cutoff = datetime.now(UTC) - SENT_RETENTION
        async with self._engine.begin() as connection:
            await connection.execute(delete(self._outbox).where(self._outbox.c.sent_at < cutoff))


class _DeferredMarks:
    """SQLite's acknowledged rows, marked sent in the background (SQLite only).

    SQLite has one writer: waiting for its lock to mark a batch sent would stall publishing
    behind every business transaction (seconds under load). So marking waits on its own while
    the relay goes on publishing the rows after the last one it published, which it remembers.
    Rows are numbered in commit order there (one writer), so no row is skipped; a crash before
    the mark re-publishes, and JetStream drops the copy by its `Nats-Msg-Id`.
    """

    def __init__(self, engine: AsyncEngine, outbox: Table) -> None:
        self._engine = engine
        self._outbox = outbox
        self._sent: list[int] = []
        self._failed: dict[int, str] = {}
        self._task: asyncio.Task[None] | None = None
        # Rows up to here were published but may not be marked yet; None once all are.
        self.published_up_to: int | None = None

    def add(self, sent: list[int], failed: dict[int, str]) -> None:
        self._sent += sent
        self._failed.update(failed)
        if failed:  # read them again, and whatever follows them
            self.published_up_to = min(failed) - 1
        elif sent:
            self.published_up_to = max([*sent, self.published_up_to or 0])
        if (self._sent or self._failed) and (self._task is None or self._task.done()):
            self._task = asyncio.create_task(self._mark_all())

    async def settle(self) -> None:
        """Waits for the marks in progress and writes the rest (on the way out)."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        if self._sent or self._failed:
            await self._mark_all()

    async def _mark_all(self) -> None:
        while self._sent or self._failed:
            sent, failed = self._sent, self._failed
            self._sent, self._failed = [], {}
            try:
                async with self._engine.begin() as connection:
                    await _mark(connection, self._outbox, sent, failed)
            except Exception:
                log.warning("could not mark outbox rows; retrying", exc_info=True)
                self._sent, self._failed = sent + self._sent, failed | self._failed
                await asyncio.sleep(MAX_BACKOFF_SECONDS)
        self.published_up_to = None  # everything published is marked: read from the table


async def _mark(connection: Any, outbox: Table, sent: list[int], failed: dict[int, str]) -> None:
    """Marks the acknowledged rows sent in one statement, and counts the failed attempts."""
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


def _ack_error(ack: "asyncio.Future[Any]") -> str:
    if not ack.done() or ack.cancelled():
        return f"no ack within {PUBLISH_TIMEOUT_SECONDS} s"
    return repr(ack.exception())[:500]


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
