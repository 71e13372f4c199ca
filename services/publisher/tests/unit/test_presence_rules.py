"""The pure rules of presence: handles per network, the snapshot window, due-ness, ranking."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from vigie_publisher.domain.presence.due import is_due
from vigie_publisher.domain.presence.handles import BadHandle, normalized_handle
from vigie_publisher.domain.presence.slot_ranking import ScoredSlot, Window, propose
from vigie_publisher.domain.presence.stats import PostStats, recent_posts
from vigie_publisher.domain.scheduling import parse_slot

NOW = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("network", "given", "stored"),
    [
        ("bluesky", "@Rival.BSKY.social", "@rival.bsky.social"),
        ("bluesky", "did:plc:abc123", "did:plc:abc123"),
        ("mastodon", "Rival@Mastodon.Social", "@rival@mastodon.social"),
        ("x", "Rival_2", "@rival_2"),
        ("linkedin", " Lumiere-Rival ", "lumiere-rival"),
    ],
)
def test_a_handle_is_stored_in_one_written_form(network: str, given: str, stored: str) -> None:
    assert normalized_handle(network, given) == stored


@pytest.mark.parametrize(
    ("network", "given"),
    [("bluesky", "rival"), ("bluesky", "-rival.bsky.social"), ("mastodon", "@rival"),
     ("mastodon", "@ri val@m.social"), ("x", "@rival-dash"), ("x", "@" + "a" * 16), ("threads", "")],
)  # fmt: skip
def test_a_handle_the_network_cannot_have_is_refused(network: str, given: str) -> None:
    with pytest.raises(BadHandle):
        normalized_handle(network, given)


def test_a_snapshot_keeps_the_last_30_days_newest_first_at_most_100_with_short_texts() -> None:
    posts = [PostStats(f"p{h}", NOW - timedelta(hours=h), text="x" * 300) for h in range(800)]
    kept = recent_posts(reversed(posts), NOW)
    assert len(kept) == 100 and kept[0].uri == "p0" and kept[-1].uri == "p99"
    assert len(kept[0].text) == 280
    old = [PostStats("old", NOW - timedelta(days=31)), PostStats("new", NOW - timedelta(days=29))]
    assert [p.uri for p in recent_posts(old, NOW)] == ["new"]


def test_an_account_is_due_once_the_interval_has_passed_since_its_last_snapshot() -> None:
    interval = timedelta(minutes=15)
    assert is_due(None, NOW, interval)
    assert not is_due(NOW - timedelta(minutes=14, seconds=59), NOW, interval)
    assert is_due(NOW - interval, NOW, interval)


def test_best_slots_rank_by_score_then_time_and_skip_the_taken_five_minutes() -> None:
    # Monday 30 March 2026 to Monday 6 April in Paris (summer time since the 29th).
    window = Window(
        datetime(2026, 3, 29, 22, 0, tzinfo=UTC), datetime(2026, 4, 12, 22, 0, tzinfo=UTC), PARIS
    )
    best = [ScoredSlot(1, 9 * 60, 1.5), ScoredSlot(3, 20 * 60 + 5, 2.0)]
    taken = [datetime(2026, 4, 1, 18, 7, tzinfo=UTC)]  # inside Wednesday 1st 20:05-20:10 local
    found = propose(window, best, "own_history", [], taken, 3)
    assert [f"{p.local:%a %d %H:%M}" for p in found] == [
        "Wed 08 20:05",
        "Mon 30 09:00",
        "Mon 06 09:00",
    ]
    assert found[0].at == datetime(2026, 4, 8, 18, 5, tzinfo=UTC)


def test_queue_slots_are_the_fallback_in_time_order_across_a_dst_change() -> None:
    # The week of 29 March 2026: Paris moves to summer time on Sunday at 02:00.
    window = Window(
        datetime(2026, 3, 27, 23, 0, tzinfo=UTC), datetime(2026, 3, 30, 22, 0, tzinfo=UTC), PARIS
    )
    queue = [parse_slot(7, "09:00"), parse_slot(6, "09:00")]
    found = propose(window, [], "", queue, [], 5)
    assert [p.at for p in found] == [
        datetime(2026, 3, 28, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 7, 0, tzinfo=UTC),
    ]
    assert {p.basis for p in found} == {"queue"}
