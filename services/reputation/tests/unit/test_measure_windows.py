"""Windows and buckets (domain/windows.py): absurd windows are refused, days follow the zone."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from vigie_reputation.domain.windows import (
    Granularity,
    WindowError,
    buckets,
    check_points,
    check_window,
)

NOW = datetime(2026, 3, 29, 12, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (NOW, NOW, "EMPTY_WINDOW"),
        (NOW, NOW - timedelta(hours=1), "EMPTY_WINDOW"),
        (datetime(1990, 1, 1, tzinfo=UTC), NOW, "WINDOW_TOO_OLD"),
        (NOW, NOW + timedelta(days=30), "WINDOW_IN_FUTURE"),
    ],
)
def test_an_absurd_window_is_refused_with_its_reason(
    start: datetime, end: datetime, reason: str
) -> None:
    with pytest.raises(WindowError) as caught:
        check_window(start, end, NOW)
    assert caught.value.reason == reason


def test_a_year_of_minutes_is_too_many_points_but_a_year_of_days_is_not() -> None:
    year_ago = NOW - timedelta(days=365)
    with pytest.raises(WindowError) as caught:
        check_points(year_ago, NOW, Granularity.MINUTE)
    assert caught.value.reason == "RANGE_TOO_LARGE"
    check_points(year_ago, NOW, Granularity.DAY)


def test_day_buckets_start_at_local_midnight_even_when_clocks_change() -> None:
    # Paris moves to summer time on 2026-03-29: that day lasts 23 hours.
    start = datetime(2026, 3, 28, 0, tzinfo=PARIS)
    end = datetime(2026, 3, 31, 0, tzinfo=PARIS)
    days = list(buckets(start, end, Granularity.DAY, PARIS))
    assert [d.astimezone(PARIS).hour for d in days] == [0, 0, 0]
    assert days[2] - days[1] == timedelta(hours=23)


def test_hour_buckets_cover_the_window_oldest_first() -> None:
    hours = list(buckets(NOW - timedelta(minutes=150), NOW, Granularity.HOUR, ZoneInfo("UTC")))
    assert hours == [NOW - timedelta(hours=h) for h in (3, 2, 1)]
