"""Who may read or change what: brand names parsed within the caller's tenant, roles checked
against the brand's subsidiary (from the directory's replica)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute
from vigie_runtime.principal import READ_ROLES, Principal, Role
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import KnownBrandRow

BRAND = ResourcePattern("brand", ("tenants", "brands"))
SENTIMENT = ResourcePattern("sentiment", ("tenants", "brands", "mentions"))
# AIP-159: `tenants/{tenant}/brands/-` reads across the group's own brands.
GROUP = "-"
WRITE_ROLES = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)
CORRECT_ROLES = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER, Role.COMMUNITY_MANAGER)


@dataclass(frozen=True)
class BrandScope:
    """The brands a read covers: one brand, or every own brand of the group."""

    tenant: str
    brand_ids: list[str]
    is_group: bool


def subsidiary_name(tenant: str, subsidiary_id: str) -> str:
    return f"tenants/{tenant}/subsidiaries/{subsidiary_id}"


async def brand_subsidiary(uow: UnitOfWork, tenant: str, brand_id: str) -> str | None:
    row = await uow.session.get(KnownBrandRow, (tenant, brand_id))
    if row is None or not row.subsidiary_id:
        return None
    return subsidiary_name(tenant, row.subsidiary_id)


async def require_on_brands(
    uow: UnitOfWork, who: Principal, brand_ids: Iterable[str], roles: Iterable[Role] = READ_ROLES
) -> None:
    """`require_on_brand` for several brands, with one query for all their subsidiaries."""
    wanted = set(brand_ids)
    if not wanted:
        return
    query = select(KnownBrandRow.id, KnownBrandRow.subsidiary_id).where(
        KnownBrandRow.tenant == who.tenant, KnownBrandRow.id.in_(wanted)
    )
    known = {
        brand_id: subsidiary_id for brand_id, subsidiary_id in await uow.session.execute(query)
    }
    required = tuple(roles)
    for brand_id in sorted(wanted):
        subsidiary_id = known.get(brand_id)
        who.require(required, subsidiary_name(who.tenant, subsidiary_id) if subsidiary_id else None)


async def require_on_brand(
    uow: UnitOfWork, who: Principal, brand_id: str, roles: Iterable[Role] = READ_ROLES
) -> None:
    """Roles held on the brand's subsidiary (group-wide when the replica does not know it)."""
    who.require(tuple(roles), await brand_subsidiary(uow, who.tenant, brand_id))


async def readable_brands(uow: UnitOfWork, who: Principal, name: str, field: str) -> BrandScope:
    """Parses `tenants/{t}/brands/{b}` (or `/brands/-`) and checks the caller may read it."""
    if name == f"tenants/{who.tenant}/brands/{GROUP}":
        who.require(READ_ROLES)  # the group view is for group-wide roles
        query = select(KnownBrandRow.id).where(
            KnownBrandRow.tenant == who.tenant,
            KnownBrandRow.kind == "own",
            KnownBrandRow.deleted.is_(False),
        )
        ids = list((await uow.session.execute(query)).scalars())
        return BrandScope(who.tenant, ids, is_group=True)
    _, brand_id = BRAND.parse_in_tenant(name, who.tenant, field)
    await require_on_brand(uow, who, brand_id)
    return BrandScope(who.tenant, [brand_id], is_group=False)


def readable_only(
    query: Select[Any], subsidiary_id: InstrumentedAttribute[str], who: Principal
) -> Select[Any]:
    """Narrows a listing to the rows whose subsidiary the caller reads, in SQL, so pages stay
    full and bounded and a count counts what the pages show (group-wide readers read all; rows
    without a subsidiary need them)."""
    subsidiaries = who.subsidiaries_with(READ_ROLES)
    if subsidiaries is None:
        return query
    ids = [s.rsplit("/", 1)[-1] for s in subsidiaries if s.startswith(f"tenants/{who.tenant}/")]
    return query.where(subsidiary_id.in_(ids))
