"""Reading mentions: one, several, filtered keyset pages, and volumes per brand and interval."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, cast, select
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.principal import READ_ROLES, Principal, PrincipalKind
from vigie_runtime.resource_names import TENANT
from vigie_runtime.tenant_rows import Listed, ListRequest, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import KnownBrandRow, MentionRow
from vigie_listener.app.common import MAX_BATCH, known_brand
from vigie_listener.app.names import BRAND, LISTENING_QUERY, MENTION, SOURCE, SUBSIDIARY
from vigie_listener.domain.query_language.text import fold, word_tokens

MAX_FILTER_VALUES = 100


@dataclass(frozen=True)
class MentionFilter:
    brands: Sequence[str] = ()
    listening_query: str = ""
    start: datetime | None = None
    end: datetime | None = None
    languages: Sequence[str] = ()
    sources: Sequence[str] = ()
    author_handle: str = ""
    text_contains: str = ""


def require_tenant(who: Principal, parent: str) -> None:
    if TENANT.parse(parent, "parent")[0] != who.tenant:
        raise NotFound("tenant", parent)


async def readable_brands(
    uow: UnitOfWork, who: Principal, names: Sequence[str]
) -> list[str] | None:
    """Ids of the brands asked for (each one readable), or of every brand the caller may read
    when none is asked for; None when that is all of the tenant's brands."""
    if len(names) > MAX_FILTER_VALUES:
        raise InvalidArgument("brands", f"at most {MAX_FILTER_VALUES} brands")
    if names:
        return [(await known_brand(uow, who, name, "brands")).id for name in names]
    if who.kind is PrincipalKind.PARTNER:
        return [BRAND.parse(name)[1] for name in who.brands if BRAND.parse(name)[0] == who.tenant]
    allowed = who.subsidiaries_with(READ_ROLES)
    if allowed is None:
        return None
    ids = [SUBSIDIARY.parse(n)[1] for n in allowed]
    query = select(KnownBrandRow.id).where(
        KnownBrandRow.tenant == who.tenant, KnownBrandRow.subsidiary_id.in_(ids)
    )
    return list((await uow.session.execute(query)).scalars())


async def filtered(uow: UnitOfWork, who: Principal, wanted: MentionFilter) -> Select[Any]:
    query = select(MentionRow).where(MentionRow.tenant == who.tenant)
    brand_ids = await readable_brands(uow, who, wanted.brands)
    if brand_ids is not None:
        query = query.where(MentionRow.brand_id.in_(brand_ids))
    if wanted.listening_query:
        LISTENING_QUERY.parse_in_tenant(wanted.listening_query, who.tenant, "listening_query")
        needle = f'"{wanted.listening_query}"'
        query = query.where(cast(MentionRow.matched_queries, String).contains(needle))
    if wanted.start is not None:
        query = query.where(MentionRow.publish_time >= wanted.start)
    if wanted.end is not None:
        query = query.where(MentionRow.publish_time < wanted.end)
    if len(wanted.languages) > MAX_FILTER_VALUES or len(wanted.sources) > MAX_FILTER_VALUES:
        raise InvalidArgument("languages", f"at most {MAX_FILTER_VALUES} values per filter")
    if wanted.languages:
        query = query.where(MentionRow.language.in_(list(wanted.languages)))
    if wanted.sources:
        ids = [SOURCE.parse_in_tenant(n, who.tenant, "sources")[1] for n in wanted.sources]
        query = query.where(MentionRow.source_id.in_(ids))
    if wanted.author_handle:
        query = query.where(MentionRow.author_handle == wanted.author_handle[:256])
    if len(wanted.text_contains) > 1000:
        raise InvalidArgument("text_contains", "at most 1000 characters")
    for word in word_tokens(fold(wanted.text_contains))[:20]:
        query = query.where(MentionRow.folded_text.contains(word, autoescape=True))
    return query


# Mentions are many: (tenant, publish_time, id) is indexed, and serves both directions.
MENTION_ORDERS = {"publish_time": MentionRow.publish_time}


async def list_(
    uow: UnitOfWork, who: Principal, parent: str, wanted: MentionFilter, request: ListRequest
) -> Listed[MentionRow]:
    """Newest first unless asked otherwise; the page token is the last (publish time, id)."""
    require_tenant(who, parent)
    query = await filtered(uow, who, wanted)
    fingerprint = ["mentions", who.tenant, repr(wanted)]
    return await list_page(
        uow, query, MentionRow, request, fingerprint, MENTION_ORDERS, "publish_time desc"
    )


async def get(uow: UnitOfWork, who: Principal, name: str) -> MentionRow:
    tenant, brand_id, mention_id = MENTION.parse_in_tenant(name, who.tenant)
    row = await uow.session.get(MentionRow, mention_id)
    if row is None or row.tenant != tenant or row.brand_id != brand_id:
        raise NotFound("mention", name)
    await known_brand(uow, who, BRAND.format(tenant, brand_id), "name")
    return row


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[MentionRow]:
    require_tenant(who, parent)
    if len(names) > MAX_BATCH:
        raise InvalidArgument("names", f"at most {MAX_BATCH} names")
    ids = [MENTION.parse_in_tenant(n, who.tenant, "names") for n in names]
    query = select(MentionRow).where(
        MentionRow.tenant == who.tenant, MentionRow.id.in_([i[2] for i in ids])
    )
    found = {row.id: row for row in (await uow.session.execute(query)).scalars()}
    readable: dict[str, bool] = {}
    rows = []
    for name, (_, brand_id, mention_id) in zip(names, ids, strict=True):
        row = found.get(mention_id)
        if brand_id not in readable:
            readable[brand_id] = await _readable(uow, who, brand_id)
        if row is None or row.brand_id != brand_id or not readable[brand_id]:
            raise NotFound("mention", name)
        rows.append(row)
    return rows


async def _readable(uow: UnitOfWork, who: Principal, brand_id: str) -> bool:
    try:
        await known_brand(uow, who, BRAND.format(who.tenant, brand_id), "names")
    except NotFound:
        return False
    return True
