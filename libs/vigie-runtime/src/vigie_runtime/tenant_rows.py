"""Reading rows within the caller's tenant, and keyset pages of them, for any table whose rows
carry `id` (a time-ordered id) and `tenant` columns."""

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, select

from vigie_runtime.errors import NotFound
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
) -> tuple[Sequence[Any], str]:
    """One page of `query` ordered by id, and the token of the next page ('' at the end)."""
    size = page_size(requested_size)
    after = decode_page_token(token, fingerprint)
    if after:
        query = query.where(model.id > str(after[0]))
    rows = (await uow.session.execute(query.order_by(model.id).limit(size + 1))).scalars().all()
    next_token = encode_page_token([rows[size - 1].id], fingerprint) if len(rows) > size else ""
    return rows[:size], next_token


async def batch(uow: UnitOfWork, model: Any, tenant: str, ids: Sequence[str]) -> dict[str, Any]:
    """The tenant's rows among `ids`, by id (absent ids are simply missing)."""
    if not ids:
        return {}
    query = select(model).where(model.tenant == tenant, model.id.in_(list(ids)))
    return {row.id: row for row in (await uow.session.execute(query)).scalars()}
