"""What every network's counter produces: the text cut into weighed segments."""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Segment:
    """`text[start:end]` counts for `weight` units of the network's limit."""

    start: int
    end: int
    weight: int


def total_weight(segments: Sequence[Segment]) -> int:
    return sum(segment.weight for segment in segments)


def overflow_position(segments: Sequence[Segment], limit: int) -> int | None:
    """The offset of the first segment that takes the running total past `limit`, if any."""
    running = 0
    for segment in segments:
        running += segment.weight
        if running > limit:
            return segment.start
    return None


def code_points(text: str) -> list[Segment]:
    """One unit per Unicode code point: what most networks call a character."""
    return [Segment(index, index + 1, 1) for index in range(len(text))]


def utf16_length(text: str) -> int:
    """The length JavaScript (and so twitter-text's ranges) sees: astral code points count 2."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2
