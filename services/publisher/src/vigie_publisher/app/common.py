"""Reading rows within the caller's tenant."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import ResourcePattern, require_parent
from vigie_runtime.tenant_rows import MAX_BATCH, batch
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


async def named_batch(
    uow: UnitOfWork,
    who: Principal,
    parent: str,
    names: Sequence[str],
    pattern: ResourcePattern,
    model: Any,
) -> list[tuple[str, tuple[str, ...], Any]]:
    """For a BatchGet (AIP-231): each name asked, its ids, and the caller's tenant's row with
    the last id (None when there is none); the caller checks the rest and refuses the batch."""
    require_parent(parent, who.tenant)
    if len(names) > MAX_BATCH:
        raise InvalidArgument("names", f"at most {MAX_BATCH} names")
    keys = [pattern.parse_in_tenant(n, who.tenant, "names") for n in names]
    found = await batch(uow, model, who.tenant, [k[-1] for k in keys])
    return [(name, k, found.get(k[-1])) for name, k in zip(names, keys, strict=True)]
