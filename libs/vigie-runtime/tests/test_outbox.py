import asyncio
from typing import TYPE_CHECKING

import nats
import pytest
from google.protobuf.wrappers_pb2 import StringValue
from sqlalchemy import select
from vigie_runtime.embedded_nats import EmbeddedNats
from vigie_runtime.nats_connection import connect, ensure_stream
from vigie_runtime.outbox_relay import OutboxRelay
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import MiniService


async def stream_count(url: str, stream: str = "VIGIE_SCRIBE") -> int:
    client = await nats.connect(url)
    try:
        return (await client.jetstream().stream_info(stream)).state.messages
    finally:
        await client.close()


async def test_a_state_change_and_its_event_commit_together(mini: "MiniService") -> None:
    await mini.write_note("t1", "n1", "hello")
    assert await mini.count(mini.notes) == 1
    assert await mini.count(mini.tables.outbox) == 1


async def test_a_failed_handler_writes_neither_the_change_nor_the_event(
    mini: "MiniService",
) -> None:
    with pytest.raises(RuntimeError):
        await mini.write_note("t1", "n1", "hello", fail=True)
    assert await mini.count(mini.notes) == 0
    assert await mini.count(mini.tables.outbox) == 0


async def test_the_relay_run_twice_publishes_once(mini: "MiniService", nats_url: str) -> None:
    client = await connect(nats_url, "test")
    js = client.jetstream()
    await ensure_stream(js, "scribe")
    await mini.write_note("t1", "n1", "hello")
    relay = OutboxRelay(mini.engine, mini.tables, js)
    assert await relay.publish_batch() == 1
    assert await relay.publish_batch() == 0
    assert await stream_count(nats_url) == 1
    await client.close()


async def test_a_republish_after_a_crash_is_dropped_as_a_duplicate(
    mini: "MiniService", nats_url: str
) -> None:
    client = await connect(nats_url, "test")
    js = client.jetstream()
    await ensure_stream(js, "scribe")
    await mini.write_note("t1", "n1", "hello")
    relay = OutboxRelay(mini.engine, mini.tables, js)
    async with mini.engine.connect() as connection:
        rows = (await connection.execute(select(mini.tables.outbox))).all()
    await relay._publish(rows)  # published, then the process "dies" before marking it sent
    assert await relay.publish_batch() == 1  # the restarted relay publishes it again
    assert await stream_count(nats_url) == 1  # and JetStream keeps one
    await client.close()


async def test_with_nats_stopped_events_wait_and_are_all_delivered_once_it_is_back(
    mini: "MiniService", own_nats: EmbeddedNats
) -> None:
    client = await connect(own_nats.url, "test")
    js = client.jetstream()
    await ensure_stream(js, "scribe")
    own_nats.stop()
    stop = asyncio.Event()
    relay = OutboxRelay(mini.engine, mini.tables, js)
    running = asyncio.create_task(relay.run(stop))
    for index in range(20):
        await mini.write_note("t1", f"n{index}", f"note {index}")
        relay.wake()
    await asyncio.sleep(1.0)  # the relay tries and fails while NATS is down
    async with mini.engine.connect() as connection:
        pending = (
            await connection.execute(
                select(mini.tables.outbox).where(mini.tables.outbox.c.sent_at.is_(None))
            )
        ).all()
    assert len(pending) == 20
    own_nats.start()

    async def all_sent() -> bool:
        async with mini.engine.connect() as connection:
            rows = (
                await connection.execute(
                    select(mini.tables.outbox).where(mini.tables.outbox.c.sent_at.is_(None))
                )
            ).all()
        return not rows

    await eventually(all_sent, seconds=30)
    stop.set()
    await running
    await client.close()
    assert await stream_count(own_nats.url) == 20


async def test_events_refused_for_want_of_a_stream_wait_and_go_out_once_it_exists(
    mini: "MiniService", nats_url: str
) -> None:
    client = await connect(nats_url, "test")
    js = client.jetstream()  # every test starts without streams: none stores "scribe" yet
    await mini.write_note("t1", "n1", "early")
    relay = OutboxRelay(mini.engine, mini.tables, js)
    with pytest.raises(ConnectionError):
        await relay.publish_batch()

    async def attempted() -> bool:
        async with mini.engine.connect() as connection:
            row = (await connection.execute(select(mini.tables.outbox))).one()
        return bool(row.attempts == 1 and row.sent_at is None and "503" in row.last_error)

    await eventually(attempted, seconds=10)  # 503: "no responders", nobody stores the subject
    await ensure_stream(js, "scribe")
    assert await relay.publish_batch() == 1
    assert await stream_count(nats_url) == 1
    await client.close()


async def test_a_large_backlog_goes_out_in_commit_order_and_is_all_marked_sent(
    mini: "MiniService", nats_url: str
) -> None:
    client = await connect(nats_url, "test")
    js = client.jetstream()
    await ensure_stream(js, "scribe")
    for index in range(300):
        await mini.write_note("t1", f"n{index}", f"note {index}")
    stop = asyncio.Event()
    relay = OutboxRelay(mini.engine, mini.tables, js, batch_size=128)
    running = asyncio.create_task(relay.run(stop))

    async def all_sent() -> bool:
        return await stream_count(nats_url) >= 300

    await eventually(all_sent, seconds=30)
    stop.set()
    await running  # leaving the loop writes the marks still in progress
    async with mini.engine.connect() as connection:
        unsent = select(mini.tables.outbox).where(mini.tables.outbox.c.sent_at.is_(None))
        assert (await connection.execute(unsent)).all() == []
    reader = await js.pull_subscribe("vigie.scribe.>", stream="VIGIE_SCRIBE")
    texts: list[str] = []
    while len(texts) < 300:
        for message in await reader.fetch(100, timeout=5):
            texts.append(StringValue.FromString(message.data).value)
            await message.ack()
    assert texts == [f"note {index}" for index in range(300)]
    await client.close()
