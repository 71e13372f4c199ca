"""The worker's loop beside the consumers: deliverables past due are marked missed, signed
contracts become active when their campaign starts."""

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from nats.js import JetStreamContext
from vigie_runtime.clock import now
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.app import fulfilment

log = logging.getLogger(__name__)
Loop = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


def deliverables_clock(
    uow: Callable[[], UnitOfWork], every_seconds: float
) -> Callable[[JetStreamContext], Loop]:
    async def run(stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                async with uow() as work:
                    changed = await fulfilment.sweep(work, now())
                    await work.commit()
                if changed:
                    continue  # more may be due: no wait
            except Exception:
                log.exception("deliverables clock tick failed")
            try:
                await asyncio.wait_for(stop.wait(), every_seconds)
            except TimeoutError:
                pass

    return lambda _js: run
