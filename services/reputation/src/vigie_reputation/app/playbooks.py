"""Playbooks of a brand or a subsidiary, within the caller's tenant: create (idempotent by
request id), read, list, update under a field mask and an etag, delete. Reading needs a read
role where the playbook applies; changing it, a manager's role there."""

from datetime import UTC, datetime

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import select
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie_runtime import idempotency, tenant_rows
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag, paths_to_update
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, Role, current_principal
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import PlaybookRow
from vigie_reputation.app.access import WRITE_ROLES, brand_subsidiary, subsidiary_name
from vigie_reputation.app.playbook_fields import UPDATABLE, columns
from vigie_reputation.app.playbook_views import playbook, playbook_name

SCOPE_PATTERNS = {
    "brands": ("brand", ResourcePattern("brand", ("tenants", "brands"))),
    "subsidiaries": ("subsidiary", ResourcePattern("subsidiary", ("tenants", "subsidiaries"))),
}
PLAYBOOK_PATTERNS = {
    "brands": ResourcePattern("playbook", ("tenants", "brands", "playbooks")),
    "subsidiaries": ResourcePattern("playbook", ("tenants", "subsidiaries", "playbooks")),
}


def _parent(name: str, tenant: str, field: str = "parent") -> tuple[str, str]:
    """(scope, scope id) of `tenants/{t}/brands/{b}` or `tenants/{t}/subsidiaries/{s}`."""
    collection = name.split("/")[2] if name.count("/") >= 2 else ""
    if collection not in SCOPE_PATTERNS:
        raise InvalidArgument(field, "expected tenants/{t}/brands/{b} or .../subsidiaries/{s}")
    scope, pattern = SCOPE_PATTERNS[collection]
    return scope, pattern.parse_in_tenant(name, tenant, field)[1]


async def _where(uow: UnitOfWork, tenant: str, scope: str, scope_id: str) -> str | None:
    """The subsidiary whose roles govern the scope (group-wide when unknown)."""
    if scope == "subsidiary":
        return subsidiary_name(tenant, scope_id)
    return await brand_subsidiary(uow, tenant, scope_id)


async def _require(
    uow: UnitOfWork, who: Principal, scope: str, scope_id: str, roles: tuple[Role, ...]
) -> None:
    who.require(roles, await _where(uow, who.tenant, scope, scope_id))


async def create(uow: UnitOfWork, parent: str, source: cr.Playbook, request_id: str) -> PlaybookRow:
    who = current_principal()
    scope, scope_id = _parent(parent, who.tenant)
    await _require(uow, who, scope, scope_id, WRITE_ROLES)
    values = await columns(uow, who, source)
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreatePlaybook")
    if earlier:
        return await get(uow, earlier)
    now = datetime.now(UTC)
    row = PlaybookRow(
        tenant=who.tenant,
        id=new_id(),
        scope=scope,
        scope_id=scope_id,
        version=1,
        create_time=now,
        update_time=now,
        **values,
    )
    uow.session.add(row)
    await idempotency.remember(uow, who.tenant, request_id, "CreatePlaybook", playbook_name(row))
    return row


async def _load(uow: UnitOfWork, who: Principal, name: str) -> PlaybookRow:
    collection = name.split("/")[2] if name.count("/") >= 2 else ""
    pattern = PLAYBOOK_PATTERNS.get(collection, PLAYBOOK_PATTERNS["brands"])
    _, scope_id, playbook_id = pattern.parse_in_tenant(name, who.tenant)
    row = await uow.session.get(PlaybookRow, (who.tenant, playbook_id))
    if row is None or row.scope_id != scope_id or playbook_name(row) != name:
        raise NotFound("playbook", name)
    if not who.holds(READ_ROLES, await _where(uow, who.tenant, row.scope, row.scope_id)):
        raise NotFound("playbook", name)
    return row


async def get(uow: UnitOfWork, name: str) -> PlaybookRow:
    return await _load(uow, current_principal(), name)


# A brand or a subsidiary has few playbooks: the (tenant, scope, scope_id, id) index serves
# every order.
PLAYBOOK_ORDERS = {
    "create_time": PlaybookRow.create_time,
    "update_time": PlaybookRow.update_time,
    "display_name": PlaybookRow.display_name,
}


async def list_playbooks(
    uow: UnitOfWork, request: cr.ListPlaybooksRequest
) -> tenant_rows.Listed[PlaybookRow]:
    """A brand's or a subsidiary's playbooks, by id (creation order) unless asked otherwise."""
    who = current_principal()
    scope, scope_id = _parent(request.parent, who.tenant)
    await _require(uow, who, scope, scope_id, READ_ROLES)
    t = PlaybookRow
    query = select(t).where(t.tenant == who.tenant, t.scope == scope, t.scope_id == scope_id)
    fingerprint = ["playbooks", who.tenant, scope, scope_id]
    return await tenant_rows.list_page(uow, query, t, request, fingerprint, PLAYBOOK_ORDERS)


async def update(uow: UnitOfWork, source: cr.Playbook, mask: FieldMask) -> PlaybookRow:
    who = current_principal()
    row = await _load(uow, who, source.name)
    await _require(uow, who, row.scope, row.scope_id, WRITE_ROLES)
    check_etag(source.etag, row.version)
    merged = playbook(row)
    for path in paths_to_update(mask, UPDATABLE):
        merged.ClearField(path)  # type: ignore[arg-type]
        part = cr.Playbook()
        FieldMask(paths=[path]).MergeMessage(source, part)
        merged.MergeFrom(part)
    for column, value in (await columns(uow, who, merged)).items():
        setattr(row, column, value)
    row.version += 1
    row.update_time = datetime.now(UTC)
    return row


async def delete(uow: UnitOfWork, name: str, etag: str) -> None:
    who = current_principal()
    row = await _load(uow, who, name)
    await _require(uow, who, row.scope, row.scope_id, WRITE_ROLES)
    check_etag(etag, row.version)
    await uow.session.delete(row)
