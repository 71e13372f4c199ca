"""Publication status: where each post stands on each account."""

from collections.abc import Sequence

from sqlalchemy import select
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import NotFound
from vigie_runtime.principal import READ_ROLES, Principal
from vigie_runtime.tenant_rows import batch
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import PostRow, PublicationRow
from vigie_publisher.app import posts
from vigie_publisher.app.accounts import subsidiary_of
from vigie_publisher.app.common import named_batch
from vigie_publisher.app.dispatch.outcomes import publication_view
from vigie_publisher.app.names import PUBLICATION


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
