"""X (Twitter) weighted length, exactly as twitter-text's `parseTweet` computes it."""

import unicodedata
from dataclasses import dataclass, replace

from vigie_publisher.domain.text.counting import Segment, total_weight, utf16_length
from vigie_publisher.domain.text.emoji import find_emoji
from vigie_publisher.domain.text.twitter_extract import extract_urls

INVALID_CHARACTERS = frozenset("\ufffe\ufeff\uffff")


@dataclass(frozen=True, slots=True)
class WeightedRange:
    """Code points from `start` to `end` (inclusive) weigh `weight`."""

    start: int
    end: int
    weight: int


@dataclass(frozen=True, slots=True)
class TwitterTextConfig:
    """One version of twitter-text's configuration (`config-v3.json` and its elders)."""

    max_weighted_length: int
    scale: int
    default_weight: int
    transformed_url_length: int
    ranges: tuple[WeightedRange, ...]
    emoji_parsing: bool


# twitter-text's v3 configuration (the one X uses today): Latin and common punctuation weigh 1,
# everything else (CJK, emoji...) 2; every URL 23; the limit 280.
V3 = TwitterTextConfig(
    max_weighted_length=280,
    scale=100,
    default_weight=200,
    transformed_url_length=23,
    ranges=(
        WeightedRange(0, 4351, 100),
        WeightedRange(8192, 8205, 100),
        WeightedRange(8208, 8223, 100),
        WeightedRange(8242, 8247, 100),
    ),
    emoji_parsing=True,
)
# v2: the same without emoji parsing (an emoji counts its code points).
V2 = replace(V3, emoji_parsing=False)
# v1: 140 code points, URLs 23.
V1 = TwitterTextConfig(140, 1, 1, 23, (), emoji_parsing=False)


@dataclass(frozen=True, slots=True)
class TweetParseResult:
    """twitter-text's `ParseResults`; the ranges are UTF-16 offsets into the original text."""

    weighted_length: int
    valid: bool
    permillage: int
    display_range_start: int
    display_range_end: int
    valid_range_start: int
    valid_range_end: int


def character_weight(character: str, config: TwitterTextConfig) -> int:
    code_point = ord(character)
    for weighted in config.ranges:
        if weighted.start <= code_point <= weighted.end:
            return weighted.weight
    return config.default_weight


def weighted_segments(normalized: str, config: TwitterTextConfig) -> list[Segment]:
    """The NFC text cut into URLs (a fixed weight), emoji (one default weight) and characters.

    Weights are scaled (`config.scale` per unit), as twitter-text keeps them.
    """
    urls = {url.start: url.end for url in extract_urls(normalized)}
    emoji = find_emoji(normalized) if config.emoji_parsing else {}
    segments: list[Segment] = []
    index = 0
    while index < len(normalized):
        if index in urls:
            end, weight = urls[index], config.transformed_url_length * config.scale
        elif index in emoji:
            end, weight = emoji[index], config.default_weight
        else:
            end, weight = index + 1, character_weight(normalized[index], config)
        segments.append(Segment(index, end, weight))
        index = end
    return segments


def parse_tweet(text: str, config: TwitterTextConfig = V3) -> TweetParseResult:
    normalized = unicodedata.normalize("NFC", text)
    segments = weighted_segments(normalized, config)
    scaled_limit = config.max_weighted_length * config.scale
    running, utf16_end, valid, valid_end = 0, 0, True, 0
    for segment in segments:
        piece = normalized[segment.start : segment.end]
        running += segment.weight
        utf16_end += utf16_length(piece)
        valid = valid and INVALID_CHARACTERS.isdisjoint(piece)
        if valid and running <= scaled_limit:
            valid_end = utf16_end - 1
    weighted_length = total_weight(segments) // config.scale
    original_length = utf16_length(text)
    return TweetParseResult(
        weighted_length=weighted_length,
        valid=valid and 0 < weighted_length <= config.max_weighted_length,
        permillage=total_weight(segments) * 1000 // scaled_limit,
        display_range_start=0,
        display_range_end=max(original_length - 1, 0),
        valid_range_start=0,
        # twitter-text shifts the end by what normalisation added or removed, as a whole.
        valid_range_end=valid_end + original_length - utf16_length(normalized),
    )
