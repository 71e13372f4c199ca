"""Other services' news that changes inbox items: a crisis opened or resolved (its brand's
items are part of it or no longer), a reply published (the item is answered, and its first
response time is measured). Each applied once: the runner's inbox drops redeliveries, and
each change is also a no-op when it already holds."""

from datetime import UTC

from sqlalchemy import select
from vigie.listener.v1 import resources_pb2 as pb
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.reputation.v1 import resources_pb2 as reputation
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import InboxItemRow, KnownCrisisRow
from vigie_listener.app.common import now
from vigie_listener.app.inbox_common import check_late, open_crisis, rerank, touch
from vigie_listener.app.names import INBOX_ITEM, MENTION
from vigie_listener.domain.inbox_status import Status, after_reply

CRISIS = ResourcePattern("crisis", ("tenants", "brands", "crises"))
# A brand's items that a crisis can still concern (closed ones are history).
_LIVE = (int(Status.NEW), int(Status.ASSIGNED), int(Status.ANSWERED))


async def on_crisis(uow: UnitOfWork, tenant: str, crisis: reputation.Crisis, is_open: bool) -> None:
    """`crisis.opened` (is_open) or `crisis.resolved`."""
    crisis_tenant, brand_id, crisis_id = CRISIS.parse(crisis.name, "crisis.name")
    if crisis_tenant != tenant:
        return
    row = await uow.session.get(KnownCrisisRow, (tenant, crisis_id))
    if row is not None and not row.open:
        return  # resolved for good: a late "opened" does not bring it back
    if row is None:
        row = KnownCrisisRow(tenant=tenant, id=crisis_id, brand_id=brand_id)
        uow.session.add(row)
    row.open, row.updated_at = is_open, now()
    await uow.session.flush()
    current = await open_crisis(uow, tenant, brand_id)
    items = await uow.session.execute(
        select(InboxItemRow).where(
            InboxItemRow.tenant == tenant,
            InboxItemRow.brand_id == brand_id,
            InboxItemRow.status.in_(_LIVE),
            InboxItemRow.crisis_id != current,
        )
    )
    moment = now()
    for item in items.scalars():
        item.crisis_id = current
        rerank(item)
        touch(uow, item, moment)


async def on_reply_published(
    uow: UnitOfWork, tenant: str, event: publisher_events.ReplyPublished
) -> None:
    row = await _answered_item(uow, tenant, event)
    if row is None:
        return
    replied = event.publish_time.ToDatetime(tzinfo=UTC) if event.HasField("publish_time") else now()
    status = after_reply(Status(row.status))
    if row.first_response_at is not None and status == row.status:
        return  # a later reply, or this one again: the first response stands
    if row.first_response_at is None:
        row.first_response_at = replied
        row.reply = event.reply.name[:512]
        row.responder = event.author[:512]
        await check_late(uow, row, pb.RESPONSE_KIND_FIRST_RESPONSE, replied)
    row.status = int(status)
    touch(uow, row, now())


async def _answered_item(
    uow: UnitOfWork, tenant: str, event: publisher_events.ReplyPublished
) -> InboxItemRow | None:
    """The item the reply answers: named by the event, or found by its mention."""
    query = select(InboxItemRow).where(InboxItemRow.tenant == tenant)
    if event.inbox_item:
        item_tenant, brand_id, item_id = INBOX_ITEM.parse(event.inbox_item, "inbox_item")
        query = query.where(InboxItemRow.brand_id == brand_id, InboxItemRow.id == item_id)
    elif event.mention:
        item_tenant, brand_id, mention_id = MENTION.parse(event.mention, "mention")
        query = query.where(
            InboxItemRow.brand_id == brand_id, InboxItemRow.mention_id == mention_id
        )
    else:
        return None
    if item_tenant != tenant:
        return None
    return (await uow.session.execute(query)).scalar_one_or_none()
