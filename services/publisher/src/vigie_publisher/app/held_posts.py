"""Which of a brand's posts a hold stops (and its release lets go): those scheduled and not
yet published. A crisis statement is left out: it goes through the hold (see
crisis_statements). The crisis room lists them from `queue.held` / `queue.released`."""

from sqlalchemy import select
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import PostRow
from vigie_publisher.app.names import POST

WAITING = ("scheduled", "held")


async def waiting_posts(uow: UnitOfWork, tenant: str, brand_id: str) -> list[str]:
    """The names of the brand's waiting posts, oldest schedule first."""
    t = PostRow
    waiting = t.status.in_(WAITING) & (t.statement == "")
    query = select(t.id).where(t.tenant == tenant, t.brand_id == brand_id, waiting)
    ids = await uow.session.scalars(query.order_by(t.schedule_at, t.id))
    return [POST.format(tenant, brand_id, i) for i in ids]
