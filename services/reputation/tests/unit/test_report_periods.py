"""Schedules run at the local send time on the first day of each period, and report the whole
period before it, on the subsidiary's wall clock."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from vigie_reputation.domain.reports.periods import (
    Cadence,
    PeriodError,
    check_period,
    next_run,
    parse_send_time,
    period_before,
)
from vigie_reputation.domain.reports.texts import language_of

PARIS = ZoneInfo("Europe/Paris")


def test_a_weekly_schedule_runs_on_monday_at_the_local_send_time() -> None:
    after = datetime(2026, 11, 4, 12, tzinfo=UTC)  # a Wednesday
    assert next_run(after, Cadence.WEEKLY, time(8), PARIS) == datetime(2026, 11, 9, 7, tzinfo=UTC)


def test_a_monthly_schedule_runs_on_the_first_and_keeps_its_local_hour_across_dst() -> None:
    after = datetime(2026, 10, 15, tzinfo=UTC)
    november = next_run(after, Cadence.MONTHLY, time(8), PARIS)
    assert november == datetime(2026, 11, 1, 7, tzinfo=UTC)  # 08:00 in winter time (UTC+1)
    october = next_run(datetime(2026, 9, 15, tzinfo=UTC), Cadence.MONTHLY, time(8), PARIS)
    assert october == datetime(2026, 10, 1, 6, tzinfo=UTC)  # 08:00 in summer time (UTC+2)


def test_the_run_on_its_send_moment_is_not_the_next_one() -> None:
    run = datetime(2026, 11, 1, 7, tzinfo=UTC)
    assert next_run(run, Cadence.MONTHLY, time(8), PARIS) == datetime(2026, 12, 1, 7, tzinfo=UTC)


def test_a_run_reports_the_whole_previous_period_in_local_days() -> None:
    run = datetime(2026, 11, 1, 7, tzinfo=UTC)
    start, end = period_before(run, Cadence.MONTHLY, PARIS)
    assert (start, end) == (
        datetime(2026, 9, 30, 22, tzinfo=UTC),
        datetime(2026, 10, 31, 23, tzinfo=UTC),
    )
    start, end = period_before(datetime(2026, 11, 9, 7, tzinfo=UTC), Cadence.WEEKLY, PARIS)
    assert (start, end) == (
        datetime(2026, 11, 1, 23, tzinfo=UTC),
        datetime(2026, 11, 8, 23, tzinfo=UTC),
    )


def test_january_reports_december_of_the_year_before() -> None:
    start, end = period_before(
        datetime(2027, 1, 1, 8, tzinfo=UTC), Cadence.MONTHLY, ZoneInfo("UTC")
    )
    assert (start, end) == (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC), "EMPTY_PERIOD"),
        (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC), "EMPTY_PERIOD"),
        (datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 2, 6, tzinfo=UTC), "PERIOD_TOO_LONG"),
    ],
)
def test_absurd_periods_are_refused_with_a_reason(
    start: datetime, end: datetime, reason: str
) -> None:
    with pytest.raises(PeriodError) as refused:
        check_period(start, end)
    assert refused.value.reason == reason


@pytest.mark.parametrize("text", ["8", "24:00", "08:60", "eight", ""])
def test_a_send_time_is_hours_and_minutes(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_send_time(text)


def test_the_language_follows_the_locale_and_falls_back_to_english() -> None:
    assert [language_of(x) for x in ("fr-FR", "fr_CA", "en-US", "de-DE", "")] == [
        "fr",
        "fr",
        "en",
        "en",
        "en",
    ]
