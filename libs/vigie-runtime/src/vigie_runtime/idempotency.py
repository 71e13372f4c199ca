"""`request_id` on Create calls: a retried request returns what the first one created."""

from datetime import UTC, datetime

from sqlalchemy import insert, select

from vigie_runtime.errors import InvalidArgument
from vigie_runtime.uow import UnitOfWork

MAX_REQUEST_ID_LENGTH = 128


async def created_before(uow: UnitOfWork, tenant: str, request_id: str, method: str) -> str | None:
    """The resource name created by an earlier request with this id, if any."""
    if not request_id:
        return None
    if len(request_id) > MAX_REQUEST_ID_LENGTH:
        raise InvalidArgument("request_id", f"at most {MAX_REQUEST_ID_LENGTH} characters")
    table = uow.tables.idempotent_requests
    row = (
        await uow.session.execute(
            select(table.c.resource_name, table.c.method).where(
                table.c.tenant == tenant, table.c.request_id == request_id
            )
        )
    ).first()
    if row is None:
        return None
    if row.method != method:
        raise InvalidArgument("request_id", "was already used by another kind of request")
    return str(row.resource_name)


async def remember(uow: UnitOfWork, tenant: str, request_id: str, method: str, name: str) -> None:
    """Records the request in the same transaction as what it created."""
    if request_id:
        await uow.session.execute(
            insert(uow.tables.idempotent_requests).values(
                tenant=tenant,
                request_id=request_id,
                method=method,
                resource_name=name,
                created_at=datetime.now(UTC),
            )
        )
