"""Items past their subsidiary's response targets, found by a sweep: each breach is flagged
on the item and reported once (`inbox.response_breached`), in the same transaction."""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import InboxItemRow, ResponseTargetRow
from vigie_listener.app.common import now
from vigie_listener.app.inbox_common import record_breach, touch
from vigie_listener.domain.inbox_status import WAITING, Status

log = logging.getLogger(__name__)

# Items flagged per subsidiary and kind in one sweep; the next sweep takes the rest.
BATCH = 500


async def sweep(uow: UnitOfWork, moment: datetime) -> int:
    """Flags and reports the items past a target as of `moment`; returns how many breaches."""
    found = 0
    for target in (await uow.session.execute(select(ResponseTargetRow))).scalars():
        if target.first_response_seconds > 0:
            found += await _sweep_kind(uow, target, pb.RESPONSE_KIND_FIRST_RESPONSE, moment)
        if target.resolution_seconds > 0:
            found += await _sweep_kind(uow, target, pb.RESPONSE_KIND_RESOLUTION, moment)
    return found


async def _sweep_kind(
    uow: UnitOfWork, target: ResponseTargetRow, kind: int, moment: datetime
) -> int:
    first = kind == pb.RESPONSE_KIND_FIRST_RESPONSE
    seconds = target.first_response_seconds if first else target.resolution_seconds
    query = select(InboxItemRow).where(
        InboxItemRow.tenant == target.tenant,
        InboxItemRow.subsidiary_id == target.subsidiary_id,
        InboxItemRow.opened_at < moment - timedelta(seconds=seconds),
    )
    if first:
        query = query.where(
            InboxItemRow.status.in_([int(s) for s in WAITING]),
            InboxItemRow.first_response_at.is_(None),
            InboxItemRow.first_response_breached.is_(False),
        )
    else:
        query = query.where(
            InboxItemRow.status != int(Status.CLOSED),
            InboxItemRow.resolution_breached.is_(False),
        )
    rows = list(
        (await uow.session.execute(query.order_by(InboxItemRow.opened_at).limit(BATCH))).scalars()
    )
    for row in rows:
        record_breach(uow, row, kind, seconds, moment)
        touch(uow, row, moment)
    return len(rows)


class BreachWatch:
    """The worker's loop: a sweep every `every_s` seconds until stopped."""

    def __init__(self, uow: Callable[[], UnitOfWork], every_s: float) -> None:
        self._uow = uow
        self._every_s = every_s

    async def sweep_once(self, moment: datetime | None = None) -> int:
        async with self._uow() as uow:
            found = await sweep(uow, moment or now())
            await uow.commit()
            return found

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.sweep_once()
            except Exception:
                # A database restarting must not end the worker: the next sweep finds the rest.
                log.warning("inbox breach sweep failed; trying again", exc_info=True)
            try:
                await asyncio.wait_for(stop.wait(), self._every_s)
            except TimeoutError:
                pass
