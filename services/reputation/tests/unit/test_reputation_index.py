"""The Reputation Index formula (domain/index.py): smoothing, reach, decay, explanation."""

from datetime import UTC, datetime, timedelta

from vigie_reputation.domain.index import (
    HALF_LIFE,
    NEUTRAL,
    Candidate,
    MinuteSums,
    decay,
    index_at,
)
from vigie_reputation.domain.measures import reach_weight

AT = datetime(2026, 3, 1, 12, tzinfo=UTC)


def minute(
    negative: int, positive: int = 0, followers: int = 0, age: timedelta = timedelta(0)
) -> MinuteSums:
    w = reach_weight(followers)
    return MinuteSums(
        minute=AT - age - timedelta(minutes=1),
        volume=negative + positive,
        positive=positive,
        negative=negative,
        weight=w * (negative + positive),
        weighted_net=w * (positive - negative),
        polar_weight=w * (negative + positive),
    )


def test_a_brand_nobody_mentions_sits_at_fifty() -> None:
    assert index_at(AT, [], []).value == NEUTRAL


def test_a_few_angry_posts_move_a_quiet_brand_a_little_and_many_move_it_a_lot() -> None:
    few = index_at(AT, [minute(negative=3)], []).value
    many = index_at(AT, [minute(negative=3000)], []).value
    assert 40 < few < 50
    assert 0 <= many < 5


def test_a_big_account_weighs_more_than_a_small_one() -> None:
    small = index_at(AT, [minute(negative=5, followers=10)], []).value
    big = index_at(AT, [minute(negative=5, followers=1_000_000)], []).value
    assert big < small < NEUTRAL


def test_old_mentions_weigh_half_as_much_every_half_life() -> None:
    assert decay(HALF_LIFE) == 0.5
    recent = index_at(AT, [minute(negative=20)], []).value
    old = index_at(AT, [minute(negative=20, age=3 * HALF_LIFE)], []).value
    assert recent < old < NEUTRAL


def test_the_loudest_mention_is_named_first_with_its_share_of_the_movement() -> None:
    candidates = [
        Candidate("m/quiet", "negative", -1, 10, AT - timedelta(minutes=1)),
        Candidate("m/loud", "negative", -1, 500_000, AT - timedelta(minutes=1)),
    ]
    sums = [minute(negative=1, followers=10), minute(negative=1, followers=500_000)]
    movers = index_at(AT, sums, candidates).movers
    assert [m.mention for m in movers] == ["m/loud", "m/quiet"]
    assert movers[0].contribution > movers[1].contribution
    assert abs(sum(m.contribution for m in movers) - 1.0) < 1e-9
