"""Reading minute buckets back: sums per (value, bucket) over a window, for any granularity."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, select
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import MeasureBucketRow
from vigie_reputation.app.views import utc
from vigie_reputation.domain.windows import Granularity, bucket_of

COUNTERS = ("volume", "positive", "neutral", "negative", "reach", "weight", "weighted_net")


def in_dimension(dimension: str) -> ColumnElement[bool]:
    """The buckets of `dimension`. The whole brand ("none") has the one value "": naming it
    lets the primary key (tenant, brand, dimension, value, minute) seek the window rather than
    read every minute the brand ever had (the dashboard's three reads are all of "none")."""
    table = MeasureBucketRow
    if dimension == "none":
        return and_(table.dimension == dimension, table.value == "")
    return table.dimension == dimension


@dataclass
class Sums:
    volume: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    reach: int = 0
    weight: float = 0.0
    weighted_net: float = 0.0

    def add(self, row: object) -> None:
        for name in COUNTERS:
            current = getattr(self, name)
            # SUM over PostgreSQL bigints comes back as Decimal (and NULL over no row).
            setattr(self, name, current + type(current)(getattr(row, name) or 0))


@dataclass
class Rollup:
    """value -> bucket start -> sums, and each value's total volume."""

    points: dict[str, dict[datetime, Sums]] = field(default_factory=dict)
    volumes: dict[str, int] = field(default_factory=dict)


async def rollup(
    uow: UnitOfWork,
    tenant: str,
    brand_ids: Sequence[str],
    dimension: str,
    window: tuple[datetime, datetime],
    granularity: Granularity,
    zone: ZoneInfo,
) -> Rollup:
    table = MeasureBucketRow
    query = select(table.value, table.minute, *(getattr(table, c) for c in COUNTERS)).where(
        table.tenant == tenant,
        table.brand_id.in_(list(brand_ids)),
        in_dimension(dimension),
        table.minute >= window[0],
        table.minute < window[1],
    )
    points: dict[str, dict[datetime, Sums]] = defaultdict(lambda: defaultdict(Sums))
    volumes: dict[str, int] = defaultdict(int)
    for row in await uow.session.execute(query):
        start = bucket_of(utc(row.minute), granularity, zone)
        points[row.value][start].add(row)
        volumes[row.value] += row.volume
    return Rollup(dict(points), dict(volumes))


async def brand_totals(
    uow: UnitOfWork, tenant: str, brand_ids: Sequence[str], window: tuple[datetime, datetime]
) -> dict[str, Sums]:
    """Each brand's sums over the window (one SQL aggregate)."""
    table = MeasureBucketRow
    query = (
        select(table.brand_id, *(func.sum(getattr(table, c)).label(c) for c in COUNTERS))
        .where(
            table.tenant == tenant,
            table.brand_id.in_(list(brand_ids)),
            in_dimension("none"),
            table.minute >= window[0],
            table.minute < window[1],
        )
        .group_by(table.brand_id)
    )
    totals = {brand_id: Sums() for brand_id in brand_ids}
    for row in await uow.session.execute(query):
        totals[row.brand_id].add(row)
    return totals
