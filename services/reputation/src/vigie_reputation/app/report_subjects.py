"""What a report is about: one brand or one subsidiary of the caller's tenant, known from the
directory's replicas, with the subsidiary whose roles, time zone and language apply."""

from dataclasses import dataclass

from sqlalchemy import select
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.principal import Principal, Role
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import KnownBrandRow, KnownSubsidiaryRow
from vigie_reputation.app.access import BRAND, subsidiary_name

SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))
DEFAULT_ZONE, DEFAULT_LOCALE = "UTC", "en"


@dataclass(frozen=True)
class Subject:
    tenant: str
    brand_id: str  # "" for a subsidiary's report
    subsidiary_id: str  # the brand's subsidiary ("" for a group brand)
    display_name: str
    name: str  # the brand's or the subsidiary's resource name
    time_zone: str
    locale: str

    @property
    def where(self) -> str | None:
        """The subsidiary whose roles apply (None: group-wide roles)."""
        return subsidiary_name(self.tenant, self.subsidiary_id) if self.subsidiary_id else None


async def _place(uow: UnitOfWork, tenant: str, subsidiary_id: str) -> tuple[str, str, str]:
    """(display name, time zone, locale) of a subsidiary; UTC and English when unknown."""
    row = (
        await uow.session.get(KnownSubsidiaryRow, (tenant, subsidiary_id))
        if subsidiary_id
        else None
    )
    if row is None:
        return "", DEFAULT_ZONE, DEFAULT_LOCALE
    return row.display_name, row.time_zone or DEFAULT_ZONE, row.locale or DEFAULT_LOCALE


async def subject_of(uow: UnitOfWork, tenant: str, brand_id: str, subsidiary_id: str) -> Subject:
    """The subject of a stored report or schedule (no access check: the worker's view)."""
    sub_name, zone, locale = await _place(uow, tenant, subsidiary_id)
    if brand_id:
        brand = await uow.session.get(KnownBrandRow, (tenant, brand_id))
        display = brand.display_name if brand else brand_id
        return Subject(
            tenant, brand_id, subsidiary_id, display, BRAND.format(tenant, brand_id), zone, locale
        )
    return Subject(
        tenant,
        "",
        subsidiary_id,
        sub_name or subsidiary_id,
        SUBSIDIARY.format(tenant, subsidiary_id),
        zone,
        locale,
    )


async def resolve(
    uow: UnitOfWork,
    who: Principal,
    brand: str,
    subsidiary: str,
    roles: tuple[Role, ...],
    field: str = "",
) -> Subject:
    """Parses the one subject given (a brand or a subsidiary), checks it is known in the caller's
    tenant (NOT_FOUND otherwise, another tenant's included) and that the caller holds `roles`."""
    if bool(brand) == bool(subsidiary):
        raise InvalidArgument(
            field + "brand", "give exactly one of brand and subsidiary", "SUBJECT_REQUIRED"
        )
    if brand:
        _, brand_id = BRAND.parse_in_tenant(brand, who.tenant, field + "brand")
        row = await uow.session.get(KnownBrandRow, (who.tenant, brand_id))
        if row is None or row.deleted or row.kind != "own":
            raise NotFound("brand", brand)
        subject = await subject_of(uow, who.tenant, brand_id, row.subsidiary_id or "")
    else:
        _, subsidiary_id = SUBSIDIARY.parse_in_tenant(subsidiary, who.tenant, field + "subsidiary")
        if await uow.session.get(KnownSubsidiaryRow, (who.tenant, subsidiary_id)) is None:
            raise NotFound("subsidiary", subsidiary)
        subject = await subject_of(uow, who.tenant, "", subsidiary_id)
    who.require(roles, subject.where)
    return subject


async def own_brands(uow: UnitOfWork, subject: Subject) -> list[KnownBrandRow]:
    """The brands a report covers: the brand, or the subsidiary's own brands."""
    t = KnownBrandRow
    query = select(t).where(t.tenant == subject.tenant, t.deleted.is_(False))
    if subject.brand_id:
        query = query.where(t.id == subject.brand_id)
    else:
        query = query.where(t.subsidiary_id == subject.subsidiary_id, t.kind == "own")
    return list((await uow.session.execute(query.order_by(t.id))).scalars())
