"""ProposeSlots: the best free moments of a social account within a range, from the replica of
its best times, or from its queue's fixed slots when none are known yet."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.principal import READ_ROLES, Principal
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import BestTimesRow, PublicationRow, QueueSlotRow
from vigie_publisher.app import accounts
from vigie_publisher.app.common import now, utc
from vigie_publisher.app.views import stamp
from vigie_publisher.domain.presence.slot_ranking import (
    MAX_RANGE,
    SLOT_LENGTH,
    ScoredSlot,
    Window,
    propose,
)
from vigie_publisher.domain.scheduling import Slot, parse_slot

DEFAULT_COUNT, MAX_COUNT = 5, 100
# A publication in these states holds its moment.
_HOLDING = ("scheduled", "publishing")


def _window(request: rpc.ProposeSlotsRequest, zone: ZoneInfo) -> Window:
    if not (request.HasField("start_time") and request.HasField("end_time")):
        raise InvalidArgument("start_time", "start_time and end_time are both needed")
    start, end = utc(request.start_time.ToDatetime()), utc(request.end_time.ToDatetime())
    if end <= start:
        raise InvalidArgument("end_time", "must be after start_time", reason="EMPTY_RANGE")
    if end - start > MAX_RANGE:
        raise InvalidArgument("end_time", "the range is at most 31 days", reason="RANGE_TOO_LONG")
    # Moments already past are never proposed.
    return Window(max(start, now()), end, zone)


def _count(requested: int) -> int:
    if requested < 0 or requested > MAX_COUNT:
        raise InvalidArgument("page_size", f"0 (for {DEFAULT_COUNT}) to {MAX_COUNT}")
    return requested or DEFAULT_COUNT


async def propose_slots(
    uow: UnitOfWork, who: Principal, request: rpc.ProposeSlotsRequest
) -> rpc.ProposeSlotsResponse:
    account = await accounts.get(uow, who, request.social_account)
    who.require(READ_ROLES, accounts.subsidiary_of(account))
    count, window = _count(request.page_size), _window(request, ZoneInfo(account.time_zone))
    best = await uow.session.get(BestTimesRow, (account.tenant, account.id))
    scored = [ScoredSlot(int(w), int(m), float(s)) for w, m, s in best.slots] if best else []
    queue = await _queue_slots(uow, account.tenant, account.id)
    taken = await _taken(uow, account.tenant, account.id, window)
    found = propose(window, scored, best.basis if best else "", queue, taken, count)
    return rpc.ProposeSlotsResponse(
        time_zone=account.time_zone,
        slots=[
            rpc.ProposedSlot(
                time=stamp(p.at), local_time=f"{p.local:%Y-%m-%dT%H:%M}", score=p.score,
                basis=p.basis, reason=p.reason,
            )
            for p in found
        ],
    )  # fmt: skip


async def _queue_slots(uow: UnitOfWork, tenant: str, account_id: str) -> list[Slot]:
    query = select(QueueSlotRow.weekday, QueueSlotRow.local_time).where(
        QueueSlotRow.tenant == tenant, QueueSlotRow.account_id == account_id
    )
    return [parse_slot(w, t) for w, t in (await uow.session.execute(query)).all()]


async def _taken(uow: UnitOfWork, tenant: str, account_id: str, window: Window) -> list[datetime]:
    query = select(PublicationRow.due_at).where(
        PublicationRow.tenant == tenant,
        PublicationRow.account_id == account_id,
        PublicationRow.state.in_(_HOLDING),
        PublicationRow.due_at >= window.start - SLOT_LENGTH,
        PublicationRow.due_at < window.end,
    )
    return [utc(due) for due in (await uow.session.execute(query)).scalars()]
