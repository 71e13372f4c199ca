"""Adds contributions to minute buckets with one upsert per row (SQLite and PostgreSQL)."""

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from vigie_reputation.adapters.orm import MeasureBucketRow
from vigie_reputation.domain.measures import Contribution

_PENDING = "pending_bucket_deltas"
_COUNTERS = (
    "volume",
    "positive",
    "neutral",
    "negative",
    "reach",
    "weight",
    "weighted_net",
    "polar_weight",
)


async def add_to_buckets(
    session: AsyncSession,
    tenant: str,
    brand_id: str,
    minute: datetime,
    dimensions: dict[str, str],
    delta: Contribution,
) -> None:
    """Adds `delta` to the bucket of each (dimension, value) in the same transaction."""
    rows = [_row(tenant, brand_id, d, v, minute, delta) for d, v in dimensions.items()]
    await session.execute(_upsert(session.get_bind().dialect.name), rows)


def add_to_buckets_at_commit(
    session: AsyncSession,
    tenant: str,
    brand_id: str,
    minute: datetime,
    dimensions: dict[str, str],
    delta: Contribution,
) -> None:
    """Like `add_to_buckets`, summed in memory and written by one statement when the
    transaction commits: a batch of mentions costs one round trip, not one per mention."""
    pending: dict[tuple[str, ...], dict[str, Any]] | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = {}
        event.listen(session.sync_session, "before_commit", _write_pending, once=True)
    for dimension, value in dimensions.items():
        key = (tenant, brand_id, dimension, value, minute.isoformat())
        row = pending.get(key)
        if row is None:
            pending[key] = _row(tenant, brand_id, dimension, value, minute, delta)
        else:
            for name in _COUNTERS:
                row[name] += getattr(delta, name)


async def write_pending_now(session: AsyncSession) -> None:
    """Writes what `add_to_buckets_at_commit` holds so far, for a read of the buckets in the
    same transaction (a bucket closing judges the measures it just counted)."""
    pending: dict[tuple[str, ...], dict[str, Any]] | None = session.info.get(_PENDING)
    if pending:
        rows = _in_key_order(pending)
        pending.clear()
        await session.execute(_upsert(session.get_bind().dialect.name), rows)


def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.execute(_upsert(session.get_bind().dialect.name), _in_key_order(pending))


def _in_key_order(pending: dict[tuple[str, ...], dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in key order: two replicas' upserts lock the buckets they share in the same order,
    so on PostgreSQL one waits for the other instead of deadlocking."""
    return [pending[key] for key in sorted(pending)]


def _row(
    tenant: str, brand_id: str, dimension: str, value: str, minute: datetime, delta: Contribution
) -> dict[str, Any]:
    return {
        "tenant": tenant,
        "brand_id": brand_id,
        "dimension": dimension,
        "value": value,
        "minute": minute,
        **{name: getattr(delta, name) for name in _COUNTERS},
    }


@cache
def _upsert(dialect: str) -> Any:
    """Built once per dialect, so SQLAlchemy compiles it once; run with many rows at a time."""
    table: Any = MeasureBucketRow.__table__
    insert: Any = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    return insert.on_conflict_do_update(
        index_elements=["tenant", "brand_id", "dimension", "value", "minute"],
        set_={name: getattr(table.c, name) + insert.excluded[name] for name in _COUNTERS},
    )
