"""The connector supervisor outlives a database that is down for a while (found by the fault
harness: a PostgreSQL restart ended the listener's worker)."""

import asyncio
from typing import Any, cast

from vigie_listener.app.source_progress import SourceProgress
from vigie_listener.entrypoints.connectors.supervisor import Supervisor

DOWN_FOR = 3


class UnreachableAtFirst:
    """A unit of work whose database refuses the first `DOWN_FOR` connections, then answers
    that no source is enabled."""

    opened: list[int] = []

    def __init__(self) -> None:
        self.session = self

    async def __aenter__(self) -> "UnreachableAtFirst":
        self.opened.append(1)
        if len(self.opened) <= DOWN_FOR:
            raise ConnectionRefusedError(111, "Connect call failed")
        return self

    async def __aexit__(self, *_exc: object) -> None:
        return None

    async def execute(self, _query: Any) -> list[Any]:
        return []


async def test_the_supervisor_reads_the_sources_again_once_the_database_is_back() -> None:
    stop = asyncio.Event()
    supervisor = Supervisor(cast(Any, UnreachableAtFirst), cast(SourceProgress, None), every_s=0.01)
    task = asyncio.create_task(supervisor.run(stop))
    for _ in range(500):
        if len(UnreachableAtFirst.opened) > DOWN_FOR + 1 or task.done():
            break
        await asyncio.sleep(0.01)
    stop.set()
    await task  # before the fix, the first refused connection ended the loop (and the worker)
    assert len(UnreachableAtFirst.opened) > DOWN_FOR + 1
