"""Subsidiaries: created and changed by group admins, visible to whoever holds a role there."""

from collections.abc import Sequence

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import func, select
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import events_pb2
from vigie.directory.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.clock import now
from vigie_runtime.errors import FailedPrecondition, InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag, paths_to_update
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, Role
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import MAX_BATCH, Listed, batch, list_page, load
from vigie_runtime.uow import UnitOfWork

from vigie_directory.adapters.orm import BrandRow, SubsidiaryRow
from vigie_directory.app import events, views
from vigie_directory.app.names import SUBSIDIARY
from vigie_directory.domain import validation as v

UPDATABLE = ("display_name", "country", "locale", "time_zone", "data_region")


def _apply(row: SubsidiaryRow, source: pb.Subsidiary, paths: set[str]) -> None:
    if "display_name" in paths:
        row.display_name = v.display_name(source.display_name)
    if "country" in paths:
        row.country = v.country(source.country)
    if "locale" in paths:
        row.locale = v.locale(source.locale)
    if "time_zone" in paths:
        row.time_zone = v.time_zone(source.time_zone)
    if "data_region" in paths:
        row.data_region = v.data_region(source.data_region or "local")


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.Subsidiary, request_id: str
) -> SubsidiaryRow:
    require_parent(parent, who.tenant)
    who.require([Role.GROUP_ADMIN])
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateSubsidiary")
    if earlier:
        return await get(uow, who, earlier)
    moment = now()
    row = SubsidiaryRow(
        id=new_id(), tenant=who.tenant, version=1, created_at=moment, updated_at=moment
    )
    _apply(row, source, set(UPDATABLE))
    uow.session.add(row)
    await uow.session.flush()
    name = SUBSIDIARY.format(who.tenant, row.id)
    await idempotency.remember(uow, who.tenant, request_id, "CreateSubsidiary", name)
    uow.emit(events.SUBSIDIARY_CREATED, who.tenant, _event(row))
    return row


def _event(row: SubsidiaryRow) -> events_pb2.SubsidiaryChanged:
    return events_pb2.SubsidiaryChanged(subsidiary=views.subsidiary(row))


def visible(who: Principal, row: SubsidiaryRow) -> bool:
    return who.holds(READ_ROLES, SUBSIDIARY.format(row.tenant, row.id))


async def get(uow: UnitOfWork, who: Principal, name: str) -> SubsidiaryRow:
    _, row_id = SUBSIDIARY.parse_in_tenant(name, who.tenant)
    row = await load(uow, SubsidiaryRow, "subsidiary", who.tenant, row_id, name)
    if not visible(who, row):
        raise NotFound("subsidiary", name)
    return row


# The orders a list offers: small per tenant, so no index beyond the tenant's.
ORDERS = {
    "create_time": SubsidiaryRow.created_at,
    "update_time": SubsidiaryRow.updated_at,
    "display_name": SubsidiaryRow.display_name,
}


async def list_(
    uow: UnitOfWork, who: Principal, request: rpc.ListSubsidiariesRequest
) -> Listed[SubsidiaryRow]:
    require_parent(request.parent, who.tenant)
    query = select(SubsidiaryRow).where(SubsidiaryRow.tenant == who.tenant)
    allowed = who.subsidiaries_with(READ_ROLES)
    if allowed is not None:
        query = query.where(SubsidiaryRow.id.in_([SUBSIDIARY.parse(n)[1] for n in allowed]))
    fingerprint = ["subsidiaries", who.tenant]
    return await list_page(uow, query, SubsidiaryRow, request, fingerprint, ORDERS)


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[SubsidiaryRow]:
    require_parent(parent, who.tenant)
    if len(names) > MAX_BATCH:
        raise InvalidArgument("names", f"at most {MAX_BATCH} names")
    ids = [SUBSIDIARY.parse_in_tenant(n, who.tenant, "names")[1] for n in names]
    found = await batch(uow, SubsidiaryRow, who.tenant, ids)
    rows = []
    for name, row_id in zip(names, ids, strict=True):
        row = found.get(row_id)
        if row is None or not visible(who, row):
            raise NotFound("subsidiary", name)
        rows.append(row)
    return rows


async def update(
    uow: UnitOfWork, who: Principal, source: pb.Subsidiary, mask: FieldMask
) -> SubsidiaryRow:
    row = await get(uow, who, source.name)
    who.require([Role.GROUP_ADMIN])
    check_etag(source.etag, row.version)
    _apply(row, source, paths_to_update(mask, UPDATABLE))
    row.version += 1
    row.updated_at = now()
    uow.emit(events.SUBSIDIARY_UPDATED, who.tenant, _event(row))
    return row


async def delete(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    row = await get(uow, who, name)
    who.require([Role.GROUP_ADMIN])
    check_etag(etag, row.version)
    brands = await uow.session.scalar(
        select(func.count()).select_from(BrandRow).where(BrandRow.subsidiary_id == row.id)
    )
    if brands:
        raise FailedPrecondition("SUBSIDIARY_HAS_BRANDS", "move or delete its brands first")
    await uow.session.delete(row)
