"""Vetting scores on hand-worked fixtures: each expected figure is computed in the comment."""

from datetime import UTC, datetime, timedelta

from vigie_partnerships.domain.vetting.authenticity import (
    AuthenticityInputs,
    Point,
    authenticity_score,
)
from vigie_partnerships.domain.vetting.brand_safety import SaidAbout, brand_safety_score
from vigie_partnerships.domain.vetting.engagement import engagement_score, tier_of
from vigie_partnerships.domain.vetting.overall import overall_score
from vigie_partnerships.domain.vetting.score import Score

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def inputs(**changes: object) -> AuthenticityInputs:
    base: dict[str, object] = {
        "followers": 20_000,
        "following": 400,
        "posts": 900,
        "mean_engagements_per_post": 500.0,  # 2.5 %: the micro benchmark exactly
        "opened_at": NOW - timedelta(days=1000),
        "now": NOW,
    }
    base.update(changes)
    return AuthenticityInputs(**base)  # type: ignore[arg-type]


def test_engagement_at_the_tier_benchmark_scores_50() -> None:
    # 500 / 20,000 = 2.5 % = the micro benchmark -> 50 * 1 = 50
    score = engagement_score(500, 20_000)
    assert score.value == 50.0
    assert ("engagement_rate", "0.025") in score.inputs and ("tier", "micro") in score.inputs


def test_engagement_is_judged_against_its_own_tier() -> None:
    # nano: 240 / 8,000 = 3 % against 4 % -> 37.5; mega: 16,000 / 2,000,000 = 0.8 % -> 50
    assert engagement_score(240, 8_000).value == 37.5
    assert engagement_score(16_000, 2_000_000).value == 50.0
    assert tier_of(100_000).name == "mid" and tier_of(99_999).name == "micro"


def test_engagement_is_capped_at_100_and_zero_without_followers() -> None:
    assert engagement_score(5_000, 20_000).value == 100.0
    assert engagement_score(10, 0).value == 0.0


def test_a_healthy_account_keeps_full_authenticity_with_a_reason() -> None:
    score = authenticity_score(inputs())
    assert score.value == 100.0
    assert score.reasons == ("no sign of a fake audience in the data available",)


def test_followers_bought_without_engagement_cost_25() -> None:
    history = (
        Point(NOW - timedelta(days=20), 10_000, 250.0),
        Point(NOW - timedelta(days=5), 20_000, 260.0),  # +100 % followers, +4 % engagement
    )
    score = authenticity_score(inputs(history=history, mean_engagements_per_post=260.0))
    # 260 / 20,000 = 1.3 % = 0.52x benchmark: no outlier penalty; 100 - 25 = 75
    assert score.value == 75.0
    assert ("max_unmatched_follower_growth", "1") in score.inputs
    assert "grew 100%" in score.reasons[0]


def test_growth_matched_by_engagement_is_not_an_anomaly() -> None:
    history = (
        Point(NOW - timedelta(days=20), 10_000, 250.0),
        Point(NOW - timedelta(days=5), 20_000, 500.0),
    )
    assert authenticity_score(inputs(history=history)).value == 100.0


def test_every_penalty_adds_up_with_its_reason() -> None:
    score = authenticity_score(
        inputs(
            followers=20_000,
            following=30_000,  # ratio 0.67 with > 1,000 followed: -15
            mean_engagements_per_post=50.0,  # 0.25 % = 0.1x benchmark: -20
            opened_at=NOW - timedelta(days=30),  # young: -10
            posts=3_000,  # 100 a day: -10
            texts=("Buy now!", "buy  now!", "BUY NOW!", "hello"),  # 2 copies of 4 = 50 %: -20
        )
    )
    # 100 - 15 - 20 - 10 - 10 - 20 = 25
    assert score.value == 25.0
    assert len(score.reasons) == 5 and score.reasons[0].startswith("-20")
    assert ("repeated_text_share", "0.5") in score.inputs


def test_brand_safety_counts_negative_share_keywords_and_competitor_sponsorships() -> None:
    said = (
        SaidAbout(False, "Love this coffee", "positive"),
        SaidAbout(False, "Terrible service, scam", "negative"),
        SaidAbout(False, "ok", "neutral"),
        SaidAbout(False, "meh", "negative"),
        SaidAbout(True, "Try @rival beans #ad", "positive"),
    )
    score = brand_safety_score(said, ("scam", "casino"))
    # negative 2/4 -> 60 * 0.5 = 30; keyword scam -> 15; one sponsored competitor post -> 20
    assert score.value == 100 - 30 - 15 - 20
    assert ("unsafe_keywords_found", "scam") in score.inputs
    assert ("sponsored_posts_for_competitors", "1") in score.inputs


def test_a_keyword_inside_another_word_or_a_hashtag_is_not_the_disclosure() -> None:
    said = (SaidAbout(True, "#adventure with rival", "positive"),)
    assert brand_safety_score(said, ("ad",)).value == 100.0


def test_overall_is_the_documented_weighted_mean() -> None:
    overall = overall_score(Score(50, (), ()), Score(100, (), ()), Score(80, (), ()))
    # 0.35 * 50 + 0.35 * 100 + 0.30 * 80 = 17.5 + 35 + 24 = 76.5
    assert overall.value == 76.5
    assert overall.reasons[0].endswith("= 76.5")


def test_overall_is_capped_by_a_fake_audience() -> None:
    overall = overall_score(Score(100, (), ()), Score(30, (), ()), Score(100, (), ()))
    # the mean would be 35 + 10.5 + 30 = 75.5; authenticity 30 < 40 caps it at 30
    assert overall.value == 30.0 and overall.reasons[0].startswith("capped at 30")
