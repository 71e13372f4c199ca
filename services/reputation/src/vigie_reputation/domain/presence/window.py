"""What window a presence read may cover, and its day/week/month buckets on the local clock."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# A year and a bit: a year compared with the same days of the last one is the longest question.
MAX_DAYS = 400


class PresenceGranularity(StrEnum):
    DAY = "day"
    WEEK = "week"  # ISO weeks: Monday to Sunday, local time
    MONTH = "month"


class PresenceWindowError(ValueError):
    """Why a window or granularity is refused, with a stable reason."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class PresenceWindow:
    start: datetime
    end: datetime
    zone: ZoneInfo

    @property
    def weeks(self) -> float:
        return (self.end - self.start) / timedelta(weeks=1)


def checked_window(start: datetime | None, end: datetime | None, zone: ZoneInfo) -> PresenceWindow:
    if start is None or end is None or end <= start:
        raise PresenceWindowError("WINDOW_EMPTY", "end_time must be after start_time")
    if end - start > timedelta(days=MAX_DAYS):
        raise PresenceWindowError("WINDOW_TOO_LONG", f"at most {MAX_DAYS} days per window")
    return PresenceWindow(start.astimezone(UTC), end.astimezone(UTC), zone)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar day `moment` falls on in `zone` (23:30 UTC is the next day in Paris)."""
    return moment.astimezone(zone).date()


def midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def bucket_day(day: date, granularity: PresenceGranularity) -> date:
    """The first local day of the bucket holding `day`."""
    if granularity is PresenceGranularity.WEEK:
        return day - timedelta(days=day.weekday())
    if granularity is PresenceGranularity.MONTH:
        return day.replace(day=1)
    return day


def _next(day: date, granularity: PresenceGranularity) -> date:
    if granularity is PresenceGranularity.WEEK:
        return day + timedelta(days=7)
    if granularity is PresenceGranularity.MONTH:
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day + timedelta(days=1)


def bucket_days(window: PresenceWindow, granularity: PresenceGranularity) -> Iterator[date]:
    """The first local days of the buckets meeting the window, oldest first."""
    current = bucket_day(local_day(window.start, window.zone), granularity)
    while midnight(current, window.zone) < window.end:
        yield current
        current = _next(current, granularity)


def whole_days(window: PresenceWindow) -> tuple[date, date]:
    """[first, last) local days lying wholly inside the window (roll-ups answer for them)."""
    first = local_day(window.start, window.zone)
    if midnight(first, window.zone) < window.start:
        first += timedelta(days=1)
    last = local_day(window.end, window.zone)
    return first, max(first, last)
