"""Engagement on the brands' own posts.

The publisher's `post.published` tells which network references (an at:// URI, a link) are a
brand's post; a captured reply, quote or repost naming one of them is stored once per item and
kind, and only a first store adds to the post's counts, so redelivered events and items
captured again (a firehose replayed from an older cursor) count nothing twice.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum

from sqlalchemy import Table, select
from vigie.publisher.v1 import events_pb2 as publisher
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import (
    Base,
    PostEngagementCountRow,
    PublishedPostRow,
    dialect_insert,
)
from vigie_listener.app.common import known_brand, now
from vigie_listener.app.names import BRAND
from vigie_listener.domain.items import SourceItem

POST = ResourcePattern("post", ("tenants", "brands", "posts"))
ENGAGEMENT_SUFFIX = "/engagement"
_PUBLISHED = Table("published_posts", Base.metadata)
_ENGAGEMENTS = Table("post_engagements", Base.metadata)
_COUNTS = Table("post_engagement_counts", Base.metadata)


class Kind(IntEnum):
    REPLY = 1
    QUOTE = 2
    REPOST = 3


@dataclass(frozen=True)
class Engagement:
    tenant: str
    brand_id: str
    post_id: str
    counts: dict[Kind, int]
    references: list[str]


async def remember_publication(
    uow: UnitOfWork, tenant: str, event: publisher.PostPublished
) -> None:
    """Keeps the published post's references; a reference already known keeps its post."""
    publication = event.publication
    post_tenant, brand_id, post_id = POST.parse(event.post.name, "post.name")
    references = {publication.external_id, publication.external_uri} - {""}
    if post_tenant != tenant or not references:
        return  # another tenant's post in this tenant's event, or nothing to recognise it by
    moment = (
        publication.publish_time.ToDatetime(tzinfo=UTC)
        if publication.HasField("publish_time")
        else now()
    )
    rows = [
        {
            "tenant": tenant, "reference": reference[:512], "brand_id": brand_id,
            "post_id": post_id, "publication": publication.name[:512],
            "network": publication.network, "published_at": moment,
        }
        for reference in sorted(references)
    ]  # fmt: skip
    await uow.session.execute(
        dialect_insert(uow.session, _PUBLISHED).on_conflict_do_nothing(), rows
    )


def _references(item: SourceItem) -> list[tuple[Kind, str]]:
    found = []
    targets = (
        (Kind.REPLY, item.reply_to),
        (Kind.QUOTE, item.quote_of),
        (Kind.REPOST, item.repost_of),
    )
    for kind, target in targets:
        found += [(kind, reference) for reference in target or () if reference]
    return found


async def count(
    uow: UnitOfWork, source_id: str, tenant: str | None, items: Sequence[SourceItem]
) -> int:
    """Counts the items that reply to, quote or repost a known published post (of `tenant` only when
    the source belongs to one); returns how many engagements were new."""
    wanted = {(item, kind, ref) for item in items for kind, ref in _references(item)}
    if not wanted:
        return 0
    query = select(PublishedPostRow).where(
        PublishedPostRow.reference.in_({ref for _, _, ref in wanted})
    )
    if tenant is not None:
        query = query.where(PublishedPostRow.tenant == tenant)
    posts: dict[str, list[PublishedPostRow]] = {}
    for row in (await uow.session.execute(query)).scalars():
        posts.setdefault(row.reference, []).append(row)
    moment = now()
    rows = {
        (post.tenant, post.brand_id, post.post_id, int(kind), source_id, item.external_id): moment
        for item, kind, ref in wanted
        for post in posts.get(ref, ())
    }
    if not rows:
        return 0
    return await _store(uow, rows)


async def _store(uow: UnitOfWork, rows: dict[tuple[str, str, str, int, str, str], datetime]) -> int:
    keys = ("tenant", "brand_id", "post_id", "kind", "source_id", "external_id")
    values = [dict(zip(keys, key, strict=True), captured_at=at) for key, at in rows.items()]
    insert = dialect_insert(uow.session, _ENGAGEMENTS).on_conflict_do_nothing()
    returning = insert.returning(*(_ENGAGEMENTS.c[k] for k in keys[:4]))
    added: dict[tuple[str, str, str, int], int] = {}
    for new in await uow.session.execute(returning, values):
        added[tuple(new)] = added.get(tuple(new), 0) + 1
    if not added:
        return 0
    counts = [dict(zip(keys[:4], key, strict=True), count=n) for key, n in added.items()]
    upsert = dialect_insert(uow.session, _COUNTS)
    upsert = upsert.on_conflict_do_update(
        index_elements=list(keys[:4]), set_={"count": _COUNTS.c.count + upsert.excluded.count}
    )
    await uow.session.execute(upsert, counts)
    return sum(added.values())


async def read(uow: UnitOfWork, who: Principal, name: str) -> Engagement:
    """The counts of a post of a brand the caller may read (NOT_FOUND otherwise); zero for a
    post with no engagement yet, or that the listener has not heard of."""
    if not name.endswith(ENGAGEMENT_SUFFIX):
        raise InvalidArgument("name", "expected tenants/{t}/brands/{b}/posts/{p}/engagement")
    tenant, brand_id, post_id = POST.parse_in_tenant(
        name.removesuffix(ENGAGEMENT_SUFFIX), who.tenant
    )
    await known_brand(uow, who, BRAND.format(tenant, brand_id), "name")
    scope = (
        (PostEngagementCountRow.tenant == tenant)
        & (PostEngagementCountRow.brand_id == brand_id)
        & (PostEngagementCountRow.post_id == post_id)
    )
    counted = select(PostEngagementCountRow.kind, PostEngagementCountRow.count).where(scope)
    counts = {Kind(kind): int(n) for kind, n in await uow.session.execute(counted)}
    known = select(PublishedPostRow.reference).where(
        PublishedPostRow.tenant == tenant,
        PublishedPostRow.brand_id == brand_id,
        PublishedPostRow.post_id == post_id,
    )
    references = sorted((await uow.session.execute(known)).scalars())
    return Engagement(tenant, brand_id, post_id, counts, references)
