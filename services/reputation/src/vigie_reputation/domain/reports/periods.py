"""When a schedule is due and which period its report covers, on the subsidiary's wall clock.

A weekly report is sent on Monday at the local send time and covers the previous Monday 00:00
to Monday 00:00; a monthly one is sent on the 1st and covers the previous calendar month. The
next run is stored, so a restart never sends a period twice nor skips one.
"""

from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# A report longer than this is refused: the charts would be unreadable and the reads heavy.
MAX_PERIOD = timedelta(days=400)


class Cadence(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class PeriodError(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def check_period(start: datetime, end: datetime) -> None:
    if end <= start:
        raise PeriodError("EMPTY_PERIOD", "end_time must be after start_time")
    if end - start > MAX_PERIOD:
        raise PeriodError("PERIOD_TOO_LONG", f"a report covers at most {MAX_PERIOD.days} days")


def parse_send_time(text: str) -> time:
    """ "HH:MM" (24 h); PeriodError otherwise."""
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        return time(hours, minutes)
    except ValueError:
        raise PeriodError("INVALID_SEND_TIME", "send_time is HH:MM, 00:00 to 23:59") from None


def _period_start(local_day: datetime, cadence: Cadence) -> datetime:
    """The local midnight that starts the period holding `local_day`."""
    if cadence is Cadence.WEEKLY:
        monday = local_day.date() - timedelta(days=local_day.weekday())
        return datetime.combine(monday, time(), local_day.tzinfo)
    return datetime(local_day.year, local_day.month, 1, tzinfo=local_day.tzinfo)


def _next_period_start(start: datetime, cadence: Cadence) -> datetime:
    if cadence is Cadence.WEEKLY:
        day = start.date() + timedelta(days=7)
    else:
        day = (start.date().replace(day=28) + timedelta(days=4)).replace(day=1)
    return datetime.combine(day, time(), start.tzinfo)


def next_run(after: datetime, cadence: Cadence, send: time, zone: ZoneInfo) -> datetime:
    """The first send moment (UTC) strictly after `after`: the start of a period plus the send
    time, on the local clock (so 08:00 stays 08:00 across daylight saving changes)."""
    start = _period_start(after.astimezone(zone), cadence)
    while True:
        moment = datetime.combine(start.date(), send, zone).astimezone(UTC)
        if moment > after:
            return moment
        start = _next_period_start(start, cadence)


def period_before(run: datetime, cadence: Cadence, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The whole period (UTC bounds) that ended at the start of the period holding `run`."""
    end = _period_start(run.astimezone(zone), cadence)
    if cadence is Cadence.WEEKLY:
        start_day = end.date() - timedelta(days=7)
    else:
        start_day = (end.date() - timedelta(days=1)).replace(day=1)
    start = datetime.combine(start_day, time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)
