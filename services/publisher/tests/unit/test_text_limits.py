"""Each network's limit, at the edge: the limit itself passes, one more fails where it passes."""

import pytest
from vigie_publisher.domain.text import Network, ProblemCode, validate

CHARACTER_LIMITS = [
    (Network.LINKEDIN, 3000),
    (Network.INSTAGRAM, 2200),
    (Network.THREADS, 500),
    (Network.FACEBOOK, 63206),
    (Network.MASTODON, 500),
    (Network.BLUESKY, 300),
    (Network.X, 280),
]


@pytest.mark.parametrize(("network", "limit"), CHARACTER_LIMITS)
def test_a_text_exactly_at_the_limit_is_valid(network: Network, limit: int) -> None:
    result = validate(network, "a" * limit)
    assert (result.valid, result.length, result.limit, result.errors) == (True, limit, limit, [])


@pytest.mark.parametrize(("network", "limit"), CHARACTER_LIMITS)
def test_one_character_over_the_limit_is_too_long_from_that_character(
    network: Network, limit: int
) -> None:
    result = validate(network, "a" * (limit + 1))
    assert not result.valid
    assert result.length == limit + 1
    assert [(e.code, e.position) for e in result.errors] == [(ProblemCode.TOO_LONG, limit)]


@pytest.mark.parametrize("network", list(Network))
@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_an_empty_or_blank_text_is_an_error(network: Network, text: str) -> None:
    result = validate(network, text)
    assert not result.valid
    assert [e.code for e in result.errors] == [ProblemCode.EMPTY]


@pytest.mark.parametrize("network", list(Network))
@pytest.mark.parametrize("bad", ["\ufffe", "\ufeff", "\uffff", "\ud800", "\udfff"])
def test_invalid_characters_are_reported_where_they_are(network: Network, bad: str) -> None:
    result = validate(network, f"hello {bad} world")
    assert not result.valid
    assert [(e.code, e.position) for e in result.errors] == [(ProblemCode.INVALID_CHARACTERS, 6)]


def test_x_counts_a_url_as_23_and_cjk_and_emoji_as_2() -> None:
    result = validate(Network.X, "日本 😷 https://example.com/a/very/long/path/indeed")
    assert result.length == 2 + 2 + 1 + 2 + 1 + 23


def test_x_overflow_starts_at_the_first_character_past_280_weighted() -> None:
    result = validate(Network.X, "日" * 140 + "a")
    assert [(e.code, e.position) for e in result.errors] == [(ProblemCode.TOO_LONG, 140)]


def test_a_mastodon_instance_limit_replaces_the_default() -> None:
    assert validate(Network.MASTODON, "a" * 1000, instance_limit=1000).valid
    result = validate(Network.MASTODON, "a" * 1001, instance_limit=1000)
    assert (result.limit, result.errors[0].position) == (1000, 1000)


def test_mastodon_counts_urls_as_23_and_remote_mentions_as_the_local_name() -> None:
    url = "https://example.com/" + "x" * 100
    result = validate(Network.MASTODON, f"hi @alice@mastodon.example {url}")
    assert result.length == len("hi @alice ") + 23


def test_mastodon_counts_graphemes() -> None:
    assert validate(Network.MASTODON, "👨‍👩‍👧‍👦 é").length == 3


def test_bluesky_counts_graphemes_not_code_points() -> None:
    family = "👨‍👩‍👧‍👦"  # 7 code points, 25 UTF-8 bytes, one grapheme
    assert validate(Network.BLUESKY, family * 100).length == 100


def test_bluesky_rejects_more_than_3000_bytes_even_under_300_graphemes() -> None:
    family = "👨‍👩‍👧‍👦"
    result = validate(Network.BLUESKY, family * 121)  # 121 graphemes, 3025 bytes
    assert [(e.code, e.position) for e in result.errors] == [
        (ProblemCode.TOO_MANY_BYTES, 120 * len(family))
    ]


def test_bluesky_exactly_3000_bytes_is_valid() -> None:
    family = "👨‍👩‍👧‍👦"
    assert validate(Network.BLUESKY, family * 120).valid


def test_instagram_allows_30_hashtags_and_reports_the_31st() -> None:
    thirty = " ".join(f"#tag{i}" for i in range(30))
    assert validate(Network.INSTAGRAM, thirty).valid
    result = validate(Network.INSTAGRAM, thirty + " #one_more")
    assert [(e.code, e.position) for e in result.errors] == [
        (ProblemCode.TOO_MANY_HASHTAGS, len(thirty) + 1)
    ]


def test_instagram_allows_20_mentions_and_reports_the_21st() -> None:
    twenty = " ".join(f"@user.{i}" for i in range(20))
    assert validate(Network.INSTAGRAM, twenty).valid
    result = validate(Network.INSTAGRAM, twenty + " @extra")
    assert [(e.code, e.position) for e in result.errors] == [
        (ProblemCode.TOO_MANY_MENTIONS, len(twenty) + 1)
    ]
