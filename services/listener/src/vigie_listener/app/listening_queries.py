"""Listening queries of a brand: managed by the social media managers of its subsidiary."""

from collections.abc import Sequence

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import select
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag, paths_to_update
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, Role
from vigie_runtime.resource_names import TENANT
from vigie_runtime.tenant_rows import Listed, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import KnownBrandRow, ListeningQueryRow
from vigie_listener.app.common import MAX_BATCH, known_brand, now, subsidiary_of
from vigie_listener.app.errors import QueryRefused
from vigie_listener.app.names import BRAND, LISTENING_QUERY, SUBSIDIARY
from vigie_listener.domain.query_checks import check_languages, check_query

UPDATABLE = ("display_name", "query", "active", "languages")
MANAGERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)


def _apply(row: ListeningQueryRow, source: pb.ListeningQuery, paths: set[str]) -> None:
    if "display_name" in paths:
        name = source.display_name.strip()
        if not 1 <= len(name) <= 100:
            raise InvalidArgument("listening_query.display_name", "1 to 100 characters")
        row.display_name = name
    if "query" in paths:
        _, problems = check_query(source.query)
        if problems:
            raise QueryRefused("listening_query.query", problems[0])
        row.query = source.query
    if "active" in paths:
        row.active = source.active
    if "languages" in paths:
        why = check_languages(list(source.languages))
        if why:
            raise InvalidArgument("listening_query.languages", why)
        row.languages = list(dict.fromkeys(source.languages))


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.ListeningQuery, request_id: str
) -> ListeningQueryRow:
    brand = await known_brand(uow, who, parent, "parent")
    who.require(MANAGERS, subsidiary_of(brand))
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateListeningQuery")
    if earlier:
        return await get(uow, who, earlier)
    moment = now()
    row = ListeningQueryRow(
        id=new_id(), tenant=who.tenant, brand_id=brand.id, deleted=False, version=1,
        created_at=moment, updated_at=moment,
    )  # fmt: skip
    _apply(row, source, set(UPDATABLE))
    uow.session.add(row)
    await uow.session.flush()
    name = LISTENING_QUERY.format(who.tenant, brand.id, row.id)
    await idempotency.remember(uow, who.tenant, request_id, "CreateListeningQuery", name)
    return row


async def get(uow: UnitOfWork, who: Principal, name: str) -> ListeningQueryRow:
    tenant, brand_id, query_id = LISTENING_QUERY.parse_in_tenant(name, who.tenant)
    row = await uow.session.get(ListeningQueryRow, query_id)
    if row is None or row.deleted or row.tenant != tenant or row.brand_id != brand_id:
        raise NotFound("listening_query", name)
    await known_brand(uow, who, BRAND.format(tenant, brand_id), "name")
    return row


# A brand has few queries: the tenant's and brand's index serves every order.
QUERY_ORDERS = {
    "create_time": ListeningQueryRow.created_at,
    "update_time": ListeningQueryRow.updated_at,
    "display_name": ListeningQueryRow.display_name,
}


async def list_(
    uow: UnitOfWork, who: Principal, request: rpc.ListListeningQueriesRequest
) -> Listed[ListeningQueryRow]:
    parent = request.parent
    active = request.active if request.HasField("active") else None
    query = (
        select(ListeningQueryRow)
        .join(
            KnownBrandRow,
            (KnownBrandRow.tenant == ListeningQueryRow.tenant)
            & (KnownBrandRow.id == ListeningQueryRow.brand_id),
        )
        .where(ListeningQueryRow.tenant == who.tenant, ListeningQueryRow.deleted.is_(False))
    )
    if parent.count("/") > 1:
        brand = await known_brand(uow, who, parent, "parent")
        query = query.where(ListeningQueryRow.brand_id == brand.id)
    elif TENANT.parse(parent, "parent")[0] != who.tenant:
        raise NotFound("tenant", parent)
    allowed = who.subsidiaries_with(READ_ROLES)
    if allowed is not None:
        ids = [SUBSIDIARY.parse(n)[1] for n in allowed]
        query = query.where(KnownBrandRow.subsidiary_id.in_(ids))
    if active is not None:
        query = query.where(ListeningQueryRow.active.is_(active))
    fingerprint = ["listening_queries", who.tenant, parent, active]
    return await list_page(uow, query, ListeningQueryRow, request, fingerprint, QUERY_ORDERS)


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[ListeningQueryRow]:
    if TENANT.parse(parent, "parent")[0] != who.tenant:
        raise NotFound("tenant", parent)
    if len(names) > MAX_BATCH:
        raise InvalidArgument("names", f"at most {MAX_BATCH} names")
    return [await get(uow, who, name) for name in names]


async def update(
    uow: UnitOfWork, who: Principal, source: pb.ListeningQuery, mask: FieldMask
) -> ListeningQueryRow:
    row = await get(uow, who, source.name)
    brand = await uow.session.get(KnownBrandRow, (row.tenant, row.brand_id))
    who.require(MANAGERS, subsidiary_of(brand) if brand else None)
    check_etag(source.etag, row.version)
    _apply(row, source, paths_to_update(mask, UPDATABLE))
    row.version += 1
    row.updated_at = now()
    return row


async def delete(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    row = await get(uow, who, name)
    brand = await uow.session.get(KnownBrandRow, (row.tenant, row.brand_id))
    who.require(MANAGERS, subsidiary_of(brand) if brand else None)
    check_etag(etag, row.version)
    row.deleted = True
    row.version += 1
    row.updated_at = now()
