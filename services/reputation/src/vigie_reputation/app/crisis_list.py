"""ListCrises: this region's crises and, in the group view, the read-only copies the other data
regions let out (marked with their region), merged under one page token: most recently opened
first (by id), or in the order asked, both tables sorted and continued alike."""

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.ordering import Order, after_key, key_of, parse_order_by, sort_clauses
from vigie_runtime.pagination import decode_page_token, encode_page_token, page_size
from vigie_runtime.principal import Principal, current_principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import Listed, count
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisRow
from vigie_reputation.adapters.region_orm import RegionCrisisRow
from vigie_reputation.app import crisis_views, region_reads
from vigie_reputation.app.access import BRAND, readable_only
from vigie_reputation.app.crisis_views import SEVERITIES, STATUS_NAMES
from vigie_reputation.app.views import by_number

Row = CrisisRow | RegionCrisisRow
TABLES: tuple[Any, ...] = (CrisisRow, RegionCrisisRow)


def _fields(t: Any) -> dict[str, Any]:
    """The orders on table `t` (both tables name their columns alike). A tenant has few
    crises: (tenant, open_time) is indexed, the other orders read the tenant's filtered ones."""
    return {
        "open_time": t.open_time,
        "update_time": t.update_time,
        "severity": by_number(t.severity, SEVERITIES),  # watch < minor < major < critical
    }


async def list_crises(
    uow: UnitOfWork, request: rpc.ListCrisesRequest, start: datetime | None, end: datetime | None
) -> Listed[pb.Crisis]:
    who = current_principal()
    require_parent(request.parent, who.tenant)
    brand_ids = [BRAND.parse_in_tenant(b, who.tenant, "brands")[1] for b in request.brands]
    if any(s not in STATUS_NAMES for s in request.statuses):
        raise InvalidArgument("statuses", "unknown crisis status")
    if start and end and end <= start:
        raise InvalidArgument("end_time", "must be after start_time", "EMPTY_WINDOW")
    order = parse_order_by(request.order_by, _fields(CrisisRow))
    filters = _Filters(who, brand_ids, [STATUS_NAMES[s] for s in request.statuses], start, end)
    statuses = list(request.statuses)
    fingerprint: object = ["crises", who.tenant, brand_ids, statuses, str(start), str(end)]
    if order is not None:
        fingerprint = [fingerprint, order.text]
    limit = page_size(request.page_size)
    after = decode_page_token(request.page_token, fingerprint)
    # Each table's next page, then the first of both in the order: ids and the sorted columns
    # compare across regions alike.
    found: list[Row] = []
    for t in TABLES:
        found += await filters.page(uow, t, order, after, limit + 1)
    rows = sorted(found, key=_sort_key(order), reverse=order is None or order.descending)
    rows = rows[: limit + 1]
    token = ""
    if len(rows) > limit:
        last = rows[limit - 1]
        token = encode_page_token([last.id] if order is None else key_of(order, last), fingerprint)
    total = 0
    if request.show_total_size:
        total = sum([await count(uow, filters.query(t)) for t in TABLES])
    return Listed(rows=[_view(r) for r in rows[:limit]], next_page_token=token, total_size=total)


class _Filters:
    """The list's filters, within what the caller may read, on either table."""

    def __init__(
        self,
        who: Principal,
        brand_ids: list[str],
        statuses: list[str],
        start: datetime | None,
        end: datetime | None,
    ) -> None:
        self.who, self.brand_ids, self.statuses = who, brand_ids, statuses
        self.start, self.end = start, end

    def query(self, t: Any) -> Select[Any]:
        query = select(t).where(t.tenant == self.who.tenant)
        query = query.where(t.brand_id.in_(self.brand_ids)) if self.brand_ids else query
        query = query.where(t.status.in_(self.statuses)) if self.statuses else query
        query = query.where(t.open_time >= self.start) if self.start else query
        query = query.where(t.open_time < self.end) if self.end else query
        return readable_only(query, t.subsidiary_id, self.who)

    async def page(
        self, uow: UnitOfWork, t: Any, order: Order | None, after: list[object] | None, limit: int
    ) -> list[Row]:
        """The table's crises past the token, in the list's order."""
        query = self.query(t)
        if order is None:
            query = query.where(t.id < str(after[0])) if after else query
            query = query.order_by(t.id.desc())
        else:
            own = Order(order.field, _fields(t)[order.field], order.descending)
            query = query.where(after_key(own, t.id, after)) if after else query
            query = query.order_by(*sort_clauses(own, t.id))
        return list((await uow.session.execute(query.limit(limit))).scalars())


def _sort_key(order: Order | None) -> Any:
    if order is None:
        return lambda row: row.id
    return lambda row: (order.value(row), row.id)


def _view(row: Row) -> pb.Crisis:
    if isinstance(row, CrisisRow):
        return crisis_views.crisis(row)
    return region_reads.imported_view(row)
