"""Tracked accounts: a brand's (own or competitor) public accounts, measured without publishing.
Managers add and change them; the brand's team, analysts included, reads them."""

from collections.abc import Sequence
from urllib.parse import urlparse

from sqlalchemy import select
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.errors import AlreadyExists, InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal
from vigie_runtime.tenant_rows import Listed, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import KnownBrandRow, TrackedAccountRow
from vigie_publisher.app import account_input
from vigie_publisher.app.accounts import MANAGERS, subsidiary_of
from vigie_publisher.app.common import load, named_batch, now
from vigie_publisher.app.names import BRAND, TRACKED_ACCOUNT
from vigie_publisher.domain.presence.handles import BadHandle, normalized_handle

UPDATABLE = ("display_name", "instance_url")
_CREATE = "CreateTrackedAccount"


async def known_brand(uow: UnitOfWork, who: Principal, name: str) -> KnownBrandRow:
    """Any brand of the tenant the directory described, own or competitor."""
    tenant, brand_id = BRAND.parse_in_tenant(name, who.tenant, "parent")
    row = await uow.session.get(KnownBrandRow, (tenant, brand_id))
    if row is None or row.deleted:
        raise NotFound("brand", name)
    return row


def instance_url(text: str) -> str:
    text = text.strip().rstrip("/")
    if not text:
        return ""
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(text) > 500:
        raise InvalidArgument("instance_url", "must be an http(s) address, e.g. a Mastodon server")
    return text


def handle(network: str, text: str) -> str:
    try:
        return normalized_handle(network, text)
    except BadHandle as exc:
        raise InvalidArgument("handle", str(exc), reason="BAD_HANDLE") from exc


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.TrackedAccount, request_id: str
) -> TrackedAccountRow:
    brand = await known_brand(uow, who, parent)
    who.require(MANAGERS, subsidiary_of(brand))
    if earlier := await idempotency.created_before(uow, who.tenant, request_id, _CREATE):
        return await get(uow, who, earlier)
    network = account_input.network(source.network)
    row = TrackedAccountRow(
        id=new_id(), tenant=who.tenant, brand_id=brand.id, subsidiary_id=brand.subsidiary_id,
        network=network, handle=handle(network, source.handle),
        instance_url=instance_url(source.instance_url), display_name=source.display_name[:200],
        last_snapshot_at=None, last_error="", version=1, created_at=now(), updated_at=now(),
    )  # fmt: skip
    await _refuse_duplicate(uow, row)
    uow.session.add(row)
    await uow.session.flush()
    name = TRACKED_ACCOUNT.format(who.tenant, brand.id, row.id)
    await idempotency.remember(uow, who.tenant, request_id, _CREATE, name)
    return row


async def _refuse_duplicate(uow: UnitOfWork, row: TrackedAccountRow) -> None:
    query = select(TrackedAccountRow.id).where(
        TrackedAccountRow.tenant == row.tenant,
        TrackedAccountRow.brand_id == row.brand_id,
        TrackedAccountRow.network == row.network,
        TrackedAccountRow.handle == row.handle,
    )
    if (await uow.session.execute(query)).first() is not None:
        raise AlreadyExists(
            "TRACKED_ACCOUNT_EXISTS", f"the brand already tracks {row.handle} on {row.network}"
        )


async def get(uow: UnitOfWork, who: Principal, name: str) -> TrackedAccountRow:
    _, brand_id, account_id = TRACKED_ACCOUNT.parse_in_tenant(name, who.tenant)
    row = await load(uow, TrackedAccountRow, "tracked_account", who.tenant, account_id, name)
    if row.brand_id != brand_id:
        raise NotFound("tracked_account", name)
    who.require(READ_ROLES, subsidiary_of(row))
    return row


ORDERS = {"create_time": TrackedAccountRow.created_at, "handle": TrackedAccountRow.handle}


async def list_for_brand(
    uow: UnitOfWork, who: Principal, request: rpc.ListTrackedAccountsRequest
) -> Listed[TrackedAccountRow]:
    brand = await known_brand(uow, who, request.parent)
    who.require(READ_ROLES, subsidiary_of(brand))
    query = select(TrackedAccountRow).where(
        TrackedAccountRow.tenant == who.tenant, TrackedAccountRow.brand_id == brand.id
    )
    if request.network:
        query = query.where(TrackedAccountRow.network == account_input.network(request.network))
    fingerprint = ["trackedAccounts", who.tenant, brand.id, int(request.network)]
    return await list_page(uow, query, TrackedAccountRow, request, fingerprint, ORDERS)


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[TrackedAccountRow]:
    """In the order asked; one unknown or unreadable name makes the batch NOT_FOUND."""
    rows = []
    found = await named_batch(uow, who, parent, names, TRACKED_ACCOUNT, TrackedAccountRow)
    for name, ids, row in found:
        if row is None or row.brand_id != ids[1] or not who.holds(READ_ROLES, subsidiary_of(row)):
            raise NotFound("tracked_account", name)
        rows.append(row)
    return rows


async def update(
    uow: UnitOfWork, who: Principal, source: pb.TrackedAccount, paths: set[str]
) -> TrackedAccountRow:
    row = await get(uow, who, source.name)
    who.require(MANAGERS, subsidiary_of(row))
    check_etag(source.etag, row.version)
    if "display_name" in paths:
        row.display_name = source.display_name[:200]
    if "instance_url" in paths:
        row.instance_url = instance_url(source.instance_url)
    row.version, row.updated_at = row.version + 1, now()
    return row


async def delete(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    row = await get(uow, who, name)
    who.require(MANAGERS, subsidiary_of(row))
    check_etag(etag, row.version)
    await uow.session.delete(row)
