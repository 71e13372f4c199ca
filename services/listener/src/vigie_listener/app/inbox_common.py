"""What the inbox's handlers and consumers share: re-ranking, announcing a change, targets,
breaches (each reported once per item and kind)."""

from datetime import datetime

from sqlalchemy import delete, select
from vigie.listener.v1 import events_pb2
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.principal import Role
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import (
    InboxItemRow,
    InboxLabelRow,
    KnownCrisisRow,
    ResponseTargetRow,
)
from vigie_listener.app.common import utc
from vigie_listener.app.events import INBOX_ITEM_CHANGED, RESPONSE_BREACHED
from vigie_listener.app.inbox_views import inbox_item
from vigie_listener.app.names import SUBSIDIARY
from vigie_listener.app.views import stamp
from vigie_listener.domain import urgency
from vigie_listener.domain.response_times import breached

# Who may act on items (assign, note, label, close); analysts only read.
ACTING_ROLES = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER, Role.COMMUNITY_MANAGER)
# Who sets a subsidiary's response targets.
TARGET_ROLES = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)


def rerank(row: InboxItemRow) -> None:
    """Recomputes the stored parts of the urgency after sentiment or crisis changed."""
    row.base_urgency = urgency.base(row.followers, row.sentiment, bool(row.crisis_id))
    row.rank_key = urgency.rank_key(row.base_urgency, utc(row.opened_at))


def touch(uow: UnitOfWork, row: InboxItemRow, now: datetime) -> None:
    """The row changed: new version, and `inbox.item_changed` for live views."""
    row.version += 1
    row.updated_at = now
    event = events_pb2.InboxItemChanged(item=inbox_item(row, now))
    uow.emit(INBOX_ITEM_CHANGED, row.tenant, event)


async def open_crisis(uow: UnitOfWork, tenant: str, brand_id: str) -> str:
    """The id of the brand's open crisis (the newest one), or ""."""
    query = (
        select(KnownCrisisRow.id)
        .where(
            KnownCrisisRow.tenant == tenant,
            KnownCrisisRow.brand_id == brand_id,
            KnownCrisisRow.open.is_(True),
        )
        .order_by(KnownCrisisRow.id.desc())
        .limit(1)
    )
    return (await uow.session.execute(query)).scalar_one_or_none() or ""


async def targets(uow: UnitOfWork, tenant: str, subsidiary_id: str) -> tuple[int, int]:
    """(first response, resolution) target seconds of the subsidiary; 0 for none."""
    row = await uow.session.get(ResponseTargetRow, (tenant, subsidiary_id))
    return (row.first_response_seconds, row.resolution_seconds) if row else (0, 0)


def record_breach(
    uow: UnitOfWork, row: InboxItemRow, kind: int, target_seconds: int, now: datetime
) -> None:
    """Flags the breach and emits `inbox.response_breached`; the caller `touch`es the row."""
    if kind == pb.RESPONSE_KIND_FIRST_RESPONSE:
        row.first_response_breached = True
    else:
        row.resolution_breached = True
    when = utc(row.opened_at).timestamp() + target_seconds
    event = events_pb2.ResponseBreached(
        item=inbox_item(row, now),
        kind=kind,  # type: ignore[arg-type]
        target_seconds=target_seconds,
        subsidiary=SUBSIDIARY.format(row.tenant, row.subsidiary_id),
    )
    event.breach_time.CopyFrom(stamp(datetime.fromtimestamp(when, tz=now.tzinfo)))
    uow.emit(RESPONSE_BREACHED, row.tenant, event)


async def check_late(uow: UnitOfWork, row: InboxItemRow, kind: int, ended: datetime) -> None:
    """A reply or a closing that came after the target is a breach too, if not yet reported."""
    first, resolution = await targets(uow, row.tenant, row.subsidiary_id)
    opened = utc(row.opened_at)
    if kind == pb.RESPONSE_KIND_FIRST_RESPONSE:
        if not row.first_response_breached and breached(opened, ended, first):
            record_breach(uow, row, kind, first, ended)
    elif not row.resolution_breached and breached(opened, ended, resolution):
        record_breach(uow, row, kind, resolution, ended)


async def store_labels(uow: UnitOfWork, row: InboxItemRow, labels: list[str]) -> None:
    await uow.session.execute(
        delete(InboxLabelRow).where(
            InboxLabelRow.tenant == row.tenant, InboxLabelRow.item_id == row.id
        )
    )
    uow.session.add_all(
        InboxLabelRow(tenant=row.tenant, item_id=row.id, label=label) for label in labels
    )
    row.labels = labels
