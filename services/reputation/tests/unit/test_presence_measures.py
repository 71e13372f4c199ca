"""Presence measures on small fixtures whose answers are worked out by hand."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from vigie_reputation.domain.presence.measures import (
    AudienceFact,
    PostFact,
    presence,
    share_of_engagement,
    top_posts,
)
from vigie_reputation.domain.presence.questions import asks_a_question
from vigie_reputation.domain.presence.response import AskedQuestion, response_time
from vigie_reputation.domain.presence.window import (
    PresenceGranularity,
    PresenceWindowError,
    bucket_days,
    checked_window,
    local_day,
    whole_days,
)

PARIS = ZoneInfo("Europe/Paris")
UTC_ZONE = ZoneInfo("UTC")


def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def post(
    uri: str,
    day: int,
    likes: int,
    reposts: int,
    replies: int,
    quotes: int,
    impressions: int = -1,
    followers: int = 1000,
    account: str = "a",
) -> PostFact:
    return PostFact(
        account,
        uri,
        f"https://x/{uri}",
        uri,
        at(day),
        likes,
        reposts,
        replies,
        quotes,
        impressions,
        followers,
    )


def test_growth_and_engagement_rate_are_exact_on_a_hand_worked_fixture() -> None:
    window = checked_window(at(2, 0), at(16, 0), UTC_ZONE)  # 14 days = 2 weeks
    facts = [
        AudienceFact("a", at(2, 1), 1000, 10, 50),
        AudienceFact("a", at(9), 1100, 10, 52),
        AudienceFact("a", at(15, 23), 1250, 11, 54),
    ]
    posts = [
        # (10 + 5 + 3 + 2) / 1000 followers = 0.020
        post("p1", 3, 10, 5, 3, 2, followers=1000),
        # impressions known: (40 + 10 + 0 + 0) / 2000 impressions = 0.025
        post("p2", 10, 40, 10, 0, 0, impressions=2000, followers=1100),
    ]
    figures = presence(facts, posts, window, PresenceGranularity.WEEK, [])
    # growth: 1250 - 1000 = 250; 250 / 1000 = 25 %
    assert figures.audience.followers_start == 1000
    assert figures.audience.followers_end == 1250
    assert figures.audience.growth == 250
    assert figures.audience.growth_percent == pytest.approx(25.0)
    # 2 posts over 2 weeks = 1 post a week
    assert figures.posts_per_week == pytest.approx(1.0)
    # engagements 20 + 50 = 70; rate (0.020 + 0.025) / 2 = 0.0225
    assert figures.engagements == 70
    assert figures.engagement_rate == pytest.approx(0.0225)
    # reach: p1 has no impressions -> potential reach 1000 followers; p2 2000 impressions
    assert figures.reach == 3000
    assert figures.reach_is_impressions is False


def test_a_brand_adds_its_accounts_followers_at_each_end() -> None:
    window = checked_window(at(2, 0), at(4, 0), UTC_ZONE)
    facts = [
        AudienceFact("a", at(2), 100, 0, 0),
        AudienceFact("a", at(3), 130, 0, 0),
        AudienceFact("b", at(2), 50, 0, 0),
        AudienceFact("b", at(3), 40, 0, 0),
    ]
    figures = presence(facts, [], window, PresenceGranularity.DAY, [])
    # start 100 + 50 = 150, end 130 + 40 = 170: +20, 20 / 150 = 13.33 %
    assert (figures.audience.followers_start, figures.audience.followers_end) == (150, 170)
    assert figures.audience.growth_percent == pytest.approx(100 * 20 / 150)


def test_a_snapshot_at_23_30_utc_belongs_to_the_next_day_in_paris() -> None:
    late = datetime(2026, 1, 14, 23, 30, tzinfo=UTC)
    assert local_day(late, PARIS) == date(2026, 1, 15)  # 00:30 in Paris (UTC+1)
    assert local_day(late, UTC_ZONE) == date(2026, 1, 14)
    window = checked_window(
        datetime(2026, 1, 13, 23, tzinfo=UTC), datetime(2026, 1, 15, 23, tzinfo=UTC), PARIS
    )
    days = list(bucket_days(window, PresenceGranularity.DAY))
    assert days == [date(2026, 1, 14), date(2026, 1, 15)]
    facts = [
        AudienceFact("a", datetime(2026, 1, 14, 12, tzinfo=UTC), 10, 0, 0),
        AudienceFact("a", late, 20, 0, 0),
    ]
    series = presence(facts, [], window, PresenceGranularity.DAY, days).series
    # The 14th (Paris) ends on 10 followers; the 23:30 UTC reading is the 15th's.
    assert [(p.day, p.followers) for p in series] == [
        (date(2026, 1, 14), 10),
        (date(2026, 1, 15), 20),
    ]


def test_whole_days_in_paris_are_the_ones_between_local_midnights() -> None:
    window = checked_window(
        datetime(2026, 1, 13, 22, tzinfo=UTC), datetime(2026, 1, 16, 12, tzinfo=UTC), PARIS
    )
    # 23:00 on the 13th in Paris, to 13:00 on the 16th: the 14th and 15th are whole.
    assert whole_days(window) == (date(2026, 1, 14), date(2026, 1, 16))


def test_weeks_and_months_start_on_monday_and_on_the_first() -> None:
    window = checked_window(at(4, 0), datetime(2026, 5, 2, tzinfo=UTC), UTC_ZONE)
    weeks = list(bucket_days(window, PresenceGranularity.WEEK))
    assert weeks[0] == date(2026, 3, 2) and all(d.weekday() == 0 for d in weeks)
    months = list(bucket_days(window, PresenceGranularity.MONTH))
    assert months == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]


def test_share_of_engagement_against_a_competitor() -> None:
    # 30 of 30 + 90 = 120 engagements: 25 % and 75 %
    assert share_of_engagement({"lumiere": 30, "rival": 90}) == {"lumiere": 0.25, "rival": 0.75}
    assert share_of_engagement({"lumiere": 0, "rival": 0}) == {"lumiere": 0.0, "rival": 0.0}


def test_top_posts_are_the_most_engaged_first() -> None:
    posts = [post("low", 3, 1, 0, 0, 0), post("high", 4, 9, 0, 0, 0), post("mid", 5, 5, 0, 0, 0)]
    assert [p.uri for p in top_posts(posts, 2)] == ["high", "mid"]


def test_response_time_median_p90_and_answered_share() -> None:
    asked = at(2)
    delays = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]  # minutes, 10 answered questions
    questions = [AskedQuestion(f"q{m}", asked, asked + timedelta(minutes=m)) for m in delays]
    questions += [AskedQuestion("q-open1", asked, None), AskedQuestion("q-open2", asked, None)]
    figures = response_time(questions)
    # nearest rank: median = 5th of 10 = 50 min, p90 = 9th of 10 = 90 min; 10 of 12 answered
    assert figures.median == timedelta(minutes=50)
    assert figures.p90 == timedelta(minutes=90)
    assert figures.answered_share == pytest.approx(10 / 12)


def test_no_question_answered_gives_no_median() -> None:
    figures = response_time([AskedQuestion("q", at(2), None)])
    assert (figures.questions, figures.answered, figures.median) == (1, 0, None)


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (at(5), at(5), "WINDOW_EMPTY"),
        (at(5), at(4), "WINDOW_EMPTY"),
        (None, at(4), "WINDOW_EMPTY"),
        (at(1) - timedelta(days=401), at(1), "WINDOW_TOO_LONG"),
    ],
)
def test_bad_windows_are_refused_with_their_reason(
    start: datetime | None, end: datetime, reason: str
) -> None:
    with pytest.raises(PresenceWindowError) as caught:
        checked_window(start, end, UTC_ZONE)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("@lumiere is the shop open on Sunday", "en", True),
        ("Pourquoi ma commande n'est pas arrivée", "fr", True),
        ("¿Tienen envíos a México", "es", True),
        ("配送はいつですか\uff1f", "ja", True),
        ("هل المتجر مفتوح؟", "ar", True),
        ("Love the new collection!", "en", False),
        ("Super produit, merci", "fr", False),
    ],
)
def test_a_mention_asks_a_question_by_its_mark_or_its_opening(
    text: str, language: str, asks: bool
) -> None:
    assert asks_a_question(text, language) is asks
