"""The loop that recomputes best times whose history changed inside the debounce period (the
consumer recomputes at once when an account is due; this catches the changes it deferred)."""

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from nats.js import JetStreamContext
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.app import best_time_learning
from vigie_reputation.domain.best_times import BestTimeParams
from vigie_reputation.entrypoints.background import _every

log = logging.getLogger(__name__)
Loop = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
BATCH = 20


def best_time_clock(
    uow: Callable[[], UnitOfWork], params: BestTimeParams, seconds: float = 60.0
) -> Callable[[JetStreamContext], Loop]:
    async def tick() -> None:
        await recompute_due(uow, datetime.now(UTC), params)

    return lambda js: _every(seconds, tick, "best-time clock")


async def recompute_due(
    uow: Callable[[], UnitOfWork], now: datetime, params: BestTimeParams
) -> int:
    """Recomputes up to BATCH due accounts; how many were recomputed."""
    async with uow() as work:
        due = await best_time_learning.due_accounts(work, now, params, BATCH)
    done = 0
    for key in due:  # one transaction each: one account's failure holds back no other
        try:
            async with uow() as work:
                if await best_time_learning.recompute_if_due(work, key, now, params):
                    await work.commit()
                    done += 1
        except Exception:
            log.warning("best times of %s not recomputed; next tick", key, exc_info=True)
    return done
