"""Social accounts of a brand: connected by its managers, read by its team."""

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import select
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.errors import FailedPrecondition, InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, Role
from vigie_runtime.tenant_rows import Listed, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.orm import KnownBrandRow, SocialAccountRow
from vigie_publisher.app import account_input as check
from vigie_publisher.app.common import load, named_batch, now
from vigie_publisher.app.names import BRAND, SOCIAL_ACCOUNT, SUBSIDIARY
from vigie_publisher.app.views import HEALTH_OF_PROTO
from vigie_publisher.domain.token_health import Health

MANAGERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)
UPDATABLE = ("display_name", "time_zone", "language", "credentials")


async def own_brand(uow: UnitOfWork, who: Principal, name: str, field: str) -> KnownBrandRow:
    """One of the tenant's own brands, as the directory last described it."""
    tenant, brand_id = BRAND.parse_in_tenant(name, who.tenant, field)
    row = await uow.session.get(KnownBrandRow, (tenant, brand_id))
    if row is None or row.deleted or row.kind != "own":
        raise NotFound("brand", name)
    return row


class _InSubsidiary(Protocol):
    tenant: str
    subsidiary_id: str


def subsidiary_of(row: _InSubsidiary) -> str:
    return SUBSIDIARY.format(row.tenant, row.subsidiary_id)


async def create(
    uow: UnitOfWork,
    vault: CredentialVault,
    who: Principal,
    parent: str,
    source: pb.SocialAccount,
    request_id: str,
) -> SocialAccountRow:
    brand = await own_brand(uow, who, parent, "parent")
    who.require(MANAGERS, subsidiary_of(brand))
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateSocialAccount")
    if earlier:
        return await get(uow, who, earlier)
    network = check.network(source.network)
    secrets, expiry = check.credentials(network, source.credentials)
    moment = now()
    row = SocialAccountRow(
        id=new_id(),
        tenant=who.tenant,
        brand_id=brand.id,
        subsidiary_id=brand.subsidiary_id,
        network=network,
        handle=check.handle(source.handle),
        display_name=source.display_name[:200],
        time_zone=check.time_zone(source.time_zone),
        language=source.language[:35],
        sealed_credentials=vault.seal(secrets),
        token_health=Health.OK.value,
        token_expires_at=expiry,
        health_cause="",
        deleted=False,
        version=1,
        created_at=moment,
        updated_at=moment,
    )
    uow.session.add(row)
    await uow.session.flush()
    name = SOCIAL_ACCOUNT.format(who.tenant, brand.id, row.id)
    await idempotency.remember(uow, who.tenant, request_id, "CreateSocialAccount", name)
    return row


async def get(uow: UnitOfWork, who: Principal, name: str) -> SocialAccountRow:
    _, brand_id, account_id = SOCIAL_ACCOUNT.parse_in_tenant(name, who.tenant)
    row = await load(uow, SocialAccountRow, "social_account", who.tenant, account_id, name)
    if row.brand_id != brand_id:
        raise NotFound("social_account", name)
    who.require(READ_ROLES, subsidiary_of(row))
    return row


# A brand has few accounts: no index beyond the brand's.
ORDERS = {
    "create_time": SocialAccountRow.created_at,
    "display_name": SocialAccountRow.display_name,
    "handle": SocialAccountRow.handle,
}


async def list_for_brand(
    uow: UnitOfWork, who: Principal, request: rpc.ListSocialAccountsRequest
) -> Listed[SocialAccountRow]:
    """A brand's accounts, of one network or token health when asked; by id unless asked
    otherwise."""
    brand = await own_brand(uow, who, request.parent, "parent")
    who.require(READ_ROLES, subsidiary_of(brand))
    query = select(SocialAccountRow).where(
        SocialAccountRow.tenant == who.tenant,
        SocialAccountRow.brand_id == brand.id,
        SocialAccountRow.deleted.is_(False),
    )
    if request.network:
        query = query.where(SocialAccountRow.network == check.network(request.network))
    if request.token_health:
        if request.token_health not in HEALTH_OF_PROTO:
            raise InvalidArgument("token_health", "must name a token health")
        query = query.where(SocialAccountRow.token_health == HEALTH_OF_PROTO[request.token_health])
    fingerprint = [
        "socialAccounts",
        who.tenant,
        brand.id,
        int(request.network),
        int(request.token_health),
    ]
    return await list_page(uow, query, SocialAccountRow, request, fingerprint, ORDERS)


async def update(
    uow: UnitOfWork,
    vault: CredentialVault,
    who: Principal,
    source: pb.SocialAccount,
    mask_paths: set[str],
) -> SocialAccountRow:
    row = await get(uow, who, source.name)
    who.require(MANAGERS, subsidiary_of(row))
    if source.etag:
        check_etag(source.etag, row.version)
    if "display_name" in mask_paths:
        row.display_name = source.display_name[:200]
    if "time_zone" in mask_paths:
        row.time_zone = check.time_zone(source.time_zone)
    if "language" in mask_paths:
        row.language = source.language[:35]
    if "credentials" in mask_paths:
        secrets, expiry = check.credentials(row.network, source.credentials)
        # Reconnecting: new credentials start healthy; warnings may be given again.
        row.sealed_credentials, row.token_expires_at = vault.seal(secrets), expiry
        row.token_health, row.health_cause, row.warned_for_expiry = "ok", "", None
    row.version += 1
    row.updated_at = now()
    return row


async def delete(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    row = await get(uow, who, name)
    who.require(MANAGERS, subsidiary_of(row))
    if etag:
        check_etag(etag, row.version)
    if row.deleted:
        raise FailedPrecondition("ACCOUNT_DELETED", f"{name} is already disconnected")
    row.deleted, row.sealed_credentials, row.updated_at = True, "", now()


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[SocialAccountRow]:
    """The accounts named, in the order asked; any unknown, disconnected, other tenant's or
    unreadable one makes the whole batch NOT_FOUND (AIP-231)."""
    rows = []
    for name, ids, row in await named_batch(
        uow, who, parent, names, SOCIAL_ACCOUNT, SocialAccountRow
    ):
        if row is None or row.deleted or row.brand_id != ids[1]:
            raise NotFound("social_account", name)
        if not who.holds(READ_ROLES, subsidiary_of(row)):
            raise NotFound("social_account", name)
        rows.append(row)
    return rows
