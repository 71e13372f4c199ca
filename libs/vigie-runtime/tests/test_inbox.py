import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from google.protobuf.wrappers_pb2 import StringValue
from prometheus_client import REGISTRY
from sqlalchemy import func, select, update
from vigie_runtime.events import IncomingEvent, cloudevent_headers
from vigie_runtime.ids import new_id
from vigie_runtime.inbox import ConsumerRunner, Subscription
from vigie_runtime.metrics_sampler import MetricsSampler, SampledConsumer
from vigie_runtime.nats_connection import connect, ensure_stream
from vigie_runtime.testing.waiting import eventually
from vigie_runtime.uow import UnitOfWork

if TYPE_CHECKING:
    from conftest import MiniService

SUBJECT = "vigie.scribe.t1.note.written.v1"


class Recorder:
    """A consumer whose effect is a row per event: applied twice would show two rows."""

    def __init__(self, mini: "MiniService", poison: set[str] | None = None) -> None:
        self.mini = mini
        self.poison = poison or set()
        self.calls = 0

    async def __call__(self, uow: UnitOfWork, event: IncomingEvent) -> None:
        self.calls += 1
        text = self.mini.NOTE_WRITTEN.parse(event).value
        if text in self.poison:
            raise ValueError(f"cannot digest {text}")
        await uow.session.execute(self.mini.notes.insert().values(id=event.id, text=text))


async def publish(js, event_id: str, text: str, msg_id: str | None = None) -> None:  # type: ignore[no-untyped-def]
    headers = cloudevent_headers(
        event_id, "vigie.scribe.note.written.v1", "scribe", "t1", datetime.now(UTC)
    )
    if msg_id:
        headers["Nats-Msg-Id"] = msg_id
    await js.publish(SUBJECT, StringValue(value=text).SerializeToString(), headers=headers)


async def start(mini: "MiniService", nats_url: str, recorder: Recorder, **options: object):  # type: ignore[no-untyped-def]
    client = await connect(nats_url, "test")
    js = client.jetstream()
    await ensure_stream(js, "scribe")
    subscription = Subscription("scribe-recorder", "scribe", [SUBJECT], recorder)
    runner = ConsumerRunner(subscription, js, mini.uow, **options)  # type: ignore[arg-type]
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    return client, js, runner, stop, task


async def rows(mini: "MiniService", table) -> int:  # type: ignore[no-untyped-def]
    async with mini.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar_one())


async def test_a_duplicated_event_is_applied_once(mini: "MiniService", nats_url: str) -> None:
    recorder = Recorder(mini)
    client, js, _, stop, task = await start(mini, nats_url, recorder)
    await publish(js, "e1", "hello", msg_id="m1")
    await publish(js, "e1", "hello", msg_id="m2")  # same event, published again under a new id
    await publish(js, "e2", "world")

    async def both_applied() -> bool:
        return await rows(mini, mini.tables.processed_events) == 2

    await eventually(both_applied)
    await asyncio.sleep(0.3)  # let a wrongly applied duplicate show up, if there were one
    assert await rows(mini, mini.notes) == 2
    stop.set()
    await task
    await client.close()


async def test_a_redelivered_batch_is_applied_once(mini: "MiniService", nats_url: str) -> None:
    client = await connect(nats_url, "test")
    js = client.jetstream()
    await ensure_stream(js, "scribe")
    await publish(js, "e1", "hello")
    recorder = Recorder(mini)
    runner = ConsumerRunner(
        Subscription("scribe-recorder", "scribe", [SUBJECT], recorder), js, mini.uow
    )
    from vigie_runtime.nats_connection import ensure_consumer

    await ensure_consumer(js, "VIGIE_SCRIBE", "scribe-recorder", [SUBJECT], 30.0)
    pull = await js.pull_subscribe_bind("scribe-recorder", stream="VIGIE_SCRIBE")
    messages = await pull.fetch(10, timeout=5)
    await runner.process(messages)
    await runner.process(messages)  # as if the ack had been lost and JetStream redelivered
    assert await rows(mini, mini.notes) == 1
    await client.close()


async def test_a_poison_event_is_dead_lettered_after_max_deliver_and_the_others_pass(
    mini: "MiniService", nats_url: str
) -> None:
    recorder = Recorder(mini, poison={"poison"})
    client, js, _, stop, task = await start(mini, nats_url, recorder, max_deliver=3)
    await publish(js, "e1", "good")
    await publish(js, "e2", "poison")
    await publish(js, "e3", "fine")

    async def dead_lettered() -> bool:
        return await rows(mini, mini.tables.dead_letters) == 1

    await eventually(dead_lettered, seconds=30)
    assert await rows(mini, mini.notes) == 2
    async with mini.engine.connect() as connection:
        letter = (await connection.execute(select(mini.tables.dead_letters))).one()
    assert letter.event_id == "e2"
    assert letter.deliveries == 3
    assert "cannot digest poison" in letter.error
    calls = recorder.calls
    await asyncio.sleep(1.0)
    assert recorder.calls == calls  # acked: not retried forever
    stop.set()
    await task
    await client.close()


async def test_an_event_without_its_envelope_is_dead_lettered_not_retried(
    mini: "MiniService", nats_url: str
) -> None:
    recorder = Recorder(mini)
    client, js, _, stop, task = await start(mini, nats_url, recorder)
    await js.publish(SUBJECT, b"\x00garbage", headers={"Nats-Msg-Id": "x1"})

    async def dead_lettered() -> bool:
        return await rows(mini, mini.tables.dead_letters) == 1

    await eventually(dead_lettered)
    assert recorder.calls == 0
    stop.set()
    await task
    await client.close()


async def test_the_consumer_counts_what_it_settles_and_the_sampler_reads_lag_and_dead_letters(
    mini: "MiniService", nats_url: str
) -> None:
    service = f"scribe-{new_id()}"  # labels of this test only: the registry is the process's

    def sample(name: str, **labels: str) -> float:
        found = REGISTRY.get_sample_value(name, {"service": service, **labels})
        return found or 0.0

    recorder = Recorder(mini, poison={"poison"})
    client, js, _, stop, task = await start(
        mini, nats_url, recorder, max_deliver=2, service=service
    )
    await publish(js, "e1", "good")
    await publish(js, "e2", "poison")
    await publish(js, "e3", "fine")
    await publish(js, "e3-copy", "fine", msg_id="e3")  # dropped by JetStream: never delivered

    async def dead_lettered() -> bool:
        return await rows(mini, mini.tables.dead_letters) == 1

    await eventually(dead_lettered, seconds=30)
    durable = {"durable": "scribe-recorder"}
    assert sample("vigie_consumer_events_total", **durable, outcome="applied") == 2
    assert sample("vigie_consumer_events_total", **durable, outcome="dead_lettered") == 1
    assert sample("vigie_consumer_redeliveries_total", **durable) >= 1

    sampler = MetricsSampler(
        service,
        mini.engine,
        mini.tables,
        js,
        [SampledConsumer("VIGIE_SCRIBE", "scribe-recorder")],
        has_outbox=True,
        interval_seconds=60,
    )
    await sampler.sample()
    assert sample("vigie_dead_letters", **durable) == 1
    assert sample("vigie_consumer_pending_messages", **durable) == 0
    assert sample("vigie_outbox_pending_events") == 0
    async with mini.engine.begin() as connection:
        await connection.execute(
            update(mini.tables.dead_letters).values(retried_at=datetime.now(UTC))
        )
    await sampler.sample()
    assert sample("vigie_dead_letters", **durable) == 0
    stop.set()
    await task
    await client.close()


async def test_the_batch_finisher_runs_after_the_handlers_in_their_transaction(
    mini: "MiniService", nats_url: str
) -> None:
    """`finish_batch` sees the batch's effects uncommitted, before the commit, and is not run
    for a batch whose events were all applied before (nothing new to finish)."""
    recorder = Recorder(mini)
    seen: list[int] = []  # notes visible to each finisher call, in its transaction

    async def finish(uow: UnitOfWork) -> None:
        count = select(func.count()).select_from(mini.notes)
        seen.append(int((await uow.session.execute(count)).scalar_one()))

    client = await connect(nats_url, "test")
    js = client.jetstream()
    await ensure_stream(js, "scribe")
    subscription = Subscription("scribe-finisher", "scribe", [SUBJECT], recorder, None, finish)
    stop = asyncio.Event()
    task = asyncio.create_task(ConsumerRunner(subscription, js, mini.uow).run(stop))
    await publish(js, "e1", "hello")
    await publish(js, "e2", "world")

    async def both_applied() -> bool:
        return await rows(mini, mini.tables.processed_events) == 2

    await eventually(both_applied)
    assert seen and seen[-1] == 2  # the last batch's finisher saw every note, its own included
    calls = len(seen)
    await publish(js, "e1", "hello", msg_id="again")  # a duplicate: nothing to finish
    await asyncio.sleep(0.5)
    assert len(seen) == calls and await rows(mini, mini.notes) == 2
    stop.set()
    await task
    await client.close()
