"""The brand's usual daily spike: a crisis must stand out from it, not just from the mean.

Mention volume is heavy-tailed: most brands have a burst every day (a post that travels, a
live event) whose surprise against the baseline is large. The median of the last days' peak
surprises measures that ordinary daily burst; a crisis must exceed it `peak_factor` times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from statistics import median

from vigie_reputation.domain.crisis.params import CrisisParams


@dataclass
class DailyPeaks:
    day: str | None = None  # ISO date of `today`
    today: float = 0.0  # the highest surprise so far today
    past: list[float] = field(default_factory=list)  # the peaks of the last `season_days` days

    def open_bar(self, params: CrisisParams) -> float:
        """The surprise a bucket needs to open a crisis."""
        usual = median(self.past) if self.past else 0.0
        return max(params.open_surprise, params.peak_factor * usual)

    def record(self, day: date, surprise: float, params: CrisisParams) -> None:
        key = day.isoformat()
        if key != self.day:
            if self.day is not None:
                self.past.append(self.today)
                del self.past[: -params.season_days]
            self.day, self.today = key, surprise
        self.today = max(self.today, surprise)
