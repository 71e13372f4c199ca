"""Measures of a brand (or of the group) over any window, and its share of voice."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.principal import current_principal
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import KnownBrandRow
from vigie_reputation.app import access, measure_views, region_reads
from vigie_reputation.app.measure_reads import brand_totals, rollup
from vigie_reputation.app.measure_views import MeasuresQuery
from vigie_reputation.domain.windows import (
    Granularity,
    WindowError,
    buckets,
    check_points,
    check_window,
)

DIMENSIONS = {
    pb.DIMENSION_UNSPECIFIED: "none",
    pb.DIMENSION_NONE: "none",
    pb.DIMENSION_LANGUAGE: "language",
    pb.DIMENSION_COUNTRY: "country",
    pb.DIMENSION_SOURCE: "source",
    pb.DIMENSION_SUBSIDIARY: "subsidiary",
}
GRANULARITIES = {
    pb.GRANULARITY_MINUTE: Granularity.MINUTE,
    pb.GRANULARITY_HOUR: Granularity.HOUR,
    pb.GRANULARITY_DAY: Granularity.DAY,
}
MAX_SERIES = 50


def window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """The window asked for, or INVALID_ARGUMENT with the reason it is absurd."""
    if start is None or end is None:
        field = "start_time" if start is None else "end_time"
        raise InvalidArgument(field, "is required", "WINDOW_REQUIRED")
    try:
        check_window(start, end, datetime.now(UTC))
    except WindowError as error:
        raise InvalidArgument("end_time", str(error), error.reason) from None
    return start, end


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        reason = "UNKNOWN_TIME_ZONE"
        raise InvalidArgument("time_zone", f"{name!r} is not an IANA zone", reason) from None


async def get_measures(uow: UnitOfWork, query: MeasuresQuery) -> list[pb.MeasureSeries]:
    who = current_principal()
    if query.granularity not in GRANULARITIES:
        raise InvalidArgument("granularity", "minute, hour or day", "GRANULARITY_REQUIRED")
    if query.dimension not in DIMENSIONS:
        raise InvalidArgument("dimension", "is not a known dimension")
    granularity = GRANULARITIES[query.granularity]
    start, end = window(query.start, query.end)
    try:
        check_points(start, end, granularity)
    except WindowError as error:
        raise InvalidArgument("end_time", str(error), error.reason) from None
    zone = _zone(query.time_zone)
    scope = await access.readable_brands(uow, who, query.brand, "brand")
    dimension = DIMENSIONS[query.dimension]
    rolled = await rollup(
        uow, who.tenant, scope.brand_ids, dimension, (start, end), granularity, zone
    )
    if scope.is_group and dimension == "none":
        # The group's series also counts what the group's other data regions let out.
        rolled = await region_reads.with_region_rollup(
            uow, who.tenant, rolled, (start, end), granularity, zone
        )
    starts = list(buckets(start, end, granularity, zone))
    values = sorted(rolled.volumes, key=lambda v: (-rolled.volumes[v], v))[:MAX_SERIES]
    if dimension == "none" and not values:
        values = [""]  # one series of empty buckets rather than none
    return [
        measure_views.series(query, dimension, value, rolled.points.get(value, {}), starts)
        for value in values
    ]


async def share_of_voice(
    uow: UnitOfWork, brand: str, start: datetime | None, end: datetime | None
) -> pb.ShareOfVoice:
    who = current_principal()
    start, end = window(start, end)
    scope = await access.readable_brands(uow, who, brand, "brand")
    if scope.is_group:
        raise InvalidArgument("brand", "share of voice is for one brand", "ONE_BRAND_REQUIRED")
    row = await uow.session.get(KnownBrandRow, (who.tenant, scope.brand_ids[0]))
    competitors = [] if row is None else [c for c in row.competitors if c != row.id]
    brand_ids = scope.brand_ids + competitors
    totals = await brand_totals(uow, who.tenant, brand_ids, (start, end))
    return measure_views.share_of_voice(who.tenant, brand_ids, totals, brand, start, end)
