"""Times in the audience's zone: stored in UTC, correct across DST changes. Pure rules.

A local time that does not exist (the hour skipped in spring) moves forward by the gap, as a
wall clock would; a local time that happens twice (the hour repeated in autumn) is the first.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKS_AHEAD = 12


@dataclass(frozen=True)
class Slot:
    weekday: int  # 1 = Monday ... 7 = Sunday (ISO)
    local_time: time


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    # fold=0 (PEP 495) takes the offset in force before a change: a repeated time is its first
    # occurrence, and a skipped time lands as far past the change as it was past the old hour.
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)


def audience_time(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


def next_free_slot(
    slots: Sequence[Slot], zone: ZoneInfo, after: datetime, taken: Collection[datetime]
) -> datetime | None:
    """The first slot strictly after `after` that no publication holds yet (UTC)."""
    if not slots:
        return None
    start = after.astimezone(zone).date()
    for offset in range(7 * WEEKS_AHEAD):
        day = start + timedelta(days=offset)
        moments = sorted(
            local_to_utc(day, s.local_time, zone) for s in slots if s.weekday == day.isoweekday()
        )
        for moment in moments:
            if moment > after and moment not in taken:
                return moment
    return None


def parse_slot(weekday: int, local_time: str) -> Slot:
    if not 1 <= weekday <= 7:
        raise ValueError("weekday is 1 (Monday) to 7 (Sunday)")
    hours, _, minutes = local_time.partition(":")
    if len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError("local_time is HH:MM")
    return Slot(weekday, time(int(hours), int(minutes)))
