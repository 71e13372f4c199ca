"""A consumer whose store is unreachable for longer than its max_deliver retries waits for it:
the event is applied once the store is back, never dead-lettered for the outage (found by the
fault harness: a PostgreSQL restart could dead-letter events, leaving their effect undone)."""

import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from google.protobuf.wrappers_pb2 import StringValue
from sqlalchemy import func, select
from vigie_runtime.events import IncomingEvent, cloudevent_headers
from vigie_runtime.inbox import ConsumerRunner, Subscription
from vigie_runtime.nats_connection import connect, ensure_stream
from vigie_runtime.testing.waiting import eventually
from vigie_runtime.uow import UnitOfWork

if TYPE_CHECKING:
    from conftest import MiniService

SUBJECT = "vigie.scribe.t1.note.written.v1"
MAX_DELIVER = 2


class StoreDownAtFirst:
    """Its first `failures` calls fail as a refused database connection does."""

    def __init__(self, mini: "MiniService", failures: int) -> None:
        self.mini, self.failures, self.calls = mini, failures, 0

    async def __call__(self, uow: UnitOfWork, event: IncomingEvent) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
        text = self.mini.NOTE_WRITTEN.parse(event).value
        await uow.session.execute(self.mini.notes.insert().values(id=event.id, text=text))


async def count(mini: "MiniService", table) -> int:  # type: ignore[no-untyped-def]
    async with mini.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar_one())


async def test_an_event_is_not_dead_lettered_while_its_store_is_unreachable(
    mini: "MiniService", nats_url: str
) -> None:
    handler = StoreDownAtFirst(mini, failures=MAX_DELIVER * 3)
    client = await connect(nats_url, "test")
    js = client.jetstream()
    await ensure_stream(js, "scribe")
    subscription = Subscription("scribe-outage", "scribe", [SUBJECT], handler)
    runner = ConsumerRunner(subscription, js, mini.uow, max_deliver=MAX_DELIVER)
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    headers = cloudevent_headers(
        "e1", "vigie.scribe.note.written.v1", "scribe", "t1", datetime.now(UTC)
    )
    await js.publish(SUBJECT, StringValue(value="kept").SerializeToString(), headers=headers)

    async def applied() -> bool:
        return await count(mini, mini.notes) == 1

    try:
        await eventually(applied, seconds=60)
        assert await count(mini, mini.tables.dead_letters) == 0
        assert handler.calls > MAX_DELIVER  # it was retried past max_deliver, not given up on
    finally:
        stop.set()
        await task
        await client.close()
