"""Adds contributions to minute buckets with one upsert per row (SQLite and PostgreSQL)."""

from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from vigie_reputation.adapters.orm import MeasureBucketRow
from vigie_reputation.domain.measures import Contribution

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
    rows = [
        {
            "tenant": tenant,
            "brand_id": brand_id,
            "dimension": dimension,
            "value": value,
            "minute": minute,
            **{name: getattr(delta, name) for name in _COUNTERS},
        }
        for dimension, value in dimensions.items()
    ]
    table: Any = MeasureBucketRow.__table__
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    statement = insert.values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["tenant", "brand_id", "dimension", "value", "minute"],
        set_={name: getattr(table.c, name) + statement.excluded[name] for name in _COUNTERS},
    )
    await session.execute(statement)
