"""Small pieces every handler shares: the clock, the brand replica seen by a caller."""

from datetime import UTC, datetime

from vigie_runtime.errors import NotFound
from vigie_runtime.principal import READ_ROLES, Principal, PrincipalKind
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import KnownBrandRow
from vigie_listener.app.names import BRAND, SUBSIDIARY

MAX_BATCH = 1000


def now() -> datetime:
    return datetime.now(UTC)


def utc(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def subsidiary_of(brand: KnownBrandRow) -> str:
    return SUBSIDIARY.format(brand.tenant, brand.subsidiary_id)


def may_read(who: Principal, brand: KnownBrandRow) -> bool:
    if who.kind is PrincipalKind.PARTNER:
        return BRAND.format(brand.tenant, brand.id) in who.brands
    return who.holds(READ_ROLES, subsidiary_of(brand))


async def known_brand(uow: UnitOfWork, who: Principal, name: str, field: str) -> KnownBrandRow:
    """The caller's tenant's live brand named `name`; NOT_FOUND otherwise, or when the caller
    may not read it (another tenant's brands do not exist for it)."""
    tenant, brand_id = BRAND.parse_in_tenant(name, who.tenant, field)
    row = await uow.session.get(KnownBrandRow, (tenant, brand_id))
    if row is None or row.deleted or not may_read(who, row):
        raise NotFound("brand", name)
    return row
