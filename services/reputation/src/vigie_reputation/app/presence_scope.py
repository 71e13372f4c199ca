"""What a presence request covers, parsed within the caller's tenant and checked against the
caller's roles: an account, a brand, a subsidiary's own brands, or the group."""

from dataclasses import dataclass

from sqlalchemy import select
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.principal import READ_ROLES, Principal
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import KnownBrandRow, KnownSubsidiaryRow, PresenceAccountRow
from vigie_reputation.app import access

_ACCOUNT_KINDS = ("socialAccounts", "trackedAccounts")
_SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))


@dataclass(frozen=True)
class PresenceScope:
    kind: str  # account, brand, subsidiary, group
    tenant: str
    # The account (account scope), the brand (brand scope), the subsidiary (subsidiary scope).
    id: str
    # The subsidiary whose time zone the days follow ("" for the group).
    subsidiary_id: str


async def parse_scope(uow: UnitOfWork, who: Principal, name: str, field: str) -> PresenceScope:
    parts = name.split("/")
    if len(parts) == 6 and parts[4] in _ACCOUNT_KINDS:
        return await _account(uow, who, name, field)
    if len(parts) == 4 and parts[2] == "brands":
        return await _brand(uow, who, name, field)
    if len(parts) == 4 and parts[2] == "subsidiaries":
        _, subsidiary_id = _SUBSIDIARY.parse_in_tenant(name, who.tenant, field)
        who.require(READ_ROLES, access.subsidiary_name(who.tenant, subsidiary_id))
        if await uow.session.get(KnownSubsidiaryRow, (who.tenant, subsidiary_id)) is None:
            raise NotFound("subsidiary", name)
        return PresenceScope("subsidiary", who.tenant, subsidiary_id, subsidiary_id)
    if len(parts) == 2 and parts[0] == "tenants" and parts[1]:
        if parts[1] != who.tenant:
            raise NotFound("tenant", name)
        who.require(READ_ROLES)  # the group view is for group-wide roles
        return PresenceScope("group", who.tenant, who.tenant, "")
    raise InvalidArgument(
        field, "expected an account, brand, subsidiary or tenant name", "SCOPE_INVALID"
    )


async def _brand(uow: UnitOfWork, who: Principal, name: str, field: str) -> PresenceScope:
    _, brand_id = access.BRAND.parse_in_tenant(name, who.tenant, field)
    known = await uow.session.get(KnownBrandRow, (who.tenant, brand_id))
    if known is None or known.deleted:
        raise NotFound("brand", name)
    await access.require_on_brand(uow, who, brand_id)
    return PresenceScope("brand", who.tenant, brand_id, known.subsidiary_id)


async def _account(uow: UnitOfWork, who: Principal, name: str, field: str) -> PresenceScope:
    parts = name.split("/")
    if parts[1] != who.tenant:
        raise NotFound("account", name)
    access.BRAND.parse("/".join(parts[:4]), field)
    row = await uow.session.get(PresenceAccountRow, (who.tenant, name))
    if row is None:
        raise NotFound("account", name)
    await access.require_on_brand(uow, who, row.brand_id)
    return PresenceScope("account", who.tenant, name, row.subsidiary_id)


async def subsidiaries_of_group(uow: UnitOfWork, tenant: str) -> list[str]:
    """The subsidiaries that have own brands, in id order."""
    table = KnownBrandRow
    query = (
        select(table.subsidiary_id)
        .where(table.tenant == tenant, table.kind == "own", table.deleted.is_(False))
        .distinct()
        .order_by(table.subsidiary_id)
    )
    return [s for s in (await uow.session.execute(query)).scalars() if s]
