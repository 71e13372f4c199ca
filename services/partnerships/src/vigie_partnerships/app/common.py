"""Reading rows within the caller's tenant, who may do what, and keyset pages."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select
from vigie_runtime.errors import NotFound, PermissionDenied
from vigie_runtime.pagination import decode_page_token, encode_page_token, page_size
from vigie_runtime.principal import READ_ROLES, Principal, PrincipalKind, Role
from vigie_runtime.uow import UnitOfWork

Row = TypeVar("Row")
MAX_BATCH = 1000
MANAGERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)


def now() -> datetime:
    return datetime.now(UTC)


def utc(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def require_anywhere(who: Principal, roles: tuple[Role, ...], scope: str = "") -> None:
    """Creators and campaigns are the tenant's, not a subsidiary's: a role held in any
    subsidiary is enough; a partner client needs `scope` instead (no scope: refused)."""
    if who.kind is PrincipalKind.PARTNER:
        if not scope:
            raise PermissionDenied("ROLE_REQUIRED", "partner clients cannot do this")
        who.require_scope(scope)
        return
    allowed = who.subsidiaries_with(roles)
    if allowed is not None and not allowed:
        who.require(roles)


def require_reader(who: Principal, scope: str = "") -> None:
    require_anywhere(who, READ_ROLES, scope)


async def load(
    uow: UnitOfWork, model: type[Row], resource: str, tenant: str, row_id: str, name: str
) -> Row:
    """The row, or NOT_FOUND when it is absent or belongs to another tenant."""
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
    if not ids:
        return {}
    query = select(model).where(model.tenant == tenant, model.id.in_(list(ids)))
    return {row.id: row for row in (await uow.session.execute(query)).scalars()}
