"""Sending a playbook's alert steps when due: a member is notified by the `crisis.notified`
event (what tells people, e.g. the gateway's live feeds); a webhook, by the existing webhook
deliveries. Each send is also a timeline entry, all in the transaction that marks it sent."""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from vigie.reputation.v1 import events_pb2
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisNotificationRow, WebhookRow
from vigie_reputation.app import crisis_timeline, deliveries
from vigie_reputation.app.crisis_room_views import notification
from vigie_reputation.app.events import CRISIS_NOTIFIED
from vigie_reputation.app.views import brand_name


async def send(uow: UnitOfWork, rows: Sequence[CrisisNotificationRow], now: datetime) -> None:
    """Sends `rows` (pending and due) in their playbook order."""
    for row in sorted(rows, key=lambda r: (r.tenant, r.crisis_id, r.step)):
        row.state, row.send_time = "sent", now
        key = (row.tenant, row.brand_id, row.subsidiary_id, row.crisis_id)
        crisis = crisis_timeline.crisis_name(row.tenant, row.brand_id, row.crisis_id)
        subsidiary = f"tenants/{row.tenant}/subsidiaries/{row.subsidiary_id}"
        message = events_pb2.CrisisNotified(
            crisis=crisis,
            brand=brand_name(row.tenant, row.brand_id),
            subsidiary=subsidiary if row.subsidiary_id else "",
            notification=notification(row),
        )
        event_id = uow.emit(CRISIS_NOTIFIED, row.tenant, message)
        if row.webhook_id:
            webhook = await uow.session.get(WebhookRow, (row.tenant, row.webhook_id))
            label = webhook.display_name if webhook else "a deleted webhook"
            await deliveries.enqueue(
                uow,
                row.tenant,
                event_id,
                CRISIS_NOTIFIED.ce_type,
                message,
                webhook_ids=[row.webhook_id],
            )
            subject = f"tenants/{row.tenant}/webhooks/{row.webhook_id}"
            summary = f"step {row.step}: webhook {label} called"
            crisis_timeline.record(uow, key, "webhook_notified", summary, subject, at=now)
        else:
            summary = f"step {row.step}: {row.member} notified"
            crisis_timeline.record(uow, key, "person_notified", summary, row.member, at=now)


async def send_due(uow: UnitOfWork, now: datetime | None = None, limit: int = 200) -> int:
    """The loop's tick: every pending step whose time has come, across tenants."""
    now = now or datetime.now(UTC)
    t = CrisisNotificationRow
    query = (
        select(t)
        .where(t.state == "pending", t.due_time <= now)
        .order_by(t.due_time, t.step)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list((await uow.session.execute(query)).scalars())
    await send(uow, rows, now)
    return len(rows)
