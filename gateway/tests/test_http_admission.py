"""The fair admission's scheduling, without a server: who gets a freed slot, the bounds, and that
a slot or a place in a queue is never kept by a request that went away."""

import asyncio
from collections.abc import Callable
from contextlib import AsyncExitStack

import pytest
from vigie_gateway.http.admission import FairAdmission, Overloaded


class Requests:
    """Requests entering the admission as tasks; each holds its slot until the test releases it,
    and the order in which they were admitted is recorded."""

    def __init__(self, admission: FairAdmission) -> None:
        self.admission = admission
        self.admitted: list[str] = []
        self._release: dict[str, asyncio.Event] = {}
        self.tasks: dict[str, asyncio.Task[None]] = {}

    async def send(self, name: str, tenant: str, caller: str | None = None) -> asyncio.Task[None]:
        """Starts request `name` and lets it run until it holds a slot or waits for one."""
        self._release[name] = asyncio.Event()

        async def request() -> None:
            async with self.admission.slot(tenant, caller or f"{tenant}-token"):
                self.admitted.append(name)
                await self._release[name].wait()

        self.tasks[name] = asyncio.create_task(request())
        await settle()
        return self.tasks[name]

    async def finish(self, name: str) -> None:
        self._release[name].set()
        await self.tasks[name]
        await settle()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def admission(running: int = 1, share: int = 1, waiting: int = 10) -> FairAdmission:
    return FairAdmission(running, share, waiting)


async def test_a_freed_slot_goes_to_the_tenants_in_turn_not_in_arrival_order() -> None:
    requests = Requests(admission())
    await requests.send("a0", "A")
    for name in ("a1", "a2", "a3"):
        await requests.send(name, "A")
    await requests.send("b1", "B")
    await requests.send("b2", "B")
    await requests.send("c1", "C")
    assert requests.admitted == ["a0"]
    for name in ("a0", "a1", "b1", "c1", "a2", "b2"):
        await requests.finish(name)
    # A's first waiter came first; then B and C each before A's second and third.
    assert requests.admitted == ["a0", "a1", "b1", "c1", "a2", "b2", "a3"]


async def test_within_a_tenant_its_callers_take_turns() -> None:
    requests = Requests(admission())
    await requests.send("x0", "A", "x")
    await requests.send("x1", "A", "x")
    await requests.send("x2", "A", "x")
    await requests.send("y1", "A", "y")
    for name in ("x0", "x1", "y1"):
        await requests.finish(name)
    assert requests.admitted == ["x0", "x1", "y1", "x2"]


async def test_a_tenant_uses_at_most_its_share_and_the_rest_stays_for_the_others() -> None:
    gate = admission(running=3, share=2)
    requests = Requests(gate)
    for name in ("a1", "a2", "a3"):
        await requests.send(name, "A")
    assert requests.admitted == ["a1", "a2"]
    assert gate.running("A") == 2 and gate.waiting("A") == 1
    await requests.send("b1", "B")  # the third slot was kept free: B runs at once
    assert requests.admitted == ["a1", "a2", "b1"]
    await requests.finish("b1")  # a free slot, but A is at its share: a3 still waits
    assert requests.admitted == ["a1", "a2", "b1"]
    await requests.finish("a1")
    assert requests.admitted == ["a1", "a2", "b1", "a3"]


async def test_a_full_queue_refuses_at_once_and_only_that_tenant() -> None:
    gate = admission(waiting=2)
    requests = Requests(gate)
    await requests.send("a0", "A")
    await requests.send("a1", "A")
    await requests.send("a2", "A")
    with pytest.raises(Overloaded) as refused:
        async with gate.slot("A", "A-token"):
            pytest.fail("admitted beyond the queue")
    assert refused.value.retry_after >= 1 and refused.value.waiting == 2
    await requests.send("b1", "B")  # B's own queue is empty: it waits, it is not refused
    assert gate.waiting("B") == 1 and not requests.tasks["b1"].done()


async def test_no_queue_means_refused_whenever_no_slot_is_free() -> None:
    gate = admission(waiting=0)
    requests = Requests(gate)
    await requests.send("a0", "A")
    with pytest.raises(Overloaded):
        async with gate.slot("B", "B-token"):
            pass
    await requests.finish("a0")
    async with gate.slot("B", "B-token"):
        assert gate.running("B") == 1


async def test_a_cancelled_waiter_leaves_its_place_to_the_next() -> None:
    gate = admission(waiting=1)
    requests = Requests(gate)
    await requests.send("a0", "A")
    waiting = await requests.send("a1", "A")
    waiting.cancel()
    await settle()
    assert waiting.cancelled() and gate.waiting("A") == 0
    await requests.send("a2", "A")  # the place a1 left is free again
    await requests.finish("a0")
    assert requests.admitted == ["a0", "a2"]


async def test_a_request_cancelled_once_admitted_gives_its_slot_back() -> None:
    gate = admission()
    requests = Requests(gate)
    await requests.send("a0", "A")
    late = await requests.send("b1", "B")
    await requests.send("c1", "C")
    requests._release["a0"].set()
    await asyncio.sleep(0)  # a0 leaves and hands its slot to b1, which has not yet resumed
    late.cancel()
    await settle()
    assert requests.admitted == ["a0", "c1"]  # b1 never ran; its slot went on to c1
    await requests.finish("c1")
    assert gate.running("B") == gate.running("C") == 0 and gate.waiting("B") == 0


@pytest.mark.parametrize("fail", [lambda: 1 / 0, lambda: (_ for _ in ()).throw(KeyError("x"))])
async def test_an_operation_that_fails_gives_its_slot_back(fail: Callable[[], object]) -> None:
    gate = admission(running=2, share=2)
    for _ in range(5):  # more failures than slots: a leak would leave none
        with pytest.raises((ZeroDivisionError, KeyError)):
            async with gate.slot("A", "t"):
                fail()
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(gate.slot("A", "t"))
        await stack.enter_async_context(gate.slot("A", "t"))
        assert gate.running("A") == 2
    assert gate.running("A") == 0
