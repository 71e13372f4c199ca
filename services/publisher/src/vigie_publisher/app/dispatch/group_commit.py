"""Confirmations recorded together: each caller waits until its own is committed, and whoever
arrives while a commit is running joins the next one. One writer at a time, a few ms apart, so
the network's id is still stored the moment it confirms, without one transaction per post."""

import asyncio
from collections.abc import Callable
from datetime import datetime

from vigie_runtime.uow import UnitOfWork

from vigie_publisher.app.dispatch import outcomes
from vigie_publisher.domain.publishing import PublishedPost

MAX_GROUP = 500


class ConfirmationWriter:
    def __init__(self, uow: Callable[[], UnitOfWork], clock: Callable[[], datetime]) -> None:
        self._uow, self._clock = uow, clock
        self._pending: list[tuple[str, PublishedPost, asyncio.Future[None]]] = []
        self._writing: asyncio.Task[None] | None = None

    async def record(self, publication_id: str, post: PublishedPost) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((publication_id, post, done))
        if self._writing is None or self._writing.done():
            self._writing = asyncio.create_task(self._write_all())
        await done

    async def _write_all(self) -> None:
        while self._pending:
            group, self._pending = self._pending[:MAX_GROUP], self._pending[MAX_GROUP:]
            try:
                async with self._uow() as uow:
                    confirmed = [(publication_id, post) for publication_id, post, _ in group]
                    await outcomes.published_many(uow, confirmed, self._clock())
                    await uow.commit()
            except Exception as error:  # each waiter learns its confirmation was not stored
                for *_, done in group:
                    done.set_exception(error)
                continue
            for *_, done in group:
                done.set_result(None)
