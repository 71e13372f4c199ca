"""The publisher's hold and release of a brand's queue, in the crisis room concerned."""

from datetime import datetime

from sqlalchemy import select
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisRoomRow, CrisisRow
from vigie_reputation.app.crisis_reads import CRISIS
from vigie_reputation.app.crisis_timeline import record

QUEUE_SUFFIX = "/queue"


async def queue_held(uow: UnitOfWork, tenant: str, queue: str, held_by: str, at: datetime) -> None:
    """A hold by a crisis (`held_by` names it) goes in its room; a member's own hold does not."""
    try:
        _, brand_id, crisis_id = CRISIS.parse_in_tenant(held_by, tenant)
    except (InvalidArgument, NotFound):
        return
    crisis = await uow.session.get(CrisisRow, (tenant, crisis_id))
    if crisis is None or crisis.brand_id != brand_id:
        return
    key = (tenant, brand_id, crisis.subsidiary_id, crisis_id)
    record(uow, key, "queue_held", "the brand's scheduled posts are held", queue, at=at)


async def queue_released(uow: UnitOfWork, tenant: str, queue: str, at: datetime) -> None:
    """A release says nothing of the hold it ends: it goes in the brand's newest crisis room,
    when that crisis was opened before the release."""
    parts = queue.removesuffix(QUEUE_SUFFIX).split("/")
    if not queue.endswith(QUEUE_SUFFIX) or len(parts) != 4 or parts[1] != tenant:
        return
    t = CrisisRoomRow
    query = (
        select(t)
        .where(t.tenant == tenant, t.brand_id == parts[3], t.open_time <= at)
        .order_by(t.open_time.desc())
        .limit(1)
    )
    room = (await uow.session.execute(query)).scalar_one_or_none()
    if room is not None:
        key = (tenant, room.brand_id, room.subsidiary_id, room.crisis_id)
        record(uow, key, "queue_released", "the brand's queue is released", queue, at=at)
