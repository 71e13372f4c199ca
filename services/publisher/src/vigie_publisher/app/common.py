"""Reading rows within the caller's tenant."""

from datetime import UTC, datetime
from typing import TypeVar

from vigie_runtime.errors import NotFound
from vigie_runtime.uow import UnitOfWork

Row = TypeVar("Row")


def now() -> datetime:
    return datetime.now(UTC)


def utc(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def load(
    uow: UnitOfWork, model: type[Row], resource: str, tenant: str, row_id: str, name: str
) -> Row:
    """The row, or NOT_FOUND when it is absent, deleted or belongs to another tenant."""
    row = await uow.session.get(model, row_id)
    if row is None or getattr(row, "tenant") != tenant or getattr(row, "deleted", False):  # noqa: B009
        raise NotFound(resource, name)
    return row
