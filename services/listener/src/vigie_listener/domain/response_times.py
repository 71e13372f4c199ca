"""Response-time statistics over a set of items (pure).

Percentiles are nearest-rank (the smallest value with at least p% of the values at or below
it), so every figure is one of the measured durations and can be checked by hand.
"""

import math
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Stats:
    count: int
    p50_seconds: float
    p90_seconds: float
    mean_seconds: float
    breach_count: int
    target_seconds: int


def nearest_rank(sorted_values: list[float], percent: float) -> float:
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def stats(durations: list[float], waiting: list[float], target_seconds: int) -> Stats:
    """`durations`: measured times (seconds) of the items that reached the end (answered or
    closed); `waiting`: how long the others have waited so far. A breach is a measured time
    over the target, or a wait already past it; no target, no breach."""
    values = sorted(durations)
    breaches = 0
    if target_seconds > 0:
        breaches = sum(1 for v in values if v > target_seconds)
        breaches += sum(1 for w in waiting if w > target_seconds)
    mean = sum(values) / len(values) if values else 0.0
    return Stats(
        count=len(values),
        p50_seconds=nearest_rank(values, 50),
        p90_seconds=nearest_rank(values, 90),
        mean_seconds=round(mean, 3),
        breach_count=breaches,
        target_seconds=target_seconds,
    )


def seconds_between(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds())


def breached(start: datetime, end: datetime, target_seconds: int) -> bool:
    return target_seconds > 0 and seconds_between(start, end) > target_seconds
