"""Reading a crisis room (crisis, applied playbook, statements, notifications, volume and
sentiment since it opened) and its timeline, within the caller's tenant and roles."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie_runtime import tenant_rows
from vigie_runtime.errors import NotFound
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import (
    CrisisNotificationRow,
    CrisisRoomRow,
    CrisisRow,
    CrisisStatementRow,
    CrisisTimelineRow,
)
from vigie_reputation.app import crisis_reads, crisis_views
from vigie_reputation.app.crisis_room_views import applied_playbook, notification, statement
from vigie_reputation.app.crisis_timeline import entry
from vigie_reputation.app.measure_reads import Sums, rollup
from vigie_reputation.app.measure_views import net, point
from vigie_reputation.app.views import utc
from vigie_reputation.domain.windows import Granularity

ROOM = ResourcePattern("crisis_room", ("tenants", "brands", "crises", "room"))
DETECTION_BUCKET = timedelta(minutes=5)


def crisis_of_room(name: str) -> str:
    """`.../crises/{c}/room` -> `.../crises/{c}` (NOT_FOUND when the name is not a room's)."""
    if not name.endswith("/room"):
        raise NotFound("crisis_room", name)
    return name.removesuffix("/room")


async def room_crisis(uow: UnitOfWork, name: str) -> CrisisRow:
    return await crisis_reads.get_crisis(uow, crisis_of_room(name))


async def get_room(uow: UnitOfWork, name: str) -> cr.CrisisRoom:
    crisis = await room_crisis(uow, name)
    key = (crisis.tenant, crisis.id)
    room = await uow.session.get(CrisisRoomRow, key)
    s, n = CrisisStatementRow, CrisisNotificationRow
    statements = await uow.session.execute(
        select(s).where(s.tenant == crisis.tenant, s.crisis_id == crisis.id).order_by(s.id)
    )
    notifications = await uow.session.execute(
        select(n).where(n.tenant == crisis.tenant, n.crisis_id == crisis.id).order_by(n.step)
    )
    return cr.CrisisRoom(
        name=f"{crisis_views.crisis_name(crisis)}/room",
        crisis=crisis_views.crisis(crisis),
        playbook=applied_playbook(room.playbook if room else {}),
        statements=[statement(r) for r in statements.scalars()],
        notifications=[notification(r) for r in notifications.scalars()],
        since=await since(uow, crisis),
        held_posts=list(room.held_posts) if room else [],
    )


def crisis_window(crisis: CrisisRow, now: datetime | None = None) -> tuple[datetime, datetime]:
    """From the rise that opened the crisis (its explanation's `sinceTime`, else the 5-minute
    bucket it opened in) to its resolution, or now (the current minute included)."""
    opened = utc(crisis.open_time)
    start = opened.replace(second=0, microsecond=0) - timedelta(minutes=opened.minute % 5)
    rise = (crisis.explanation or {}).get("sinceTime")
    if isinstance(rise, str):
        start = min(start, utc(datetime.fromisoformat(rise.replace("Z", "+00:00"))))
    end = utc(crisis.resolve_time) if crisis.resolve_time else (now or datetime.now(UTC))
    end = max(end, start + DETECTION_BUCKET).replace(second=0, microsecond=0)
    return start, end + timedelta(minutes=1)


async def since(uow: UnitOfWork, crisis: CrisisRow, now: datetime | None = None) -> cr.CrisisSince:
    """The brand's volume and sentiment over the crisis, from the reputation's own minute
    buckets, in hourly points."""
    window = crisis_window(crisis, now)
    series = await rollup(
        uow, crisis.tenant, [crisis.brand_id], "none", window, Granularity.HOUR, ZoneInfo("UTC")
    )
    buckets = series.points.get("", {})
    total = Sums()
    for sums in buckets.values():
        for name in ("volume", "positive", "neutral", "negative"):
            setattr(total, name, getattr(total, name) + getattr(sums, name))
    return cr.CrisisSince(
        volume=total.volume,
        positive_count=total.positive,
        neutral_count=total.neutral,
        negative_count=total.negative,
        net_sentiment=net(total),
        points=[point(moment, buckets[moment]) for moment in sorted(buckets)],
    )


# A crisis has tens of entries: the (tenant, crisis_id, id) index serves the time order too.
TIMELINE_ORDERS = {"time": CrisisTimelineRow.time}


async def list_timeline(
    uow: UnitOfWork, request: cr.ListCrisisTimelineRequest
) -> tenant_rows.Listed[cr.TimelineEntry]:
    """In the order written (by id, oldest first) unless asked otherwise."""
    crisis = await crisis_reads.get_crisis(uow, request.parent)
    t = CrisisTimelineRow
    query = select(t).where(t.tenant == crisis.tenant, t.crisis_id == crisis.id)
    fingerprint = ["timeline", crisis.tenant, crisis.id]
    listed = await tenant_rows.list_page(uow, query, t, request, fingerprint, TIMELINE_ORDERS)
    return tenant_rows.Listed(
        rows=[entry(r, crisis.brand_id) for r in listed.rows],
        next_page_token=listed.next_page_token,
        total_size=listed.total_size,
    )
