"""The live hub on real NATS: one ordered consumer per (producer, tenant), fanned out to
bounded queues, deleted with its last listener."""

import nats
import pytest
from vigie.reputation.v1 import events_pb2, resources_pb2
from vigie_gateway.live.events import CRISIS_OPENED
from vigie_gateway.live.hub import EventHub, tenant_filter
from vigie_gateway.live.queue import SlowConsumer
from vigie_runtime.events import stream_name
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.testing.events import publish_as_producer

ACME, RIVAL = "01acmeacmeacmeacmeacmeacme", "01rivalrivalrivalrivalrival"


def crisis(tenant: str, n: int) -> events_pb2.CrisisOpened:
    name = f"tenants/{tenant}/brands/b1/crises/c{n}"
    return events_pb2.CrisisOpened(
        crisis=resources_pb2.Crisis(name=name), subsidiary=f"tenants/{tenant}/subsidiaries/s1"
    )


async def consumers(nats_url: str) -> int:
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        await ensure_stream(js, "reputation")
        info = await js.stream_info(stream_name("reputation"))
        return int(info.state.consumer_count or 0)
    finally:
        await client.close()


async def test_a_tenants_events_reach_its_listeners_and_never_another_tenants(
    nats_url: str,
) -> None:
    hub = EventHub(nats_url, capacity=16)
    try:
        async with (
            hub.listen(("reputation",), ACME) as acme,
            hub.listen(("reputation",), RIVAL) as rival,
        ):
            await publish_as_producer(nats_url, CRISIS_OPENED, ACME, crisis(ACME, 1))
            await publish_as_producer(nats_url, CRISIS_OPENED, RIVAL, crisis(RIVAL, 2))
            assert CRISIS_OPENED.parse(await acme.get()).crisis.name.endswith("/c1")
            # Rival's first event is its own: Acme's, published before, never reached it.
            assert CRISIS_OPENED.parse(await rival.get()).crisis.name.endswith("/c2")
    finally:
        await hub.close()


async def test_one_consumer_per_tenant_is_created_for_the_first_and_deleted_with_the_last(
    nats_url: str,
) -> None:
    hub = EventHub(nats_url, capacity=16)
    try:
        async with hub.listen(("reputation",), ACME), hub.listen(("reputation",), ACME):
            assert hub.subscriber_count("reputation", ACME) == 2
            assert await consumers(nats_url) == 1
        assert hub.subscriber_count("reputation", ACME) == 0
        assert await consumers(nats_url) == 0  # no JetStream state left behind
    finally:
        await hub.close()


async def test_a_listener_that_does_not_read_holds_at_most_its_capacity_then_ends(
    nats_url: str,
) -> None:
    hub = EventHub(nats_url, capacity=3)
    try:
        async with (
            hub.listen(("reputation",), ACME) as slow,
            hub.listen(("reputation",), ACME) as reader,
        ):
            for n in range(10):
                await publish_as_producer(nats_url, CRISIS_OPENED, ACME, crisis(ACME, n))
                await reader.get()  # the reader keeps up, so the hub has offered event n
            assert slow.peak == 3 and hub.deepest == 3
            assert slow.overflowed and len(slow) == 0  # the backlog is freed, not kept
            assert hub.overflows == 1
            with pytest.raises(SlowConsumer):
                await slow.get()
    finally:
        await hub.close()


def test_the_subject_filter_always_names_the_tenant_and_refuses_wildcards() -> None:
    assert tenant_filter("listener", ACME) == f"vigie.listener.{ACME}.>"
    for bad in ("*", ">", "a.b", ""):
        with pytest.raises(ValueError):
            tenant_filter("listener", bad)
