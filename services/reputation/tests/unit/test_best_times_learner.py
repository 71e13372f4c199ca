"""The best-time learner on synthetic histories whose peaks are known."""

import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from vigie_reputation.domain.best_times import (
    Basis,
    BestTimeParams,
    Context,
    PostRecord,
    best_slots,
    explain,
    learn,
    weekday_and_minute,
)
from vigie_reputation.domain.best_times.slots import slot_of

PARAMS = BestTimeParams()
SAO_PAULO, PARIS = ZoneInfo("America/Sao_Paulo"), ZoneInfo("Europe/Paris")
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
TUESDAY_1230, THURSDAY_1805 = (2, 12 * 60 + 30), (4, 18 * 60 + 5)


def minutes_apart(slot: int, weekday: int, minute: int) -> int:
    """Distance on the week's circle between a slot and a (weekday, minute)."""
    day, at = weekday_and_minute(slot)
    delta = abs((day - weekday) * 1440 + at - minute) % (7 * 1440)
    return min(delta, 7 * 1440 - delta)


def history(
    zone: ZoneInfo,
    peaks: list[tuple[int, int]],
    *,
    per_day: int,
    seed: int,
    now: datetime = NOW,
    days: int = 85,
) -> list[PostRecord]:
    """Posts at random local times; engagement x4 within ~10 minutes of a peak, with noise."""
    rng = random.Random(seed)
    posts = []
    for day in range(days):
        local_day = (now - timedelta(days=day + 2)).astimezone(zone).date()
        for _ in range(per_day):
            minute = rng.randrange(24 * 60)
            local = datetime(
                local_day.year,
                local_day.month,
                local_day.day,
                minute // 60,
                minute % 60,
                tzinfo=zone,
            )
            lift = max(math.exp(-0.5 * (_circular_minutes(local, p) / 10) ** 2) for p in peaks)
            expected = 30 * (1 + 3 * lift)
            interactions = max(0, round(rng.gauss(expected, expected * 0.3)))
            posts.append(PostRecord(local.astimezone(UTC), interactions, -1, 1000 + day))
    return posts


def _circular_minutes(local: datetime, peak: tuple[int, int]) -> int:
    at = (local.isoweekday() - peak[0]) * 1440 + local.hour * 60 + local.minute - peak[1]
    at %= 7 * 1440
    return min(at, 7 * 1440 - at)


def with_peak_posts(zone: ZoneInfo, peaks: list[tuple[int, int]], seed: int) -> list[PostRecord]:
    """A busy account: 16 posts a day, and a few more near its two peaks each week."""
    posts = history(zone, peaks, per_day=16, seed=seed)
    rng = random.Random(seed + 1)
    for week in range(12):
        for weekday, minute in peaks:
            for _ in range(3):
                jitter = rng.randrange(-30, 31)
                base = datetime(2026, 5, 25, tzinfo=zone) - timedelta(weeks=week)  # a Monday
                local = base + timedelta(days=weekday - 1, minutes=minute + jitter)
                lift = math.exp(-0.5 * (jitter / 10) ** 2)
                interactions = round(30 * (1 + 3 * lift) * rng.uniform(0.7, 1.3))
                posts.append(PostRecord(local.astimezone(UTC), interactions, -1, 1000))
    return posts


def others(zone: ZoneInfo, peak: tuple[int, int], accounts: int) -> Iterator[list[PostRecord]]:
    for index in range(accounts):
        yield history(zone, [peak], per_day=6, seed=100 + index)


def test_the_known_peaks_of_a_busy_account_are_its_best_slots() -> None:
    posts = with_peak_posts(SAO_PAULO, [TUESDAY_1230, THURSDAY_1805], seed=7)
    learned = learn(posts, [], SAO_PAULO, NOW, PARAMS)
    first, second = best_slots(learned.scores, 2, PARAMS.min_gap_minutes)
    found = sorted([first, second])
    assert minutes_apart(found[0], *TUESDAY_1230) <= 5
    assert minutes_apart(found[1], *THURSDAY_1805) <= 5
    assert learned.basis is Basis.OWN_HISTORY
    assert learned.scores[first] > 2.0  # a post there draws over twice the account's mean
    assert min(learned.scores) < 1.0


def test_a_post_is_read_on_its_own_clock_across_the_march_change() -> None:
    # Paris moves from UTC+1 to UTC+2 on 2026-03-29: 09:00 local is 08:00 UTC, then 07:00 UTC.
    assert weekday_and_minute(slot_of(datetime(2026, 3, 27, 8, tzinfo=UTC), PARIS)) == (5, 540)
    assert weekday_and_minute(slot_of(datetime(2026, 3, 30, 7, tzinfo=UTC), PARIS)) == (1, 540)
    now = datetime(2026, 4, 26, tzinfo=UTC)
    posts = []
    for day in range(60):  # 2026-02-24 .. 2026-04-24, both sides of the change
        local = datetime(2026, 2, 24, 9, tzinfo=PARIS) + timedelta(days=day)
        posts.append(PostRecord(local.astimezone(UTC), 120, -1, 1000))
        for hour in (7, 13, 17, 21):
            quiet = datetime(2026, 2, 24, hour, 30, tzinfo=PARIS) + timedelta(days=day)
            posts.append(PostRecord(quiet.astimezone(UTC), 20, -1, 1000))
    learned = learn(posts, [], PARIS, now, PARAMS)
    best = best_slots(learned.scores, 7, PARAMS.min_gap_minutes)
    assert {weekday_and_minute(s)[1] for s in best} == {9 * 60}  # 09:00 on each day
    # A clock with a fixed offset would have put the posts after the change at 08:00 (or the
    # ones before it at 10:00), and the peak between the two.
    nine, eight = (slot_of(datetime(2026, 4, 14, h, tzinfo=PARIS), PARIS) for h in (9, 8))
    assert learned.scores[nine] > 2.5
    assert learned.scores[eight] < learned.scores[nine] / 2


def test_a_short_history_falls_back_to_the_network_and_time_zone_aggregate() -> None:
    wednesday_0800 = (3, 8 * 60)
    own = history(SAO_PAULO, [TUESDAY_1230], per_day=1, seed=1, days=12)
    learned = learn(own, list(others(SAO_PAULO, wednesday_0800, 5)), SAO_PAULO, NOW, PARAMS)
    assert learned.basis is Basis.NETWORK_AGGREGATE
    assert (learned.posts_used, learned.aggregate_accounts) == (12, 5)
    assert learned.aggregate_posts == 5 * 6 * 85
    (best,) = best_slots(learned.scores, 1, PARAMS.min_gap_minutes)
    assert minutes_apart(best, *wednesday_0800) <= 10


def test_fewer_than_five_contributing_accounts_give_the_flat_prior() -> None:
    own = history(SAO_PAULO, [TUESDAY_1230], per_day=1, seed=1, days=12)
    silent = [PostRecord(NOW - timedelta(days=200), 10, -1, 100)]  # outside the window
    peers = [*others(SAO_PAULO, (3, 480), 4), silent]
    learned = learn(own, peers, SAO_PAULO, NOW, PARAMS)
    assert learned.basis is Basis.FLAT_PRIOR
    assert set(learned.scores.tolist()) == {1.0}
    # Nothing about the four other accounts is told: neither their number nor their posts.
    assert (learned.aggregate_accounts, learned.aggregate_posts) == (0, 0)
    assert best_slots(learned.scores, 3, PARAMS.min_gap_minutes) == [0, 13, 26]


def test_own_history_is_pulled_toward_the_aggregate_where_it_has_no_posts() -> None:
    friday_2000 = (5, 20 * 60)
    own = [
        PostRecord(
            datetime(2026, 5, 25, 9, tzinfo=SAO_PAULO) - timedelta(weeks=w, minutes=m), 50, -1, 900
        )
        for w in range(10)
        for m in (0, 20, 40, 60)
    ]
    peers = list(others(SAO_PAULO, friday_2000, 6))
    learned = learn(own, peers, SAO_PAULO, NOW, PARAMS)
    aggregate = learn([], peers, SAO_PAULO, NOW, PARAMS)
    flat = learn(own, [], SAO_PAULO, NOW, PARAMS)
    friday = slot_of(datetime(2026, 5, 29, 20, tzinfo=SAO_PAULO), SAO_PAULO)
    assert learned.basis is Basis.OWN_HISTORY and learned.posts_used == 40
    # No own post near Friday 20:00: the audience's habit there comes from the aggregate.
    assert aggregate.scores[friday] > 1.3
    assert learned.scores[friday] == pytest.approx(aggregate.scores[friday], rel=0.02)
    assert flat.scores[friday] == pytest.approx(1.0, abs=0.01)


def test_posts_outside_the_window_or_too_young_are_left_out() -> None:
    old = PostRecord(NOW - timedelta(days=91), 10, -1, 100)
    young = PostRecord(NOW - timedelta(hours=3), 10, -1, 100)
    kept = PostRecord(NOW - timedelta(days=30), 10, -1, 100)
    assert learn([old, young, kept], [], SAO_PAULO, NOW, PARAMS).posts_used == 1


def test_one_viral_post_does_not_make_its_slot_the_best_of_the_week_alone() -> None:
    posts = with_peak_posts(SAO_PAULO, [TUESDAY_1230], seed=3)
    viral_at = datetime(2026, 5, 24, 3, 0, tzinfo=SAO_PAULO)  # a Sunday night
    posts.append(PostRecord(viral_at.astimezone(UTC), 500_000, -1, 1000))
    learned = learn(posts, [], SAO_PAULO, NOW, PARAMS)
    (best,) = best_slots(learned.scores, 1, PARAMS.min_gap_minutes)
    assert minutes_apart(best, *TUESDAY_1230) <= 5


def test_the_explanation_says_which_history_which_basis_and_why() -> None:
    own = history(SAO_PAULO, [TUESDAY_1230], per_day=1, seed=1, days=12)
    context = Context(network="Bluesky", zone="America/Sao_Paulo", zone_known=True)
    flat = learn(own, [], SAO_PAULO, NOW, PARAMS)
    text = " ".join(explain(flat, context, [0], PARAMS))
    assert "12 posts of this account published between 2026-03-03 and 2026-05-31" in text
    assert "the last 90 days" in text and "America/Sao_Paulo clock" in text
    assert "Basis: a flat prior" in text and "fewer than the 30 needed" in text
    assert "fewer than 5 other Bluesky accounts in America/Sao_Paulo" in text
    busy = learn(with_peak_posts(SAO_PAULO, [TUESDAY_1230], seed=3), [], SAO_PAULO, NOW, PARAMS)
    best = best_slots(busy.scores, 1, PARAMS.min_gap_minutes)
    sentences = explain(busy, context, best, PARAMS)
    assert sentences[1].startswith("Basis: the account's own history (")
    assert sentences[-1].startswith("The best slot, Tuesday 12:")
    unknown = Context(network="Bluesky", zone="UTC", zone_known=False)
    assert "no known time zone" in " ".join(explain(flat, unknown, [0], PARAMS))
