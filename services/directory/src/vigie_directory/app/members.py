"""Members (people) of a tenant and their roles."""

from collections.abc import Sequence

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import select
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import events_pb2
from vigie.directory.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.clock import now
from vigie_runtime.errors import AlreadyExists, InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag, paths_to_update
from vigie_runtime.ids import new_id
from vigie_runtime.ordering import Order, after_key, key_of, parse_order_by, sort_clauses
from vigie_runtime.pagination import decode_page_token, encode_page_token, page_size
from vigie_runtime.principal import READ_ROLES, Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import MAX_BATCH, Listed, batch, load
from vigie_runtime.uow import UnitOfWork

from vigie_directory.adapters.orm import MemberRow
from vigie_directory.adapters.passwords import hash_secret
from vigie_directory.app import events, grants, views
from vigie_directory.app.names import MEMBER
from vigie_directory.domain import validation as v

UPDATABLE = ("display_name", "roles")


def visible(who: Principal, row: MemberRow) -> bool:
    """Self; anyone with a group-wide role; or a colleague in one of the member's subsidiaries."""
    if who.subject == MEMBER.format(row.tenant, row.id):
        return True
    allowed = who.subsidiaries_with(READ_ROLES)
    if allowed is None:
        return True
    return any(g.subsidiary in allowed for g in grants.from_json(row.tenant, row.roles))


async def _email_free(uow: UnitOfWork, email: str) -> None:
    taken = await uow.session.scalar(select(MemberRow.id).where(MemberRow.email == email))
    if taken:
        raise AlreadyExists("EMAIL_TAKEN", "a member with this e-mail already exists")


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.Member, password: str, request_id: str
) -> MemberRow:
    require_parent(parent, who.tenant)
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateMember")
    if earlier:
        return await get(uow, who, earlier)
    granted = await grants.parse(uow, who.tenant, source.roles)
    grants.require_may_grant(who, granted)
    email = v.email(source.email)
    await _email_free(uow, email)
    moment = now()
    row = MemberRow(
        id=new_id(),
        tenant=who.tenant,
        email=email,
        display_name=v.display_name(source.display_name),
        password_hash=hash_secret(v.password(password)),
        roles=grants.to_json(who.tenant, granted),
        version=1,
        created_at=moment,
        updated_at=moment,
    )
    uow.session.add(row)
    await uow.session.flush()
    await idempotency.remember(uow, who.tenant, request_id, "CreateMember", views.member(row).name)
    uow.emit(events.MEMBER_CREATED, who.tenant, events_pb2.MemberChanged(member=views.member(row)))
    return row


async def get(uow: UnitOfWork, who: Principal, name: str) -> MemberRow:
    _, row_id = MEMBER.parse_in_tenant(name, who.tenant)
    row = await load(uow, MemberRow, "member", who.tenant, row_id, name)
    if not visible(who, row):
        raise NotFound("member", name)
    return row


# The orders a list offers: members are few per tenant, so no index beyond the tenant's.
ORDERS = {
    "create_time": MemberRow.created_at,
    "update_time": MemberRow.updated_at,
    "display_name": MemberRow.display_name,
}


async def list_(
    uow: UnitOfWork, who: Principal, request: rpc.ListMembersRequest
) -> Listed[MemberRow]:
    require_parent(request.parent, who.tenant)
    size = page_size(request.page_size)
    order = parse_order_by(request.order_by, ORDERS) or Order("id", MemberRow.id, False)
    fingerprint = ["members", who.tenant, request.subsidiary, order.text]
    after = decode_page_token(request.page_token, fingerprint)
    query = select(MemberRow).where(MemberRow.tenant == who.tenant)
    if after:
        query = query.where(after_key(order, MemberRow.id, after))
    query = query.order_by(*sort_clauses(order, MemberRow.id))
    rows: list[MemberRow] = []
    # Role grants are JSON: visibility is decided here, streaming until a page is full.
    for row in (await uow.session.execute(query)).scalars():
        if _listed(who, row, request.subsidiary):
            rows.append(row)
            if len(rows) > size:
                break
    last = rows[size - 1] if len(rows) > size else None
    return Listed(
        rows=rows[:size],
        next_page_token=encode_page_token(key_of(order, last), fingerprint) if last else "",
        total_size=await _count(uow, who, request.subsidiary) if request.show_total_size else 0,
    )


def _listed(who: Principal, row: MemberRow, subsidiary: str) -> bool:
    in_subsidiary = not subsidiary or any(
        g.subsidiary in (subsidiary, None) for g in grants.from_json(row.tenant, row.roles)
    )
    return in_subsidiary and visible(who, row)


async def _count(uow: UnitOfWork, who: Principal, subsidiary: str) -> int:
    """Members are few per tenant: counting reads them all, as the list's filter is in Python."""
    query = select(MemberRow).where(MemberRow.tenant == who.tenant)
    return sum(
        1 for row in (await uow.session.execute(query)).scalars() if _listed(who, row, subsidiary)
    )


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[MemberRow]:
    require_parent(parent, who.tenant)
    if len(names) > MAX_BATCH:
        raise InvalidArgument("names", f"at most {MAX_BATCH} names")
    ids = [MEMBER.parse_in_tenant(n, who.tenant, "names")[1] for n in names]
    found = await batch(uow, MemberRow, who.tenant, ids)
    rows = []
    for name, row_id in zip(names, ids, strict=True):
        row = found.get(row_id)
        if row is None or not visible(who, row):
            raise NotFound("member", name)
        rows.append(row)
    return rows


async def update(uow: UnitOfWork, who: Principal, source: pb.Member, mask: FieldMask) -> MemberRow:
    row = await get(uow, who, source.name)
    check_etag(source.etag, row.version)
    paths = paths_to_update(mask, UPDATABLE)
    is_self = who.subject == source.name
    if "roles" in paths or not is_self:
        # Changing someone (or one's own roles) needs the authority over old and new grants.
        grants.require_may_grant(who, grants.from_json(row.tenant, row.roles))
    if "display_name" in paths:
        row.display_name = v.display_name(source.display_name)
    if "roles" in paths:
        granted = await grants.parse(uow, who.tenant, source.roles)
        grants.require_may_grant(who, granted)
        row.roles = grants.to_json(who.tenant, granted)
    row.version += 1
    row.updated_at = now()
    uow.emit(events.MEMBER_UPDATED, who.tenant, events_pb2.MemberChanged(member=views.member(row)))
    return row


async def delete(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    row = await get(uow, who, name)
    check_etag(etag, row.version)
    grants.require_may_grant(who, grants.from_json(row.tenant, row.roles))
    await uow.session.delete(row)
    uow.emit(events.MEMBER_DELETED, who.tenant, events_pb2.MemberDeleted(name=name))
