"""Reading many posts: filtered keyset pages, and batches in the order asked."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.ordering import Filled
from vigie_runtime.principal import READ_ROLES, Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import Listed, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import PostRow
from vigie_publisher.app.accounts import subsidiary_of
from vigie_publisher.app.common import named_batch, utc
from vigie_publisher.app.names import BRAND, POST, SUBSIDIARY
from vigie_publisher.app.views import STATUS_NAMES

# Unscheduled posts sort as if scheduled at the end of time: after every scheduled one.
_UNSCHEDULED = datetime(9999, 12, 31, tzinfo=UTC)
ORDERS = {
    "create_time": PostRow.created_at,
    "update_time": PostRow.updated_at,
    "schedule_time": Filled(PostRow.schedule_at, _UNSCHEDULED),
}


def _readable(query: Select[Any], who: Principal) -> Select[Any]:
    """Only the subsidiaries where the caller may read."""
    allowed = who.subsidiaries_with(READ_ROLES)
    if allowed is None:
        return query
    return query.where(PostRow.subsidiary_id.in_([SUBSIDIARY.parse(n)[1] for n in allowed]))


def _filtered(request: rpc.ListPostsRequest, who: Principal) -> Select[Any]:
    query = _readable(select(PostRow).where(PostRow.tenant == who.tenant), who)
    if "/brands/" in request.parent:
        brand_id = BRAND.parse_in_tenant(request.parent, who.tenant, "parent")[1]
        query = query.where(PostRow.brand_id == brand_id)
    else:
        require_parent(request.parent, who.tenant)
    if request.statuses:
        unknown = [s for s in request.statuses if s not in STATUS_NAMES]
        if unknown:
            raise InvalidArgument("statuses", f"unknown post statuses {unknown}")
        query = query.where(PostRow.status.in_([STATUS_NAMES[s] for s in request.statuses]))
    if request.HasField("schedule_start_time"):
        start = utc(request.schedule_start_time.ToDatetime())
        query = query.where(PostRow.schedule_at >= start)
    if request.HasField("schedule_end_time"):
        query = query.where(PostRow.schedule_at < utc(request.schedule_end_time.ToDatetime()))
    if request.author:
        query = query.where(PostRow.author == request.author)
    return query


async def list_posts(
    uow: UnitOfWork, who: Principal, request: rpc.ListPostsRequest
) -> Listed[PostRow]:
    """One page, oldest first (keyset on the time-ordered id) unless another order is asked."""
    query = _filtered(request, who)
    fingerprint = [
        "posts",
        who.tenant,
        request.parent,
        sorted(request.statuses),
        request.schedule_start_time.ToJsonString()
        if request.HasField("schedule_start_time")
        else "",
        request.schedule_end_time.ToJsonString() if request.HasField("schedule_end_time") else "",
        request.author,
    ]
    return await list_page(uow, query, PostRow, request, fingerprint, ORDERS)


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[PostRow]:
    rows = []
    for name, ids, row in await named_batch(uow, who, parent, names, POST, PostRow):
        if row is None or row.brand_id != ids[1]:
            raise NotFound("post", name)
        if not who.holds(READ_ROLES, subsidiary_of(row)):
            raise NotFound("post", name)
        rows.append(row)
    return rows
