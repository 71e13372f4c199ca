"""Webhooks per subsidiary (or group-wide) and their delivery log, within the caller's tenant."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import select
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.errors import Aborted, InvalidArgument, NotFound
from vigie_runtime.field_masks import paths_to_update
from vigie_runtime.ids import new_id
from vigie_runtime.ordering import Filled
from vigie_runtime.principal import READ_ROLES, Principal, current_principal
from vigie_runtime.resource_names import ResourcePattern, require_parent
from vigie_runtime.tenant_rows import Listed, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import WebhookDeliveryRow, WebhookRow
from vigie_reputation.adapters.secret_box import SecretBox
from vigie_reputation.app import webhook_views
from vigie_reputation.app.access import WRITE_ROLES, readable_only, subsidiary_name
from vigie_reputation.app.views import by_number

WEBHOOK = ResourcePattern("webhook", ("tenants", "webhooks"))
SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))
MIN_SECRET = 16
UPDATABLE = ("display_name", "url", "secret", "subsidiary", "enabled")
STATES: dict[int, str] = {
    pb.WEBHOOK_DELIVERY_STATE_PENDING: "pending",
    pb.WEBHOOK_DELIVERY_STATE_DELIVERED: "delivered",
    pb.WEBHOOK_DELIVERY_STATE_FAILED: "failed",
}


def _where(who: Principal, row: WebhookRow | None) -> str | None:
    return subsidiary_name(who.tenant, row.subsidiary_id) if row and row.subsidiary_id else None


def _check(webhook: pb.Webhook, who: Principal, with_secret: bool = True) -> str:
    """Validates a webhook's fields; returns its subsidiary id ('' for group-wide)."""
    if not webhook.display_name.strip() or len(webhook.display_name) > 100:
        raise InvalidArgument("webhook.display_name", "1 to 100 characters")
    url = urlsplit(webhook.url)
    if url.scheme not in {"http", "https"} or not url.hostname or len(webhook.url) > 2048:
        raise InvalidArgument("webhook.url", "an http(s) URL", "INVALID_URL")
    if with_secret and not MIN_SECRET <= len(webhook.secret) <= 256:
        reason = "WEAK_SECRET"
        raise InvalidArgument("webhook.secret", f"{MIN_SECRET} to 256 characters", reason)
    if not webhook.subsidiary:
        return ""
    return SUBSIDIARY.parse_in_tenant(webhook.subsidiary, who.tenant, "webhook.subsidiary")[1]


async def create(
    uow: UnitOfWork, box: SecretBox, parent: str, webhook: pb.Webhook, request_id: str
) -> WebhookRow:
    who = current_principal()
    require_parent(parent, who.tenant)
    subsidiary_id = _check(webhook, who)
    who.require(WRITE_ROLES, subsidiary_name(who.tenant, subsidiary_id) if subsidiary_id else None)
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateWebhook")
    if earlier:
        return await get(uow, earlier)
    now = datetime.now(UTC)
    row = WebhookRow(
        tenant=who.tenant,
        id=new_id(),
        display_name=webhook.display_name.strip(),
        url=webhook.url,
        secret=box.seal(webhook.secret),
        subsidiary_id=subsidiary_id,
        enabled=True,
        create_time=now,
        update_time=now,
    )
    uow.session.add(row)
    name = WEBHOOK.format(who.tenant, row.id)
    await idempotency.remember(uow, who.tenant, request_id, "CreateWebhook", name)
    return row


async def _load(uow: UnitOfWork, who: Principal, name: str, field: str = "name") -> WebhookRow:
    _, webhook_id = WEBHOOK.parse_in_tenant(name, who.tenant, field)
    row = await uow.session.get(WebhookRow, (who.tenant, webhook_id))
    if row is None:
        raise NotFound("webhook", name)
    return row


async def get(uow: UnitOfWork, name: str) -> WebhookRow:
    who = current_principal()
    row = await _load(uow, who, name)
    who.require(READ_ROLES, _where(who, row))
    return row


async def update(
    uow: UnitOfWork, box: SecretBox, source: pb.Webhook, mask: FieldMask
) -> WebhookRow:
    """Changes the fields the mask names (all when empty); a new secret is sealed at once."""
    who = current_principal()
    row = await _load(uow, who, source.name, "webhook.name")
    who.require(WRITE_ROLES, _where(who, row))
    current = webhook_views.webhook(row)
    if source.etag and source.etag != current.etag:
        raise Aborted("ETAG_MISMATCH", "the webhook changed since it was read; read it again")
    paths = paths_to_update(mask, UPDATABLE)
    merged = pb.Webhook()
    merged.CopyFrom(current)
    for path in paths:
        setattr(merged, path, getattr(source, path))
    subsidiary_id = _check(merged, who, with_secret="secret" in paths)
    who.require(WRITE_ROLES, subsidiary_name(who.tenant, subsidiary_id) if subsidiary_id else None)
    row.display_name, row.url = merged.display_name.strip(), merged.url
    row.subsidiary_id, row.enabled = subsidiary_id, merged.enabled
    if "secret" in paths:
        row.secret = box.seal(merged.secret)
    row.update_time = datetime.now(UTC)
    return row


async def delete(uow: UnitOfWork, name: str) -> None:
    who = current_principal()
    row = await _load(uow, who, name)
    who.require(WRITE_ROLES, _where(who, row))
    pending = select(WebhookDeliveryRow).where(
        WebhookDeliveryRow.tenant == who.tenant,
        WebhookDeliveryRow.webhook_id == row.id,
        WebhookDeliveryRow.state == "pending",
    )
    for delivery in (await uow.session.execute(pending)).scalars():
        await uow.session.delete(delivery)
    await uow.session.delete(row)


# A tenant has few webhooks and a webhook's deliveries are indexed by webhook: the tenant's and
# webhook's rows serve every order.
WEBHOOK_ORDERS = {
    "create_time": WebhookRow.create_time,
    "update_time": WebhookRow.update_time,
    "display_name": WebhookRow.display_name,
}
# Deliveries not due again (delivered or failed) have no next attempt: they sort after the rest.
NEVER = datetime(9999, 12, 31, tzinfo=UTC)
DELIVERY_ORDERS = {
    "create_time": WebhookDeliveryRow.create_time,
    "next_attempt_time": Filled(WebhookDeliveryRow.next_attempt_time, NEVER),
    "state": by_number(WebhookDeliveryRow.state, {name: n for n, name in STATES.items()}),
}


async def list_webhooks(uow: UnitOfWork, request: rpc.ListWebhooksRequest) -> Listed[WebhookRow]:
    """By id (creation order) unless asked otherwise, only those whose subsidiary the caller
    may read (group-wide ones for group-wide readers)."""
    who = current_principal()
    require_parent(request.parent, who.tenant)
    t, subsidiary = WebhookRow, request.subsidiary
    query = select(t).where(t.tenant == who.tenant)
    if subsidiary:
        subsidiary_id = SUBSIDIARY.parse_in_tenant(subsidiary, who.tenant, "subsidiary")[1]
        query = query.where(t.subsidiary_id == subsidiary_id)
    query = readable_only(query, t.subsidiary_id, who)
    fingerprint = ["webhooks", who.tenant, subsidiary]
    return await list_page(uow, query, t, request, fingerprint, WEBHOOK_ORDERS)


async def list_deliveries(
    uow: UnitOfWork, request: rpc.ListWebhookDeliveriesRequest
) -> Listed[WebhookDeliveryRow]:
    """Newest first (ids are ULIDs: they sort by creation time) unless asked otherwise."""
    who = current_principal()
    parent, state = request.parent, request.state
    webhook = await _load(uow, who, parent, "parent")
    who.require(READ_ROLES, _where(who, webhook))
    t = WebhookDeliveryRow
    query = select(t).where(t.tenant == who.tenant, t.webhook_id == webhook.id)
    if state:
        if state not in STATES:
            raise InvalidArgument("state", "is not a delivery state")
        query = query.where(t.state == STATES[state])
    fingerprint = ["deliveries", parent, state]
    return await list_page(uow, query, t, request, fingerprint, DELIVERY_ORDERS, newest_first=True)
