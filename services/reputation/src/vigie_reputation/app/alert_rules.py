"""Alert rules within the caller's tenant: create (idempotent by request id), read, list,
update under a field mask and an etag, delete. A rule scoped to a subsidiary needs a manager's
role there; a group-wide rule, a group-wide one."""

import json
from datetime import UTC, datetime

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import ColumnElement, Text, cast, or_, select
from sqlalchemy import delete as sql_delete
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime import idempotency, tenant_rows
from vigie_runtime.errors import NotFound
from vigie_runtime.field_masks import check_etag, paths_to_update
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, current_principal
from vigie_runtime.resource_names import ResourcePattern, require_parent
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import AlertMemoryRow, AlertRuleRow
from vigie_reputation.app.access import BRAND, WRITE_ROLES, readable_only, subsidiary_name
from vigie_reputation.app.alert_rule_fields import UPDATABLE, columns
from vigie_reputation.app.alert_views import alert_rule

ALERT_RULE = ResourcePattern("alert_rule", ("tenants", "alertRules"))


def _where(row: AlertRuleRow) -> str | None:
    return subsidiary_name(row.tenant, row.subsidiary_id) if row.subsidiary_id else None


async def create(uow: UnitOfWork, parent: str, rule: pb.AlertRule, request_id: str) -> AlertRuleRow:
    who = current_principal()
    require_parent(parent, who.tenant)
    values = await columns(uow, who, rule)
    sub = values["subsidiary_id"]
    who.require(WRITE_ROLES, subsidiary_name(who.tenant, sub) if sub else None)
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateAlertRule")
    if earlier:
        return await get(uow, earlier)
    now = datetime.now(UTC)
    row = AlertRuleRow(
        tenant=who.tenant, id=new_id(), version=1, create_time=now, update_time=now, **values
    )
    uow.session.add(row)
    name = ALERT_RULE.format(who.tenant, row.id)
    await idempotency.remember(uow, who.tenant, request_id, "CreateAlertRule", name)
    return row


async def _load(uow: UnitOfWork, who: Principal, name: str) -> AlertRuleRow:
    _, rule_id = ALERT_RULE.parse_in_tenant(name, who.tenant)
    row = await uow.session.get(AlertRuleRow, (who.tenant, rule_id))
    if row is None or not who.holds(READ_ROLES, _where(row)):
        raise NotFound("alert_rule", name)
    return row


async def get(uow: UnitOfWork, name: str) -> AlertRuleRow:
    return await _load(uow, current_principal(), name)


# A tenant has few alert rules: no index beyond the tenant's.
RULE_ORDERS = {
    "create_time": AlertRuleRow.create_time,
    "update_time": AlertRuleRow.update_time,
    "display_name": AlertRuleRow.display_name,
}


async def list_rules(
    uow: UnitOfWork, request: rpc.ListAlertRulesRequest
) -> tenant_rows.Listed[AlertRuleRow]:
    """The caller's visible rules; with `brand`, those covering it (listing it, or every brand).
    By id (creation order) unless asked otherwise."""
    who = current_principal()
    require_parent(request.parent, who.tenant)
    brand = request.brand
    brand_id = BRAND.parse_in_tenant(brand, who.tenant, "brand")[1] if brand else ""
    query = select(AlertRuleRow).where(AlertRuleRow.tenant == who.tenant)
    query = readable_only(query, AlertRuleRow.subsidiary_id, who)
    if brand_id:
        query = query.where(_covers(brand_id))
    fingerprint = ["alertRules", who.tenant, brand_id]
    return await tenant_rows.list_page(uow, query, AlertRuleRow, request, fingerprint, RULE_ORDERS)


def _covers(brand_id: str) -> ColumnElement[bool]:
    """Rules listing the brand or every brand (no brand listed), in SQL so pages stay full and
    the count agrees. `brand_ids` is stored as a JSON array of quoted ids, the same text on
    SQLite and PostgreSQL (json keeps its input): the quoted id matches one whole element."""
    stored = cast(AlertRuleRow.brand_ids, Text)
    quoted = json.dumps(brand_id)
    escaped = quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(stored == json.dumps([]), stored.like(f"%{escaped}%", escape="\\"))


async def update(uow: UnitOfWork, source: pb.AlertRule, mask: FieldMask) -> AlertRuleRow:
    who = current_principal()
    row = await _load(uow, who, source.name)
    who.require(WRITE_ROLES, _where(row))
    check_etag(source.etag, row.version)
    merged = alert_rule(row)
    for path in paths_to_update(mask, UPDATABLE):
        merged.ClearField(path)  # type: ignore[arg-type]
        merged.MergeFrom(_only(source, path))
    values = await columns(uow, who, merged)
    sub = values["subsidiary_id"]
    who.require(WRITE_ROLES, subsidiary_name(who.tenant, sub) if sub else None)
    for column, value in values.items():
        setattr(row, column, value)
    row.version += 1
    row.update_time = datetime.now(UTC)
    return row


def _only(source: pb.AlertRule, path: str) -> pb.AlertRule:
    part = pb.AlertRule()
    mask = FieldMask(paths=[path])
    mask.MergeMessage(source, part)
    return part


async def delete(uow: UnitOfWork, name: str, etag: str) -> None:
    who = current_principal()
    row = await _load(uow, who, name)
    who.require(WRITE_ROLES, _where(row))
    check_etag(etag, row.version)
    await uow.session.execute(
        sql_delete(AlertMemoryRow).where(
            AlertMemoryRow.tenant == who.tenant, AlertMemoryRow.rule_id == row.id
        )
    )
    await uow.session.delete(row)
