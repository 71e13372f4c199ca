"""Five-minute slots of the week on an account's wall clock.

Each post's local time is read in its own moment's offset (zoneinfo), so a post at 09:00 in
Paris lands in the 09:00 slot in winter (08:00 UTC) and in summer (07:00 UTC) alike.
"""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vigie_reputation.domain.best_times.params import SLOT_MINUTES, SLOTS_PER_DAY

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def zone_or_utc(name: str) -> ZoneInfo:
    """The IANA zone, or UTC when the name is empty or unknown (the caller says so)."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def slot_of(moment: datetime, zone: ZoneInfo) -> int:
    """0 is Monday 00:00-00:05 local time, 2015 is Sunday 23:55-24:00."""
    local = moment.astimezone(zone)
    return local.weekday() * SLOTS_PER_DAY + (local.hour * 60 + local.minute) // SLOT_MINUTES


def weekday_and_minute(slot: int) -> tuple[int, int]:
    """ISO weekday (1 = Monday) and minutes after local midnight."""
    day, within = divmod(slot, SLOTS_PER_DAY)
    return day + 1, within * SLOT_MINUTES


def describe(slot: int) -> str:
    """E.g. "Tuesday 12:30"."""
    weekday, minute = weekday_and_minute(slot)
    return f"{WEEKDAYS[weekday - 1]} {minute // 60:02d}:{minute % 60:02d}"
