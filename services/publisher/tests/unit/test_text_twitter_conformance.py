"""twitter-text's own conformance cases (validate.yml, extract.yml), one pytest case each."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from vigie_publisher.domain.text.twitter_extract import (
    extract_hashtags,
    extract_mentions,
    extract_mentions_or_lists,
    extract_reply,
    extract_urls,
)
from vigie_publisher.domain.text.twitter_length import V2, V3, parse_tweet
from vigie_publisher.domain.text.twitter_validity import (
    is_valid_hashtag,
    is_valid_list,
    is_valid_tweet_text,
    is_valid_url,
    is_valid_username,
)
from vigie_runtime.testing.shared import shared_dir

CONFORMANCE = shared_dir() / "conformance" / "twitter-text"


def _cases(file_name: str, sections: list[str]) -> list[Any]:
    path: Path = CONFORMANCE / file_name
    if not path.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{path} is missing"))]
    tests = yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]
    return [
        pytest.param(section, case, id=f"{section}: {case['description']}")
        for section in sections
        for case in tests[section]
    ]


VALIDITY_CHECKS = {
    "tweets": is_valid_tweet_text,
    "usernames": is_valid_username,
    "lists": is_valid_list,
    "hashtags": is_valid_hashtag,
    "urls": is_valid_url,
    "urls_without_protocol": lambda text: is_valid_url(text, require_protocol=False),
}
WEIGHTED_CONFIGS = {
    "WeightedTweetsCounterTest": V2,
    "WeightedTweetsWithDiscountedEmojiCounterTest": V3,
    "UnicodeDirectionalMarkerCounterTest": V3,
}


@pytest.mark.parametrize(("section", "case"), _cases("validate.yml", list(VALIDITY_CHECKS)))
def test_validity_matches_twitter_text(section: str, case: dict[str, Any]) -> None:
    assert VALIDITY_CHECKS[section](case["text"]) is case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases("validate.yml", list(WEIGHTED_CONFIGS)))
def test_weighted_length_matches_twitter_text(section: str, case: dict[str, Any]) -> None:
    result = parse_tweet(case["text"], WEIGHTED_CONFIGS[section])
    assert {
        "weightedLength": result.weighted_length,
        "valid": result.valid,
        "permillage": result.permillage,
        "displayRangeStart": result.display_range_start,
        "displayRangeEnd": result.display_range_end,
        "validRangeStart": result.valid_range_start,
        "validRangeEnd": result.valid_range_end,
    } == case["expected"]


def _urls(text: str) -> list[Any]:
    return [entity.value for entity in extract_urls(text)]


def _urls_with_indices(text: str) -> list[Any]:
    return [{"url": e.value, "indices": [e.start, e.end]} for e in extract_urls(text)]


EXTRACTORS = {
    "mentions": lambda text: [e.value for e in extract_mentions(text)],
    "mentions_with_indices": lambda text: [
        {"screen_name": e.value, "indices": [e.start, e.end]} for e in extract_mentions(text)
    ],
    "mentions_or_lists_with_indices": lambda text: [
        {"screen_name": e.value, "list_slug": e.list_slug, "indices": [e.start, e.end]}
        for e in extract_mentions_or_lists(text)
    ],
    "replies": extract_reply,
    "urls": _urls,
    "urls_with_indices": _urls_with_indices,
    "urls_with_directional_markers": _urls_with_indices,
    "tco_urls_with_params": _urls,
    "hashtags": lambda text: [e.value for e in extract_hashtags(text)],
    "hashtags_from_astral": lambda text: [e.value for e in extract_hashtags(text)],
    "hashtags_with_indices": lambda text: [
        {"hashtag": e.value, "indices": [e.start, e.end]} for e in extract_hashtags(text)
    ],
}


@pytest.mark.parametrize(("section", "case"), _cases("extract.yml", list(EXTRACTORS)))
def test_extraction_matches_twitter_text(section: str, case: dict[str, Any]) -> None:
    assert EXTRACTORS[section](case["text"]) == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases("tlds.yml", ["country", "generic"]))
def test_every_known_tld_is_linked(section: str, case: dict[str, Any]) -> None:
    assert _urls(case["text"]) == case["expected"]
