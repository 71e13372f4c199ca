"""Webhook and delivery rows -> protos (a webhook's secret never leaves the service)."""

from vigie.reputation.v1 import resources_pb2 as pb

from vigie_reputation.adapters.orm import WebhookDeliveryRow, WebhookRow
from vigie_reputation.app.views import stamp, utc

STATES = {
    "pending": pb.WEBHOOK_DELIVERY_STATE_PENDING,
    "delivered": pb.WEBHOOK_DELIVERY_STATE_DELIVERED,
    "failed": pb.WEBHOOK_DELIVERY_STATE_FAILED,
}


def webhook_name(row: WebhookRow) -> str:
    return f"tenants/{row.tenant}/webhooks/{row.id}"


def webhook(row: WebhookRow) -> pb.Webhook:
    subsidiary = f"tenants/{row.tenant}/subsidiaries/{row.subsidiary_id}"
    return pb.Webhook(
        name=webhook_name(row),
        display_name=row.display_name,
        url=row.url,
        secret_set=bool(row.secret),
        subsidiary=subsidiary if row.subsidiary_id else "",
        enabled=row.enabled,
        create_time=stamp(row.create_time),
        update_time=stamp(row.update_time),
        etag=str(int(utc(row.update_time).timestamp() * 1_000_000)),
    )


def delivery(row: WebhookDeliveryRow) -> pb.WebhookDelivery:
    return pb.WebhookDelivery(
        name=f"tenants/{row.tenant}/webhooks/{row.webhook_id}/deliveries/{row.id}",
        event_id=row.event_id,
        event_type=row.event_type,
        state=STATES[row.state],
        attempts=row.attempts,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        create_time=stamp(row.create_time),
        deliver_time=stamp(row.deliver_time),
        next_attempt_time=stamp(row.next_attempt_time),
    )
