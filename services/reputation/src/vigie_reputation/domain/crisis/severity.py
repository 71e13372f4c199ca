"""How bad a crisis is: how far above baseline the volume is, and how fast it grows."""

from enum import IntEnum


class Severity(IntEnum):
    WATCH = 0  # clearly unusual, under twice the baseline
    MINOR = 1  # 2x to 4x the baseline
    MAJOR = 2  # 4x to 8x
    CRITICAL = 3  # 8x and more


FAST_GROWTH = 2.0  # volume doubling within a smoothing window raises the severity one level


def grade(ratio: float, growth: float) -> Severity:
    """`ratio` = observed / baseline; `growth` = this window's volume / the previous window's."""
    level = 0
    for threshold in (2.0, 4.0, 8.0):
        if ratio >= threshold:
            level += 1
    if growth >= FAST_GROWTH:
        level += 1
    return Severity(min(level, Severity.CRITICAL))
