"""Replicas of a worker on one SQLite file take turns at the outbox relay: one publishes, the
next takes over when it stops; on any other database every relay runs at once."""

import asyncio
from pathlib import Path

from vigie_runtime.relay_turn import run_in_turn, turn_file
from vigie_runtime.testing.waiting import eventually


class Relay:
    def __init__(self) -> None:
        self.running = False

    async def run(self, stop: asyncio.Event) -> None:
        self.running = True
        try:
            await stop.wait()
        finally:
            self.running = False


async def test_a_second_relay_on_the_same_sqlite_file_waits_for_the_first_to_stop(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'service.sqlite'}"
    first, second = Relay(), Relay()
    stop_first, stop_second = asyncio.Event(), asyncio.Event()
    one = asyncio.create_task(run_in_turn(url, first.run, stop_first))

    async def first_running() -> bool:
        return first.running

    await eventually(first_running)
    two = asyncio.create_task(run_in_turn(url, second.run, stop_second))
    await asyncio.sleep(1.5)  # more than a turn poll: had the lock been free, it would run
    assert first.running and not second.running

    stop_first.set()
    await one

    async def second_running() -> bool:
        return second.running

    await eventually(second_running, 10)
    stop_second.set()
    await two


async def test_relays_of_other_databases_run_at_once(tmp_path: Path) -> None:
    stop = asyncio.Event()
    urls = ["postgresql+asyncpg://postgres@127.0.0.1:5432/x", "sqlite+aiosqlite:///:memory:"]
    relays = {(url, n): Relay() for url in urls for n in range(2)}
    tasks = [
        asyncio.create_task(run_in_turn(url, relay.run, stop)) for (url, _), relay in relays.items()
    ]

    async def all_running() -> bool:
        return all(relay.running for relay in relays.values())

    await eventually(all_running)
    stop.set()
    await asyncio.gather(*tasks)
    assert turn_file(urls[0]) is None and turn_file(urls[1]) is None
    assert (
        turn_file(f"sqlite+aiosqlite:///{tmp_path / 'a.sqlite'}")
        == tmp_path / "a.sqlite-relay.lock"
    )


async def test_a_relay_waiting_for_its_turn_ends_when_its_worker_stops(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'service.sqlite'}"
    holder, waiting = Relay(), Relay()
    stop_holder, stop_waiting = asyncio.Event(), asyncio.Event()
    held = asyncio.create_task(run_in_turn(url, holder.run, stop_holder))

    async def holder_running() -> bool:
        return holder.running

    await eventually(holder_running)
    stop_waiting.set()
    await asyncio.wait_for(run_in_turn(url, waiting.run, stop_waiting), 10)
    assert not waiting.running
    stop_holder.set()
    await held
