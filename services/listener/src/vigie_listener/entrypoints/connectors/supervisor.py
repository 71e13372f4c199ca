"""Runs one connector per enabled source of the kinds it knows, started and stopped as sources
come and go (checked every few seconds): a `ServiceSpec.background` loop of the worker."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy import select
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import SourceRow
from vigie_listener.app.source_progress import SourceProgress
from vigie_listener.entrypoints.connectors.bluesky import run_bluesky
from vigie_listener.entrypoints.connectors.feeds import run_feed
from vigie_listener.entrypoints.connectors.mastodon import run_mastodon
from vigie_listener.entrypoints.connectors.replay import run_replay

Connector = Callable[[SourceProgress, str, asyncio.Event], Coroutine[Any, Any, None]]
CONNECTORS: dict[int, Connector] = {
    pb.SOURCE_KIND_BLUESKY: run_bluesky,
    pb.SOURCE_KIND_MASTODON: run_mastodon,
    pb.SOURCE_KIND_RSS: run_feed,
    pb.SOURCE_KIND_REPLAY: run_replay,
}


class Supervisor:
    def __init__(
        self, uow: Callable[[], UnitOfWork], progress: SourceProgress, every_s: float = 2.0
    ) -> None:
        self._uow = uow
        self._progress = progress
        self._every_s = every_s
        self._running: dict[str, tuple[asyncio.Task[None], asyncio.Event]] = {}

    async def _wanted(self) -> dict[str, int]:
        async with self._uow() as uow:
            query = select(SourceRow.id, SourceRow.kind).where(
                SourceRow.enabled.is_(True), SourceRow.kind.in_(list(CONNECTORS))
            )
            return {row.id: row.kind for row in await uow.session.execute(query)}

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                wanted = await self._wanted()
                for source_id, kind in wanted.items():
                    task = self._running.get(source_id)
                    if task is None or task[0].done():
                        halt = asyncio.Event()
                        run = CONNECTORS[kind](self._progress, source_id, halt)
                        self._running[source_id] = (asyncio.create_task(run), halt)
                for source_id in set(self._running) - set(wanted):
                    self._running.pop(source_id)[1].set()
                try:
                    await asyncio.wait_for(stop.wait(), self._every_s)
                except TimeoutError:
                    pass
        finally:
            for _task, halt in self._running.values():
                halt.set()
            await asyncio.gather(*(t for t, _ in self._running.values()), return_exceptions=True)
