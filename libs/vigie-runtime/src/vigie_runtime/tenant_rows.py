"""Reading rows within the caller's tenant, and keyset pages of them, for any table whose rows
carry `id` (a time-ordered id) and `tenant` columns."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Select, func, select

from vigie_runtime.errors import NotFound
from vigie_runtime.ordering import Order, after_key, key_of, parse_order_by, sort_clauses
from vigie_runtime.pagination import decode_page_token, encode_page_token, page_size
from vigie_runtime.uow import UnitOfWork

Row = TypeVar("Row")
MAX_BATCH = 1000


async def load(
    uow: UnitOfWork, model: type[Row], resource: str, tenant: str, row_id: str, name: str
) -> Row:
    """The row, or NOT_FOUND when it is absent or belongs to another tenant (the same answer,
    so a caller learns nothing of other tenants' rows)."""
    row = await uow.session.get(model, row_id)
    if row is None or getattr(row, "tenant") != tenant:  # noqa: B009 - any tenant-scoped row
        raise NotFound(resource, name)
    return row


async def page(
    uow: UnitOfWork,
    query: Select[Any],
    model: Any,
    requested_size: int,
    token: str,
    fingerprint: object,
    order: Order | None = None,
    newest_first: bool = False,
) -> tuple[Sequence[Any], str]:
    """One page of `query` ordered by id (descending when `newest_first`; or by `order`, then
    id), and the token of the next page ('' at the end). The token is bound to the order, so it
    cannot continue another one."""
    size = page_size(requested_size)
    if order is None:
        after = decode_page_token(token, fingerprint)
        if after:
            last_id = str(after[0])
            query = query.where(model.id < last_id if newest_first else model.id > last_id)
        ordered = query.order_by(model.id.desc() if newest_first else model.id)
    else:
        fingerprint = [fingerprint, order.text]
        after = decode_page_token(token, fingerprint)
        if after:
            query = query.where(after_key(order, model.id, after))
        ordered = query.order_by(*sort_clauses(order, model.id))
    rows = (await uow.session.execute(ordered.limit(size + 1))).scalars().all()
    if len(rows) <= size:
        return rows, ""
    last = rows[size - 1]
    key = [last.id] if order is None else key_of(order, last)
    return rows[:size], encode_page_token(key, fingerprint)


async def count(uow: UnitOfWork, query: Select[Any]) -> int:
    """How many rows `query` (the list's filtered query, before paging) matches."""
    total = await uow.session.scalar(
        select(func.count()).select_from(query.order_by(None).subquery())
    )
    return int(total or 0)


class ListRequest(Protocol):
    """What every sortable List request carries (AIP-132 fields)."""

    @property
    def page_size(self) -> int: ...
    @property
    def page_token(self) -> str: ...
    @property
    def order_by(self) -> str: ...
    @property
    def show_total_size(self) -> bool: ...


@dataclass(frozen=True)
class Listed(Generic[Row]):
    """A page of a list, its next page token ('' at the end) and, when asked, the total."""

    rows: Sequence[Row]
    next_page_token: str
    total_size: int


async def list_page(
    uow: UnitOfWork,
    query: Select[Any],
    model: Any,
    request: ListRequest,
    fingerprint: object,
    fields: Mapping[str, Any],
    default: str = "",
    newest_first: bool = False,
) -> Listed[Any]:
    """A page of `query` in the order the request asks among `fields` (public name → column;
    `default` when it asks none, else by id, descending when `newest_first`), counted with the
    same filter only when the request asks for the total."""
    order = parse_order_by(request.order_by, fields, default)
    rows, token = await page(
        uow, query, model, request.page_size, request.page_token, fingerprint, order, newest_first
    )
    total = await count(uow, query) if request.show_total_size else 0
    return Listed(rows=rows, next_page_token=token, total_size=total)


async def batch(uow: UnitOfWork, model: Any, tenant: str, ids: Sequence[str]) -> dict[str, Any]:
    """The tenant's rows among `ids`, by id (absent ids are simply missing)."""
    if not ids:
        return {}
    query = select(model).where(model.tenant == tenant, model.id.in_(list(ids)))
    return {row.id: row for row in (await uow.session.execute(query)).scalars()}
