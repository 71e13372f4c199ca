"""Webhook deliveries: queued in the transaction that changed the crisis, sent by a background
loop with a deadline on every call, retried with exponential backoff, logged attempt by attempt.

A receiver that fails or hangs only delays its own deliveries: scoring never waits for it.
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from google.protobuf import json_format
from google.protobuf.message import Message
from sqlalchemy import or_, select, update
from vigie_runtime.ids import new_id
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import WebhookDeliveryRow, WebhookRow

MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(minutes=10)


async def enqueue(
    uow: UnitOfWork,
    tenant: str,
    event_id: str,
    event_type: str,
    message: Message,
    *,
    subsidiary_id: str | None = None,
    webhook_ids: Sequence[str] = (),
) -> None:
    """One delivery per enabled webhook: those of a subsidiary (and the group-wide ones) when
    `subsidiary_id` is given, else the ones named in `webhook_ids` (an alert rule's)."""
    query = select(WebhookRow).where(WebhookRow.tenant == tenant, WebhookRow.enabled.is_(True))
    if subsidiary_id is not None:
        query = query.where(
            or_(WebhookRow.subsidiary_id == "", WebhookRow.subsidiary_id == subsidiary_id)
        )
    else:
        query = query.where(WebhookRow.id.in_(list(webhook_ids)))
    now = datetime.now(UTC)
    body = json.dumps(
        {
            "id": event_id,
            "type": event_type,
            "tenant": tenant,
            "time": now.isoformat(),
            "data": json_format.MessageToDict(message),
        },
        sort_keys=True,
    )
    for webhook in (await uow.session.execute(query)).scalars():
        uow.session.add(
            WebhookDeliveryRow(
                tenant=tenant,
                id=new_id(),
                webhook_id=webhook.id,
                event_id=event_id,
                event_type=event_type,
                body=body,
                state="pending",
                attempts=0,
                last_status_code=0,
                last_error="",
                create_time=now,
                next_attempt_time=now,
            )
        )


def backoff(attempts: int, base: timedelta) -> timedelta:
    delay: timedelta = base * 2 ** max(attempts - 1, 0)
    return min(delay, MAX_BACKOFF)


async def claim_due(
    uow: UnitOfWork, now: datetime, lease: timedelta, limit: int
) -> list[tuple[WebhookDeliveryRow, WebhookRow]]:
    """Pending deliveries due now, each claimed for `lease` (so another replica skips it)."""
    query = (
        select(WebhookDeliveryRow, WebhookRow)
        .join(
            WebhookRow,
            (WebhookRow.tenant == WebhookDeliveryRow.tenant)
            & (WebhookRow.id == WebhookDeliveryRow.webhook_id),
        )
        .where(WebhookDeliveryRow.state == "pending", WebhookDeliveryRow.next_attempt_time <= now)
        .order_by(WebhookDeliveryRow.next_attempt_time)
        .limit(limit)
    )
    claimed = []
    for delivery, webhook in (await uow.session.execute(query)).all():
        taken = await uow.session.execute(
            update(WebhookDeliveryRow)
            .where(
                WebhookDeliveryRow.tenant == delivery.tenant,
                WebhookDeliveryRow.id == delivery.id,
                WebhookDeliveryRow.next_attempt_time == delivery.next_attempt_time,
            )
            .values(next_attempt_time=now + lease)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append((delivery, webhook))
    return claimed


async def record(
    uow: UnitOfWork, delivery: WebhookDeliveryRow, status: int, error: str, base: timedelta
) -> None:
    row = await uow.session.get(WebhookDeliveryRow, (delivery.tenant, delivery.id))
    if row is None:
        return  # its webhook was deleted meanwhile
    now = datetime.now(UTC)
    row.attempts += 1
    row.last_status_code, row.last_error = status, error[:1000]
    if 200 <= status < 300:
        row.state, row.deliver_time, row.next_attempt_time = "delivered", now, None
    elif row.attempts >= MAX_ATTEMPTS:
        row.state, row.next_attempt_time = "failed", None
    else:
        row.next_attempt_time = now + backoff(row.attempts, base)
