"""One validator per network, behind one `validate` function."""

import unicodedata
from collections.abc import Callable

from vigie_publisher.domain.text.bluesky import byte_segments, grapheme_segments
from vigie_publisher.domain.text.checks import basic_problems, count_problem, limit_problem
from vigie_publisher.domain.text.counting import code_points, total_weight
from vigie_publisher.domain.text.instagram import instagram_mention_starts
from vigie_publisher.domain.text.mastodon import mastodon_segments
from vigie_publisher.domain.text.model import Network, ProblemCode, TextProblem, ValidationResult
from vigie_publisher.domain.text.twitter_extract import extract_hashtags
from vigie_publisher.domain.text.twitter_length import V3, weighted_segments

X_LIMIT = V3.max_weighted_length
BLUESKY_GRAPHEMES = 300
BLUESKY_BYTES = 3000
MASTODON_DEFAULT_LIMIT = 500
LINKEDIN_LIMIT = 3000
INSTAGRAM_LIMIT = 2200
INSTAGRAM_HASHTAGS = 30
INSTAGRAM_MENTIONS = 20
THREADS_LIMIT = 500
FACEBOOK_LIMIT = 63206


def _result(
    length: int, limit: int, problems: list[TextProblem], *found: TextProblem | None
) -> ValidationResult:
    errors = problems + [problem for problem in found if problem is not None]
    return ValidationResult(valid=not errors, length=length, limit=limit, errors=errors)


def validate_x(text: str) -> ValidationResult:
    """twitter-text v3. X counts the NFC form, so positions index `unicodedata.normalize("NFC")`."""
    normalized = unicodedata.normalize("NFC", text)
    segments = weighted_segments(normalized, V3)
    too_long = limit_problem(
        segments, X_LIMIT, code=ProblemCode.TOO_LONG, unit="weighted characters", scale=V3.scale
    )
    return _result(
        total_weight(segments) // V3.scale, X_LIMIT, basic_problems(normalized), too_long
    )


def validate_bluesky(text: str) -> ValidationResult:
    graphemes = grapheme_segments(text)
    too_long = limit_problem(
        graphemes, BLUESKY_GRAPHEMES, code=ProblemCode.TOO_LONG, unit="graphemes"
    )
    too_big = limit_problem(
        byte_segments(text), BLUESKY_BYTES, code=ProblemCode.TOO_MANY_BYTES, unit="UTF-8 bytes"
    )
    return _result(len(graphemes), BLUESKY_GRAPHEMES, basic_problems(text), too_long, too_big)


def validate_mastodon(text: str, limit: int = MASTODON_DEFAULT_LIMIT) -> ValidationResult:
    segments = mastodon_segments(text)
    too_long = limit_problem(segments, limit, code=ProblemCode.TOO_LONG, unit="characters")
    return _result(total_weight(segments), limit, basic_problems(text), too_long)


def _validate_characters(text: str, limit: int) -> ValidationResult:
    """Networks that count Unicode code points."""
    too_long = limit_problem(code_points(text), limit, code=ProblemCode.TOO_LONG, unit="characters")
    return _result(len(text), limit, basic_problems(text), too_long)


def validate_linkedin(text: str) -> ValidationResult:
    return _validate_characters(text, LINKEDIN_LIMIT)


def validate_threads(text: str) -> ValidationResult:
    return _validate_characters(text, THREADS_LIMIT)


def validate_facebook(text: str) -> ValidationResult:
    return _validate_characters(text, FACEBOOK_LIMIT)


def validate_instagram(text: str) -> ValidationResult:
    by_length = _validate_characters(text, INSTAGRAM_LIMIT)
    hashtags = count_problem(
        [tag.start for tag in extract_hashtags(text)],
        INSTAGRAM_HASHTAGS,
        code=ProblemCode.TOO_MANY_HASHTAGS,
        what="hashtags",
    )
    mentions = count_problem(
        instagram_mention_starts(text),
        INSTAGRAM_MENTIONS,
        code=ProblemCode.TOO_MANY_MENTIONS,
        what="mentions",
    )
    return _result(by_length.length, INSTAGRAM_LIMIT, by_length.errors, hashtags, mentions)


_VALIDATORS: dict[Network, Callable[[str, int | None], ValidationResult]] = {
    Network.X: lambda text, _: validate_x(text),
    Network.BLUESKY: lambda text, _: validate_bluesky(text),
    Network.MASTODON: lambda text, limit: validate_mastodon(text, limit or MASTODON_DEFAULT_LIMIT),
    Network.LINKEDIN: lambda text, _: validate_linkedin(text),
    Network.INSTAGRAM: lambda text, _: validate_instagram(text),
    Network.THREADS: lambda text, _: validate_threads(text),
    Network.FACEBOOK: lambda text, _: validate_facebook(text),
}


def validate(network: Network, text: str, *, instance_limit: int | None = None) -> ValidationResult:
    """Check `text` against `network`'s rules; `instance_limit` is a Mastodon server's limit."""
    return _VALIDATORS[network](text, instance_limit)
