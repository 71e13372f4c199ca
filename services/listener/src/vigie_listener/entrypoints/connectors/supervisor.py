"""Runs one connector per enabled source of the kinds it knows, started and stopped as sources
come and go (checked every few seconds), and restarted when a source is updated (its settings
are read when its connector starts): a `ServiceSpec.background` loop of the worker."""

import asyncio
import logging
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

log = logging.getLogger(__name__)
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
        self._running: dict[str, tuple[asyncio.Task[None], asyncio.Event, int]] = {}

    async def _wanted(self) -> dict[str, tuple[int, int]]:
        """Enabled sources: their kind and version."""
        async with self._uow() as uow:
            query = select(SourceRow.id, SourceRow.kind, SourceRow.version).where(
                SourceRow.enabled.is_(True), SourceRow.kind.in_(list(CONNECTORS))
            )
            return {r.id: (r.kind, r.version) for r in await uow.session.execute(query)}

    def _start(self, source_id: str, kind: int, version: int) -> None:
        halt = asyncio.Event()
        run = CONNECTORS[kind](self._progress, source_id, halt)
        self._running[source_id] = (asyncio.create_task(run), halt, version)

    async def _reconcile(self) -> None:
        wanted = await self._wanted()
        for source_id, (kind, version) in wanted.items():
            running = self._running.get(source_id)
            if running is not None and running[2] != version:
                running[1].set()  # updated: stop it, then start it with its new settings
                await asyncio.gather(running[0], return_exceptions=True)
            if running is None or running[0].done() or running[2] != version:
                self._start(source_id, kind, version)
        for source_id in set(self._running) - set(wanted):
            self._running.pop(source_id)[1].set()

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    await self._reconcile()
                except Exception:
                    # A database restarting must not end the worker: the running connectors
                    # go on, and the sources are read again at the next check.
                    log.warning("cannot read the sources; checking again", exc_info=True)
                try:
                    await asyncio.wait_for(stop.wait(), self._every_s)
                except TimeoutError:
                    pass
        finally:
            for _task, halt, _version in self._running.values():
                halt.set()
            tasks = [task for task, _halt, _version in self._running.values()]
            await asyncio.gather(*tasks, return_exceptions=True)
