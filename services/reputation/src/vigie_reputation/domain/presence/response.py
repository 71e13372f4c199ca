"""How fast a brand answers the mentions that asked it a question."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil


@dataclass(frozen=True)
class AskedQuestion:
    uri: str
    time: datetime
    # The first reply of one of the brand's accounts, if any.
    answer_time: datetime | None


@dataclass(frozen=True)
class ResponseTime:
    questions: int
    answered: int
    median: timedelta | None
    p90: timedelta | None

    @property
    def answered_share(self) -> float:
        return self.answered / self.questions if self.questions else 0.0


def percentile(sorted_values: list[timedelta], fraction: float) -> timedelta:
    """Nearest rank: the smallest value with at least `fraction` of the values at or below it."""
    rank = max(1, ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def response_time(questions: list[AskedQuestion]) -> ResponseTime:
    delays = sorted(
        max(q.answer_time - q.time, timedelta(0)) for q in questions if q.answer_time is not None
    )
    if not delays:
        return ResponseTime(len(questions), 0, None, None)
    return ResponseTime(
        len(questions), len(delays), percentile(delays, 0.5), percentile(delays, 0.9)
    )
