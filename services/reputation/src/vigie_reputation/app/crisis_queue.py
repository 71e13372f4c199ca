"""The publisher's hold and release of a brand's queue, in the crisis room concerned: the
hold and each post it stopped (the room's held posts), the release and each post it let go."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisRoomRow, CrisisRow, CrisisTimelineRow
from vigie_reputation.app.crisis_reads import CRISIS
from vigie_reputation.app.crisis_timeline import record

QUEUE_SUFFIX = "/queue"


async def _room_of_hold(uow: UnitOfWork, tenant: str, held_by: str) -> CrisisRoomRow | None:
    """The room of the crisis that `held_by` names; None for a member's own hold."""
    try:
        _, brand_id, crisis_id = CRISIS.parse_in_tenant(held_by, tenant)
    except (InvalidArgument, NotFound):
        return None
    crisis = await uow.session.get(CrisisRow, (tenant, crisis_id))
    if crisis is None or crisis.brand_id != brand_id:
        return None
    return await uow.session.get(CrisisRoomRow, (tenant, crisis_id), with_for_update=True)


def _own_posts(tenant: str, brand_id: str, posts: Sequence[str]) -> list[str]:
    """Only the brand's own post names (another tenant's or brand's would leak into the room)."""
    prefix = f"tenants/{tenant}/brands/{brand_id}/posts/"
    return [p for p in posts if p.startswith(prefix) and "/" not in p.removeprefix(prefix)]


async def queue_held(
    uow: UnitOfWork, tenant: str, queue: str, held_by: str, posts: Sequence[str], at: datetime
) -> None:
    """A hold by a crisis (`held_by` names it) goes in its room; a member's own hold does not."""
    room = await _room_of_hold(uow, tenant, held_by)
    if room is None:
        return
    held = list(room.held_posts or [])
    stopped = [p for p in _own_posts(tenant, room.brand_id, posts) if p not in held]
    room.held_posts = held + stopped
    # A post scheduled into the held queue comes as another `queue.held`: the hold itself is
    # told once.
    if not await _queue_entry(uow, room, queue):
        _record(uow, room, ("queue_held", "the brand's scheduled posts are held", queue), at)
    for post in stopped:
        _record(uow, room, ("post_held", "a scheduled post is held", post), at)


async def queue_released(
    uow: UnitOfWork,
    tenant: str,
    queue: str,
    held_by: str,
    posts: Sequence[str],
    at: datetime,
) -> None:
    """The release goes in the room of the crisis that held the queue; from a publisher that
    does not say who held it, in the brand's newest room opened before the release."""
    room = await _room_of_hold(uow, tenant, held_by) if held_by else None
    if room is None and not held_by:
        room = await _newest_room(uow, tenant, queue, at)
    if room is None:
        return
    _record(uow, room, ("queue_released", "the brand's queue is released", queue), at)
    held = set(room.held_posts or [])
    for post in _own_posts(tenant, room.brand_id, posts):
        if post in held:
            _record(uow, room, ("post_released", "a held post goes out again", post), at)


async def _queue_entry(uow: UnitOfWork, room: CrisisRoomRow, queue: str) -> bool:
    t = CrisisTimelineRow
    query = select(t.id).where(
        t.tenant == room.tenant,
        t.crisis_id == room.crisis_id,
        t.kind == "queue_held",
        t.subject == queue,
    )
    return (await uow.session.scalar(query.limit(1))) is not None


def _record(uow: UnitOfWork, room: CrisisRoomRow, what: tuple[str, str, str], at: datetime) -> None:
    """`what` is (kind, summary, subject)."""
    key = (room.tenant, room.brand_id, room.subsidiary_id, room.crisis_id)
    kind, summary, subject = what
    record(uow, key, kind, summary, subject, at=at)


async def _newest_room(
    uow: UnitOfWork, tenant: str, queue: str, at: datetime
) -> CrisisRoomRow | None:
    parts = queue.removesuffix(QUEUE_SUFFIX).split("/")
    if not queue.endswith(QUEUE_SUFFIX) or len(parts) != 4 or parts[1] != tenant:
        return None
    t = CrisisRoomRow
    query = (
        select(t)
        .where(t.tenant == tenant, t.brand_id == parts[3], t.open_time <= at)
        .order_by(t.open_time.desc())
        .limit(1)
    )
    return (await uow.session.execute(query)).scalar_one_or_none()
