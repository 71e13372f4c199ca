"""Brands and competitors: managed by the social media managers of their subsidiary."""

from collections.abc import Sequence

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import select
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import events_pb2
from vigie.directory.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.clock import now
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag, paths_to_update
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, Role
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import MAX_BATCH, Listed, batch, list_page, load
from vigie_runtime.uow import UnitOfWork

from vigie_directory.adapters.orm import BrandRow
from vigie_directory.app import events, subsidiaries, views
from vigie_directory.app.names import BRAND, SUBSIDIARY
from vigie_directory.domain import validation as v

UPDATABLE = ("display_name", "aliases", "handles", "competitors")
MANAGERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)
_KINDS = {pb.BRAND_KIND_OWN: "own", pb.BRAND_KIND_COMPETITOR: "competitor"}


async def _apply(
    uow: UnitOfWork, who: Principal, row: BrandRow, source: pb.Brand, paths: set[str]
) -> None:
    if "display_name" in paths:
        row.display_name = v.display_name(source.display_name)
    if "aliases" in paths:
        row.aliases = v.short_list(source.aliases, "aliases")
    if "handles" in paths:
        if len(source.handles) > 50:
            raise InvalidArgument("handles", "at most 50 handles")
        row.handles = [list(v.handle(h.network, h.handle)) for h in source.handles]
    if "competitors" in paths:
        row.competitors = await _competitors(uow, who, row, source.competitors)


async def _competitors(
    uow: UnitOfWork, who: Principal, row: BrandRow, names: Sequence[str]
) -> list[str]:
    if len(names) > 50:
        raise InvalidArgument("competitors", "at most 50 competitors")
    ids = [BRAND.parse_in_tenant(n, who.tenant, "competitors")[1] for n in names]
    found = await batch(uow, BrandRow, who.tenant, ids)
    for name, brand_id in zip(names, ids, strict=True):
        competitor = found.get(brand_id)
        if competitor is None or competitor.kind != "competitor" or brand_id == row.id:
            raise InvalidArgument("competitors", f"{name} is not a competitor brand of this tenant")
    return list(dict.fromkeys(ids))


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.Brand, request_id: str
) -> BrandRow:
    require_parent(parent, who.tenant)
    subsidiary = await subsidiaries.get(uow, who, source.subsidiary or "tenants/-/subsidiaries/-")
    who.require(MANAGERS, source.subsidiary)
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateBrand")
    if earlier:
        return await get(uow, who, earlier)
    if source.kind not in _KINDS:
        raise InvalidArgument("kind", "must be BRAND_KIND_OWN or BRAND_KIND_COMPETITOR")
    moment = now()
    row = BrandRow(
        id=new_id(),
        tenant=who.tenant,
        subsidiary_id=subsidiary.id,
        kind=_KINDS[source.kind],
        version=1,
        created_at=moment,
        updated_at=moment,
    )
    await _apply(uow, who, row, source, set(UPDATABLE))
    uow.session.add(row)
    await uow.session.flush()
    name = BRAND.format(who.tenant, row.id)
    await idempotency.remember(uow, who.tenant, request_id, "CreateBrand", name)
    uow.emit(events.BRAND_CREATED, who.tenant, events_pb2.BrandCreated(brand=views.brand(row)))
    return row


def _subsidiary_name(row: BrandRow) -> str:
    return SUBSIDIARY.format(row.tenant, row.subsidiary_id)


async def get(uow: UnitOfWork, who: Principal, name: str) -> BrandRow:
    _, row_id = BRAND.parse_in_tenant(name, who.tenant)
    row = await load(uow, BrandRow, "brand", who.tenant, row_id, name)
    if (
        not who.holds(READ_ROLES, _subsidiary_name(row))
        and BRAND.format(row.tenant, row.id) not in who.brands
    ):
        raise NotFound("brand", name)
    return row


# The orders a list offers: small per tenant, so no index beyond the tenant's.
ORDERS = {
    "create_time": BrandRow.created_at,
    "update_time": BrandRow.updated_at,
    "display_name": BrandRow.display_name,
}


async def list_(
    uow: UnitOfWork, who: Principal, request: rpc.ListBrandsRequest
) -> Listed[BrandRow]:
    require_parent(request.parent, who.tenant)
    subsidiary, kind = request.subsidiary, request.kind
    query = select(BrandRow).where(BrandRow.tenant == who.tenant)
    allowed = who.subsidiaries_with(READ_ROLES)
    if allowed is not None:
        query = query.where(BrandRow.subsidiary_id.in_([SUBSIDIARY.parse(n)[1] for n in allowed]))
    if subsidiary:
        query = query.where(
            BrandRow.subsidiary_id
            == SUBSIDIARY.parse_in_tenant(subsidiary, who.tenant, "subsidiary")[1]
        )
    if kind:
        if kind not in _KINDS:
            raise InvalidArgument("kind", "unknown brand kind")
        query = query.where(BrandRow.kind == _KINDS[kind])
    fingerprint = ["brands", who.tenant, subsidiary, kind]
    return await list_page(uow, query, BrandRow, request, fingerprint, ORDERS)


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[BrandRow]:
    require_parent(parent, who.tenant)
    if len(names) > MAX_BATCH:
        raise InvalidArgument("names", f"at most {MAX_BATCH} names")
    ids = [BRAND.parse_in_tenant(n, who.tenant, "names")[1] for n in names]
    found = await batch(uow, BrandRow, who.tenant, ids)
    rows = []
    for name, row_id in zip(names, ids, strict=True):
        row = found.get(row_id)
        if row is None or not who.holds(READ_ROLES, _subsidiary_name(row)):
            raise NotFound("brand", name)
        rows.append(row)
    return rows


async def update(uow: UnitOfWork, who: Principal, source: pb.Brand, mask: FieldMask) -> BrandRow:
    row = await get(uow, who, source.name)
    who.require(MANAGERS, _subsidiary_name(row))
    check_etag(source.etag, row.version)
    await _apply(uow, who, row, source, paths_to_update(mask, UPDATABLE))
    row.version += 1
    row.updated_at = now()
    uow.emit(events.BRAND_UPDATED, who.tenant, events_pb2.BrandUpdated(brand=views.brand(row)))
    return row


async def delete(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    row = await get(uow, who, name)
    who.require(MANAGERS, _subsidiary_name(row))
    check_etag(etag, row.version)
    await uow.session.delete(row)
    uow.emit(events.BRAND_DELETED, who.tenant, events_pb2.BrandDeleted(name=name))
