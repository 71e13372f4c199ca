"""Mastodon's documented shapes read without a network: server-sent events with heartbeats,
statuses (HTML content, boosts, content warnings) as items, ids compared as numbers, and the
wait a 429 asks for."""

from datetime import UTC, datetime

import httpx
from vigie_listener.adapters.mastodon_client import Timeline, wait_for_reset
from vigie_listener.adapters.mastodon_statuses import (
    EventStreamParser,
    StreamEvent,
    newer,
    status_item,
)

STATUS = {
    "id": "113000000000000001",
    "uri": "https://mastodon.example/users/bob/statuses/113000000000000001",
    "url": "https://mastodon.example/@bob/113000000000000001",
    "created_at": "2026-03-01T12:00:00.000Z",
    "content": '<p>J&#39;adore <a href="https://x" class="mention hashtag">#<span>Lumière</span></a></p>',
    "spoiler_text": "",
    "language": "fr",
    "account": {"acct": "bob@other.example", "display_name": "Bob", "followers_count": 7},
}


def test_events_are_dispatched_at_blank_lines_and_heartbeats_only_counted() -> None:
    parser = EventStreamParser()
    lines = [":)", "event: update", 'data: {"id":', 'data: "1"}', "", ":thump", "event: delete"]
    found = [e for line in [*lines, "data: 1", ""] if (e := parser.feed(line))]
    assert found == [StreamEvent("update", '{"id":\n"1"}'), StreamEvent("delete", "1")]
    assert parser.heartbeats == 2


def test_a_status_is_an_item_with_its_uri_text_author_and_language() -> None:
    item = status_item(STATUS)
    assert item.external_id == STATUS["uri"] and item.url == STATUS["url"]
    assert item.text == "J'adore #Lumière"
    assert (item.author.handle, item.author.followers) == ("@bob@other.example", 7)
    assert item.published_at == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert item.language == "fr"


def test_a_boost_is_the_boosted_status_and_a_content_warning_is_kept() -> None:
    boosted = {**STATUS, "spoiler_text": "avis"}
    boost = {"id": "113000000000000009", "uri": "x/activity", "reblog": boosted, "content": ""}
    item = status_item(boost)
    assert item.external_id == STATUS["uri"] and item.text == "avis\n\nJ'adore #Lumière"


def test_ids_are_compared_as_numbers() -> None:
    assert newer("100000000000000000", "99999999999999999")
    assert not newer("99", "100") and newer("1", "")


def test_a_429_waits_until_the_reset_time_within_bounds() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    reset = httpx.Headers({"X-RateLimit-Reset": "2026-03-01T12:00:30.000Z"})
    assert wait_for_reset(reset, now) == 30.0
    assert wait_for_reset(httpx.Headers({"Retry-After": "7200"}), now) == 300.0
    assert wait_for_reset(httpx.Headers({}), now) == 60.0


def test_timelines_name_their_documented_endpoints() -> None:
    assert Timeline("hashtag", "cafe").stream_path() == (
        "/api/v1/streaming/hashtag",
        {"tag": "cafe"},
    )
    assert Timeline("public:local").rest_path() == ("/api/v1/timelines/public", {"local": "true"})
