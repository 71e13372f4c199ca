"""One watched volume (all mentions, or negative ones): its baseline and its latest reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from vigie_reputation.domain.crisis.anomaly import surprise
from vigie_reputation.domain.crisis.baseline import SeasonalBaseline
from vigie_reputation.domain.crisis.params import CrisisParams
from vigie_reputation.domain.crisis.peaks import DailyPeaks

CLIP_SIGMAS = 3.0  # the baseline learns at most this far above its expectation


class Signal(StrEnum):
    TOTAL = "total"
    NEGATIVE = "negative"


@dataclass(frozen=True)
class Reading:
    """One bucket of one signal, compared with its baseline over the smoothing window."""

    signal: Signal
    observed: int  # this bucket's volume
    expected: float  # this bucket's baseline
    ratio: float  # smoothed observed / smoothed expected
    surprise: float  # z-equivalent of the smoothed window
    growth: float  # smoothed volume / the previous window's
    open_bar: float  # the surprise this signal needs to open a crisis now


@dataclass
class SignalTrack:
    baseline: SeasonalBaseline = field(default_factory=SeasonalBaseline)
    peaks: DailyPeaks = field(default_factory=DailyPeaks)
    # The last 2 x smoothing buckets as [observed, expected mean, expected variance].
    window: list[list[float]] = field(default_factory=list)

    def read(self, signal: Signal, at: datetime, volume: int, params: CrisisParams) -> Reading:
        """Compare `volume` with the baseline, then let the baseline learn it (clipped)."""
        hour = at.hour
        expected = self.baseline.expect(hour, params)
        self.window.append([float(volume), expected.mean, expected.variance])
        del self.window[: -2 * params.smoothing_buckets]
        current = self.window[-params.smoothing_buckets :]
        previous = self.window[: -params.smoothing_buckets]
        observed_sum = sum(row[0] for row in current)
        mean_sum = sum(row[1] for row in current)
        variance_sum = sum(row[2] for row in current)
        previous_sum = sum(row[0] for row in previous) if previous else observed_sum
        clipped = min(float(volume), expected.mean + CLIP_SIGMAS * expected.sigma)
        self.baseline.learn(hour, clipped, expected, params)
        reading = Reading(
            signal=signal,
            observed=volume,
            expected=expected.mean,
            ratio=observed_sum / mean_sum,
            surprise=surprise(observed_sum, mean_sum, variance_sum),
            growth=observed_sum / max(previous_sum, mean_sum),
            open_bar=self.peaks.open_bar(params),
        )
        self.peaks.record(at.date(), reading.surprise, params)
        return reading
