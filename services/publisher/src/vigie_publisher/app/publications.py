"""Publication status: where each post stands on each account."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, select
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.ordering import Filled
from vigie_runtime.principal import READ_ROLES, Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import Listed, batch, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import PostRow, PublicationRow
from vigie_publisher.app import posts
from vigie_publisher.app.accounts import subsidiary_of
from vigie_publisher.app.common import named_batch
from vigie_publisher.app.dispatch.outcomes import STATE_NUMBERS, publication_view
from vigie_publisher.app.names import BRAND, PUBLICATION, SOCIAL_ACCOUNT, SUBSIDIARY


async def of_post(uow: UnitOfWork, who: Principal, post_name: str) -> list[pb.Publication]:
    post = await posts.get(uow, who, post_name)
    query = select(PublicationRow).where(
        PublicationRow.tenant == who.tenant, PublicationRow.post_id == post.id
    )
    rows = (await uow.session.execute(query.order_by(PublicationRow.id))).scalars()
    return [publication_view(r) for r in rows]


async def get(uow: UnitOfWork, who: Principal, name: str) -> pb.Publication:
    post_name, _, publication_id = name.rpartition("/publications/")
    for publication in await of_post(uow, who, post_name):
        if publication.name == name:
            return publication
    raise NotFound("publication", name or publication_id)


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[pb.Publication]:
    """The publications named, in the order asked; readable where their post is."""
    asked = await named_batch(uow, who, parent, names, PUBLICATION, PublicationRow)
    parents: dict[str, PostRow] = await batch(uow, PostRow, who.tenant, [k[2] for _, k, _ in asked])
    views = []
    for name, ids, row in asked:
        post = parents.get(ids[2])
        if row is None or post is None or (row.brand_id, row.post_id) != ids[1:3]:
            raise NotFound("publication", name)
        if not who.holds(READ_ROLES, subsidiary_of(post)):
            raise NotFound("publication", name)
        views.append(publication_view(row))
    return views


_STATES = {number: name for name, number in STATE_NUMBERS.items()}


async def _scope(uow: UnitOfWork, who: Principal, parent: str) -> Any:
    """The publications under `parent`: the tenant, one of its brands, or one post."""
    query = select(PublicationRow).join(
        PostRow, and_(PostRow.tenant == PublicationRow.tenant, PostRow.id == PublicationRow.post_id)
    )
    query = query.where(PublicationRow.tenant == who.tenant)
    if "/posts/" in parent:
        post = await posts.get(uow, who, parent)
        return query.where(PublicationRow.post_id == post.id)
    if "/brands/" in parent:
        brand_id = BRAND.parse_in_tenant(parent, who.tenant, "parent")[1]
        query = query.where(PublicationRow.brand_id == brand_id)
    else:
        require_parent(parent, who.tenant)
    allowed = who.subsidiaries_with(READ_ROLES)
    if allowed is not None:
        query = query.where(PostRow.subsidiary_id.in_([SUBSIDIARY.parse(n)[1] for n in allowed]))
    return query


# Unpublished publications sort as if published at the end of time: after every published one.
_UNPUBLISHED = datetime(9999, 12, 31, tzinfo=UTC)
# A post has few publications; a brand's or the tenant's are read by the tenant's index.
ORDERS = {
    "create_time": PublicationRow.id,  # ids are time-ordered: their creation order
    "schedule_time": PublicationRow.due_at,
    "publish_time": Filled(PublicationRow.published_at, _UNPUBLISHED),
    "update_time": PublicationRow.updated_at,
}


async def list_(
    uow: UnitOfWork, who: Principal, request: rpc.ListPublicationsRequest
) -> Listed[PublicationRow]:
    """One page, oldest first unless asked otherwise, filtered by state and account."""
    query = await _scope(uow, who, request.parent)
    if request.states:
        if unknown := [s for s in request.states if s not in _STATES]:
            raise InvalidArgument("states", f"unknown publication states {unknown}")
        query = query.where(PublicationRow.state.in_([_STATES[s] for s in request.states]))
    if request.social_account:
        ids = SOCIAL_ACCOUNT.parse_in_tenant(request.social_account, who.tenant, "social_account")
        query = query.where(PublicationRow.account_id == ids[2])
    fingerprint = [
        "publications",
        who.tenant,
        request.parent,
        sorted(request.states),
        request.social_account,
    ]
    return await list_page(uow, query, PublicationRow, request, fingerprint, ORDERS)
