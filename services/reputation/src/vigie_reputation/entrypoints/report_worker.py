"""The report worker beside the consumers: due schedules become pending reports, pending
reports are rendered one at a time (each in its own transactions, so a slow one holds none)."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from nats.js import JetStreamContext
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.app import report_jobs
from vigie_reputation.entrypoints.background import Loop, _every

# Reports are asked for by people: a second is quick enough, and idle polls are one query.
POLL_SECONDS = 1.0


def report_worker(uow: Callable[[], UnitOfWork]) -> Callable[[JetStreamContext], Loop]:
    async def render_one() -> bool:
        async with uow() as work:
            found = await report_jobs.next_pending(work)
        if found is None:
            return False
        row, figures = found
        content, failure = await report_jobs.render(row, figures)
        async with uow() as work:
            await report_jobs.store(work, row, figures, content, failure)
            await work.commit()
        return True

    async def tick() -> None:
        async with uow() as work:
            await report_jobs.fire_due_schedules(work, datetime.now(UTC))
            await work.commit()
        while await render_one():
            await asyncio.sleep(0)  # let the service's other work in between reports

    return lambda js: _every(POLL_SECONDS, tick, "report worker")
