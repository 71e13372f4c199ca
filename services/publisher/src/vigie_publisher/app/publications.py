"""Publication status: where each post stands on each account."""

from sqlalchemy import select
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import NotFound
from vigie_runtime.principal import Principal
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import PublicationRow
from vigie_publisher.app import posts
from vigie_publisher.app.dispatch.outcomes import publication_view


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
