"""What a text check answers: valid or not, how long against which limit, and the problems."""

from dataclasses import dataclass, field
from enum import StrEnum


class Network(StrEnum):
    X = "x"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    LINKEDIN = "linkedin"
    INSTAGRAM = "instagram"
    THREADS = "threads"
    FACEBOOK = "facebook"


class ProblemCode(StrEnum):
    """Stable reasons, safe to show to API clients and to match on."""

    EMPTY = "EMPTY"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    TOO_LONG = "TOO_LONG"
    TOO_MANY_BYTES = "TOO_MANY_BYTES"
    TOO_MANY_HASHTAGS = "TOO_MANY_HASHTAGS"
    TOO_MANY_MENTIONS = "TOO_MANY_MENTIONS"


@dataclass(frozen=True, slots=True)
class TextProblem:
    """`position` is the `str` offset where the problem starts (e.g. where the limit is passed)."""

    code: ProblemCode
    message: str
    position: int


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """`length` is in the network's own unit (weighted characters, graphemes...)."""

    valid: bool
    length: int
    limit: int
    errors: list[TextProblem] = field(default_factory=list)
