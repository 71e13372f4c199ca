"""Time windows and their buckets (pure): what a caller may ask for, and how minutes roll up.

Minutes are stored in UTC; hours and days follow the caller's time zone (a day in Paris starts
at 23:00 or 22:00 UTC), so the buckets are computed on the local wall clock.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# Beyond these a series would be unreadable and the query too heavy: the caller must widen the
# granularity instead.
MAX_POINTS = 10_000
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
MAX_FUTURE = timedelta(days=1)


class Granularity(StrEnum):
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"


WIDTH = {
    Granularity.MINUTE: timedelta(minutes=1),
    Granularity.HOUR: timedelta(hours=1),
    Granularity.DAY: timedelta(days=1),
}


class WindowError(ValueError):
    """Why a window is refused, with a stable reason."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def check_window(start: datetime, end: datetime, now: datetime) -> None:
    if end <= start:
        raise WindowError("EMPTY_WINDOW", "end_time must be after start_time")
    if start < EARLIEST:
        raise WindowError("WINDOW_TOO_OLD", f"start_time must be after {EARLIEST:%Y-%m-%d}")
    if end > now + MAX_FUTURE:
        raise WindowError("WINDOW_IN_FUTURE", "end_time is more than a day in the future")


def check_points(start: datetime, end: datetime, granularity: Granularity) -> None:
    points = (end - start) / WIDTH[granularity]
    if points > MAX_POINTS:
        raise WindowError(
            "RANGE_TOO_LARGE",
            f"{int(points)} {granularity.value} buckets asked, at most {MAX_POINTS}: "
            "use a coarser granularity or a shorter window",
        )


def bucket_of(moment: datetime, granularity: Granularity, zone: ZoneInfo) -> datetime:
    """The UTC start of the bucket holding `moment`."""
    local = moment.astimezone(zone)
    if granularity is Granularity.MINUTE:
        local = local.replace(second=0, microsecond=0)
    elif granularity is Granularity.HOUR:
        local = local.replace(minute=0, second=0, microsecond=0)
    else:
        local = datetime(local.year, local.month, local.day, tzinfo=zone)
    return local.astimezone(UTC)


def buckets(
    start: datetime, end: datetime, granularity: Granularity, zone: ZoneInfo
) -> Iterator[datetime]:
    """The UTC starts of the buckets that meet [start, end), oldest first."""
    current = bucket_of(start, granularity, zone)
    while current < end:
        yield current
        if granularity is Granularity.DAY:
            # The next local midnight: 23 or 25 hours away on the days clocks change.
            local = current.astimezone(zone).date() + timedelta(days=1)
            current = datetime(local.year, local.month, local.day, tzinfo=zone).astimezone(UTC)
        else:
            current = bucket_of(current + WIDTH[granularity], granularity, zone)
