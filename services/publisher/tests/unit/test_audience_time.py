"""Times in the audience's zone stay right across DST, east and west of UTC: a skipped local
time moves forward by the gap, a repeated one is the first, and weekly slots follow the clock."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from vigie_publisher.domain.publishing_caps import cap_warning
from vigie_publisher.domain.scheduling import Slot, local_to_utc, next_free_slot, parse_slot
from vigie_publisher.domain.text import Network

PARIS, NEW_YORK = ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")
SYDNEY, TOKYO = ZoneInfo("Australia/Sydney"), ZoneInfo("Asia/Tokyo")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("zone", "day", "local", "expected"),
    [
        # East of UTC, spring forward (02:00 -> 03:00 on 2026-03-29): 02:30 does not exist.
        (PARIS, date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 30)),
        # East, fall back (03:00 -> 02:00 on 2026-10-25): 02:30 happens twice, the first is CEST.
        (PARIS, date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),
        # West of UTC, spring forward on 2026-03-08.
        (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 30)),
        # West, fall back on 2026-11-01: 01:30 twice, the first is EDT.
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),
        # Southern hemisphere, east: forward on 2026-10-04, back on 2026-04-05.
        (SYDNEY, date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 16, 30)),
        (SYDNEY, date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30)),
        # No DST at all.
        (TOKYO, date(2026, 3, 29), time(9, 0), utc(2026, 3, 29, 0, 0)),
    ],
)
def test_a_local_time_becomes_the_right_utc_instant(
    zone: ZoneInfo, day: date, local: time, expected: datetime
) -> None:
    assert local_to_utc(day, local, zone) == expected


def test_a_weekly_slot_keeps_its_local_time_when_the_clocks_change() -> None:
    nine_on_sundays = [Slot(7, time(9, 0))]
    before = next_free_slot(nine_on_sundays, PARIS, utc(2026, 3, 21), [])
    after = next_free_slot(nine_on_sundays, PARIS, utc(2026, 3, 28), [])
    assert (before, after) == (utc(2026, 3, 22, 8), utc(2026, 3, 29, 7))
    assert after is not None and after.astimezone(PARIS).hour == 9


def test_the_queue_fills_the_next_free_slot() -> None:
    slots = [Slot(1, time(9)), Slot(1, time(17)), Slot(3, time(12))]
    monday = utc(2026, 6, 1, 5)  # Monday 07:00 in Paris
    first = next_free_slot(slots, PARIS, monday, [])
    second = next_free_slot(slots, PARIS, monday, [first] if first else [])
    third = next_free_slot(slots, PARIS, monday, [t for t in (first, second) if t])
    assert (first, second, third) == (utc(2026, 6, 1, 7), utc(2026, 6, 1, 15), utc(2026, 6, 3, 10))


def test_no_slot_means_no_queue_time() -> None:
    assert next_free_slot([], PARIS, utc(2026, 6, 1), []) is None


@pytest.mark.parametrize(
    ("weekday", "text"), [(0, "09:00"), (8, "09:00"), (1, "9:00"), (1, "ab:cd")]
)
def test_malformed_slots_are_refused(weekday: int, text: str) -> None:
    with pytest.raises(ValueError):
        parse_slot(weekday, text)


def test_scheduling_past_a_networks_daily_cap_is_warned_about() -> None:
    at = utc(2026, 6, 1, 12)
    busy = [at - timedelta(minutes=i) for i in range(50)]
    warning = cap_warning(Network.INSTAGRAM, "@lumiere", at, busy)
    assert warning is not None and "Instagram" in warning
    assert cap_warning(Network.INSTAGRAM, "@lumiere", at, busy[:10]) is None
