"""Brand safety keyword lists: one per brand, replaced whole, the defaults when a brand has none.
Vetting for a brand judges the creator's mentions against that brand's list."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from vigie_runtime.clock import now
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import page
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import BrandSafetyKeywordsRow, KnownBrandRow
from vigie_partnerships.app.common import MANAGERS, require_anywhere, require_reader
from vigie_partnerships.app.names import safety_keywords_brand
from vigie_partnerships.domain.vetting.keywords import (
    DEFAULT_UNSAFE_KEYWORDS,
    InvalidKeywords,
    checked_keywords,
)

READ_SCOPE = "creators.read"


@dataclass(frozen=True)
class KeywordList:
    tenant: str
    brand_id: str
    keywords: tuple[str, ...]
    defaults: bool
    version: int = 0
    updated_at: datetime | None = None


async def get(uow: UnitOfWork, who: Principal, name: str) -> KeywordList:
    require_reader(who, READ_SCOPE)
    brand_id = await _brand(uow, who, name)
    return _listed(who.tenant, brand_id, await _row(uow, who.tenant, brand_id))


async def list_(
    uow: UnitOfWork, who: Principal, parent: str, size: int, token: str
) -> tuple[list[KeywordList], str]:
    require_parent(parent, who.tenant)
    require_reader(who, READ_SCOPE)
    query = select(BrandSafetyKeywordsRow).where(BrandSafetyKeywordsRow.tenant == who.tenant)
    rows, next_token = await page(uow, query, BrandSafetyKeywordsRow, size, token, ["safety"])
    return [_listed(who.tenant, r.id, r) for r in rows], next_token


async def update(
    uow: UnitOfWork, who: Principal, name: str, keywords: Sequence[str], etag: str
) -> KeywordList:
    require_anywhere(who, MANAGERS)
    brand_id = await _brand(uow, who, name)
    try:
        words = checked_keywords(tuple(keywords))
    except InvalidKeywords as refused:
        raise InvalidArgument("brand_safety_keywords.keywords", refused.message) from None
    row = await _row(uow, who.tenant, brand_id)
    moment = now()
    if row is None:
        check_etag(etag, 0)  # the defaults' etag: nobody set a list since it was read
        row = BrandSafetyKeywordsRow(tenant=who.tenant, id=brand_id, version=0)
        uow.session.add(row)
    else:
        check_etag(etag, row.version)
    row.keywords, row.version, row.updated_at = list(words), row.version + 1, moment
    await uow.session.flush()
    return _listed(who.tenant, brand_id, row)


async def delete(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    require_anywhere(who, MANAGERS)
    brand_id = await _brand(uow, who, name)
    row = await _row(uow, who.tenant, brand_id)
    if row is None:
        raise NotFound("brand_safety_keywords", name)
    check_etag(etag, row.version)
    await uow.session.delete(row)


async def keywords_for(uow: UnitOfWork, tenant: str, brand_id: str) -> tuple[str, ...]:
    """The list vetting uses: the brand's own, else the defaults (also with no brand)."""
    row = await _row(uow, tenant, brand_id) if brand_id else None
    return tuple(row.keywords) if row else DEFAULT_UNSAFE_KEYWORDS


async def _row(uow: UnitOfWork, tenant: str, brand_id: str) -> BrandSafetyKeywordsRow | None:
    return await uow.session.get(BrandSafetyKeywordsRow, (tenant, brand_id))


async def _brand(uow: UnitOfWork, who: Principal, name: str) -> str:
    """The brand id of `tenants/{t}/brands/{b}/safetyKeywords`, NOT_FOUND unless the brand is
    one of the caller's tenant's (as the directory's events described it)."""
    brand_id = safety_keywords_brand(name, who.tenant)
    brand = await uow.session.get(KnownBrandRow, (who.tenant, brand_id))
    if brand is None or brand.deleted:
        raise NotFound("brand", name.removesuffix("/safetyKeywords"))
    return brand_id


def _listed(tenant: str, brand_id: str, row: BrandSafetyKeywordsRow | None) -> KeywordList:
    if row is None:
        return KeywordList(tenant, brand_id, DEFAULT_UNSAFE_KEYWORDS, defaults=True)
    return KeywordList(tenant, brand_id, tuple(row.keywords), False, row.version, row.updated_at)
