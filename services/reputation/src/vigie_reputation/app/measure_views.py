"""Measures -> protos: series with every bucket present, and shares of voice."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from vigie.reputation.v1 import resources_pb2 as pb

from vigie_reputation.app.measure_reads import Sums
from vigie_reputation.app.views import brand_name, stamp


@dataclass(frozen=True)
class MeasuresQuery:
    brand: str
    start: datetime | None
    end: datetime | None
    granularity: pb.Granularity.ValueType
    dimension: pb.Dimension.ValueType
    time_zone: str


def net(sums: Sums) -> float:
    return (sums.positive - sums.negative) / sums.volume if sums.volume else 0.0


def reach_weighted_net(sums: Sums) -> float:
    return sums.weighted_net / sums.weight if sums.weight else 0.0


def point(start: datetime, sums: Sums) -> pb.MeasurePoint:
    return pb.MeasurePoint(
        start_time=stamp(start),
        volume=sums.volume,
        positive_count=sums.positive,
        neutral_count=sums.neutral,
        negative_count=sums.negative,
        reach=sums.reach,
        net_sentiment=net(sums),
        reach_weighted_net_sentiment=reach_weighted_net(sums),
    )


def series(
    query: MeasuresQuery,
    dimension: str,
    value: str,
    points: dict[datetime, Sums],
    starts: Sequence[datetime],
) -> pb.MeasureSeries:
    empty = Sums()
    return pb.MeasureSeries(
        brand=query.brand,
        granularity=query.granularity,
        dimension=pb.DIMENSION_NONE if dimension == "none" else query.dimension,
        dimension_value=value,
        start_time=stamp(query.start),
        end_time=stamp(query.end),
        points=[point(start, points.get(start, empty)) for start in starts],
    )


def share_of_voice(
    tenant: str,
    brand_ids: Sequence[str],
    totals: dict[str, Sums],
    brand: str,
    start: datetime,
    end: datetime,
) -> pb.ShareOfVoice:
    volume = sum(totals[b].volume for b in brand_ids)
    positive = sum(totals[b].positive for b in brand_ids)
    return pb.ShareOfVoice(
        brand=brand,
        start_time=stamp(start),
        end_time=stamp(end),
        total_volume=volume,
        shares=[
            pb.BrandShare(
                brand=brand_name(tenant, b),
                volume=totals[b].volume,
                share=totals[b].volume / volume if volume else 0.0,
                positive_share=totals[b].positive / positive if positive else 0.0,
                net_sentiment=net(totals[b]),
            )
            for b in brand_ids
        ],
    )
