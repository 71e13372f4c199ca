"""Idempotent consumers: durable JetStream pull consumers whose effects are applied once.

For each fetched batch the runner opens one unit of work, skips events this consumer already
processed, runs the handler for the others, records their ids in `processed_events` in the same
transaction, commits, and only then acks. A redelivered or duplicated event changes nothing.
When the batch fails, each event is retried on its own so one poison event cannot hold back the
others; an event that fails `max_deliver` times goes to `dead_letters` (visible through the
Operations API) and is acked, never retried forever. A failure to reach the database (or a
peer) is not the event's fault: such an event is retried with backoff until the store is back,
and never dead-lettered for it.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from asyncpg.exceptions import (
    AdminShutdownError,
    CannotConnectNowError,
    CrashShutdownError,
    PostgresConnectionError,
)
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError, InterfaceError

from vigie_runtime.events import IncomingEvent, stream_name
from vigie_runtime.ids import new_id
from vigie_runtime.messaging_spans import messaging_span
from vigie_runtime.metrics import CONSUMER_EVENTS, CONSUMER_REDELIVERIES
from vigie_runtime.nats_connection import ensure_consumer
from vigie_runtime.uow import UnitOfWork

log = logging.getLogger(__name__)
_tracer = trace.get_tracer("vigie_runtime.inbox")

Handler = Callable[[UnitOfWork, IncomingEvent], Awaitable[None]]
BatchPreparer = Callable[[Sequence[IncomingEvent]], Awaitable[None]]
BatchFinisher = Callable[[UnitOfWork], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    """What a service consumes: a durable name, the producer, subject filters and a handler.

    `prepare_batch`, when given, sees the batch's events before the handler runs for each of
    them, outside the handlers' logic and before the transaction opens: the place for work that
    is cheaper done once for many events and must not hold the database's write lock, such as
    scoring all their texts in one model call. It may see an event already processed (the
    inbox is read inside the transaction, after it): the handler is not called for that one.

    `finish_batch`, when given, runs in the batch's transaction after the handlers, right
    before the commit: the place for writes to rows that replicas of the worker contend for
    (counters shared by many events), so their row locks are held for the end of the
    transaction only, not while the handlers run.
    """

    durable: str
    producer: str
    subjects: Sequence[str]
    handler: Handler = field(compare=False)
    prepare_batch: BatchPreparer | None = field(default=None, compare=False)
    finish_batch: BatchFinisher | None = field(default=None, compare=False)


class ConsumerRunner:
    def __init__(
        self,
        subscription: Subscription,
        js: JetStreamContext,
        uow_factory: Callable[[], UnitOfWork],
        batch_size: int = 128,
        max_deliver: int = 5,
        ack_wait_seconds: float = 30.0,
        service: str = "",
    ) -> None:
        self.subscription = subscription
        self._counted = _Counted(service, subscription.durable)
        self._js = js
        self._uow_factory = uow_factory
        self._batch_size = batch_size
        self._max_deliver = max_deliver
        self._ack_wait = ack_wait_seconds

    async def run(self, stop: asyncio.Event) -> None:
        sub = self.subscription
        stream = stream_name(sub.producer)
        while not stop.is_set():
            try:
                await ensure_consumer(
                    self._js, stream, sub.durable, list(sub.subjects), self._ack_wait
                )
                pull = await self._js.pull_subscribe_bind(sub.durable, stream=stream)
                break
            except Exception:
                log.warning("cannot bind consumer %s yet; retrying", sub.durable, exc_info=True)
                await _sleep(stop, 1.0)
        else:
            return
        while not stop.is_set():
            try:
                messages = await pull.fetch(self._batch_size, timeout=1.0)
            except TimeoutError:
                continue
            except Exception:
                log.warning("fetch failed for %s", sub.durable, exc_info=True)
                await _sleep(stop, 0.5)
                continue
            try:
                await self.process(messages)
            except Exception:
                # Even dead-lettering can fail (the database down): the unacked messages come
                # back after the ack wait; the consumer must not end with the worker.
                log.warning("batch not settled by %s", sub.durable, exc_info=True)
                await _sleep(stop, 1.0)

    async def process(self, messages: Sequence[Msg]) -> None:
        decoded: list[tuple[Msg, IncomingEvent]] = []
        self._counted.redeliveries.inc(sum(1 for m in messages if _deliveries(m) > 1))
        for message in messages:
            try:
                event = IncomingEvent.from_nats(message.subject, message.headers, message.data)
            except ValueError as error:
                await self._dead_letter_undecodable(message, str(error))
                continue
            decoded.append((message, event))
        if not decoded:
            return
        try:
            await self._apply(decoded)
        except Exception:
            log.info("batch of %s failed; applying one by one", len(decoded), exc_info=True)
            for pair in decoded:
                await self._apply_alone(*pair)
            return
        await asyncio.gather(*(m.ack() for m, _ in decoded), return_exceptions=True)

    async def _apply(self, decoded: Sequence[tuple[Msg, IncomingEvent]]) -> None:
        if self.subscription.prepare_batch is not None:
            # Before the transaction: on SQLite it begins with the write lock, and CPU work done
            # while holding it would make replicas of this worker wait for each other.
            await self.subscription.prepare_batch([e for _, e in decoded])
        async with self._uow_factory() as uow:
            processed = uow.tables.processed_events
            ids = [e.id for _, e in decoded]
            seen = set(
                (
                    await uow.session.execute(
                        select(processed.c.event_id).where(
                            processed.c.consumer == self.subscription.durable,
                            processed.c.event_id.in_(ids),
                        )
                    )
                ).scalars()
            )
            fresh = []
            for message, event in decoded:
                if event.id in seen:
                    continue  # redelivered or duplicated: its effect is already committed
                seen.add(event.id)
                fresh.append((message, event))
            rows = []
            for message, event in fresh:
                await self._handle(uow, message, event)
                rows.append(
                    {
                        "consumer": self.subscription.durable,
                        "event_id": event.id,
                        "tenant": event.tenant,
                        "processed_at": datetime.now(UTC),
                    }
                )
            if rows:
                await uow.session.execute(insert(processed), rows)
            if fresh and self.subscription.finish_batch is not None:
                await self.subscription.finish_batch(uow)
            await uow.commit()
        self._counted.applied.inc(len(fresh))
        self._counted.duplicates.inc(len(decoded) - len(fresh))

    async def _handle(self, uow: UnitOfWork, message: Msg, event: IncomingEvent) -> None:
        name, attributes = messaging_span(
            "process", event.subject, event.id, event.tenant, self.subscription.durable
        )
        with _tracer.start_as_current_span(
            name,
            context=propagate.extract(event.headers),
            kind=SpanKind.CONSUMER,
            attributes=attributes,
        ):
            await self.subscription.handler(uow, event)

    async def _apply_alone(self, message: Msg, event: IncomingEvent) -> None:
        deliveries = _deliveries(message)
        try:
            await self._apply([(message, event)])
        except Exception as error:
            if _unreachable(error):
                # Not the event's fault: it is retried until the database or the network is
                # back, and never dead-lettered for it (that would leave its effect undone).
                log.warning("event %s waits for its store (delivery %s)", event.id, deliveries)
                await _ignore(message.nak(delay=min(2.0**deliveries * 0.1, 5.0)))
                return
            if deliveries >= self._max_deliver:
                await self._dead_letter(message, event, f"{type(error).__name__}: {error}")
            else:
                log.warning("event %s failed (delivery %s)", event.id, deliveries, exc_info=True)
                await _ignore(message.nak(delay=min(2.0**deliveries * 0.1, 30.0)))
            return
        await _ignore(message.ack())

    async def _dead_letter(self, message: Msg, event: IncomingEvent, error: str) -> None:
        async with self._uow_factory() as uow:
            tables = uow.tables
            await uow.session.execute(
                insert(tables.dead_letters).values(
                    id=new_id(),
                    consumer=self.subscription.durable,
                    event_id=event.id,
                    tenant=event.tenant,
                    subject=event.subject,
                    type=event.type,
                    headers=event.headers,
                    payload=event.payload,
                    error=error[:4000],
                    deliveries=_deliveries(message),
                    created_at=datetime.now(UTC),
                )
            )
            await uow.commit()
        self._counted.dead_lettered.inc()
        log.error("event %s dead-lettered by %s: %s", event.id, self.subscription.durable, error)
        await _ignore(message.ack())

    async def _dead_letter_undecodable(self, message: Msg, error: str) -> None:
        headers = dict(message.headers or {})
        event = IncomingEvent(
            id=headers.get("ce-id") or headers.get("Nats-Msg-Id") or new_id(),
            type=headers.get("ce-type", "unknown"),
            source=headers.get("ce-source", "unknown"),
            tenant=headers.get("ce-tenant", "unknown"),
            time=datetime.now(UTC),
            subject=message.subject,
            payload=message.data,
            headers=headers,
        )
        await self._dead_letter(message, event, f"undecodable envelope: {error}")


class _Counted:
    """The consumer's counters, bound to its labels once."""

    def __init__(self, service: str, durable: str) -> None:
        labels = {"service": service, "durable": durable}
        self.applied = CONSUMER_EVENTS.labels(**labels, outcome="applied")
        self.duplicates = CONSUMER_EVENTS.labels(**labels, outcome="duplicate")
        self.dead_lettered = CONSUMER_EVENTS.labels(**labels, outcome="dead_lettered")
        self.redeliveries = CONSUMER_REDELIVERIES.labels(**labels)


def _unreachable(error: BaseException) -> bool:
    """The database or a peer could not be reached (refused, reset, restarting, shut down),
    as opposed to an event its handler cannot digest."""
    seen: BaseException | None = error
    for _ in range(8):  # the chain of causes, not followed forever
        if seen is None:
            return False
        if isinstance(seen, OSError | PostgresConnectionError | CannotConnectNowError):
            return True
        if isinstance(seen, AdminShutdownError | CrashShutdownError | InterfaceError):
            return True
        if isinstance(seen, DBAPIError) and seen.connection_invalidated:
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


def _deliveries(message: Msg) -> int:
    try:
        return int(message.metadata.num_delivered)
    except Exception:
        return 1


async def _ignore(awaitable: Awaitable[object]) -> None:
    try:
        await awaitable
    except Exception:
        log.debug("ack/nak failed", exc_info=True)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
