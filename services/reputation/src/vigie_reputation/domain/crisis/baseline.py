"""A robust, seasonal baseline of one volume (all mentions, or the negative ones) per bucket.

Expected volume = hour-of-day median over the last `season_days` days (the daily shape)
x the recent level, the median ratio of the last `recent_buckets` volumes to that shape (which
absorbs weekends, trends and a news cycle that has become the new normal). The spread is the
larger of the MAD of the same recent ratios and the MAD of the hour-of-day slot, never below
Poisson noise. Medians and MADs make one burst barely move the baseline, and the detector feeds
it volumes clipped near the expectation.

Warm-up: until an hour-of-day slot holds one hour of history, the shape for that slot is the
median of the recent volumes, i.e. a plain rolling median/MAD; the detector opens nothing during
its first `warmup_buckets`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import median

from vigie_reputation.domain.crisis.params import BUCKETS_PER_HOUR, CrisisParams

MAD_TO_SIGMA = 1.4826  # a normal distribution's sigma is 1.4826 MADs


@dataclass(frozen=True)
class Expectation:
    mean: float
    variance: float
    shape: float  # the seasonal median the mean was scaled from

    @property
    def sigma(self) -> float:
        return math.sqrt(self.variance)


def _empty_slots() -> list[list[float]]:
    return [[] for _ in range(24)]


@dataclass
class SeasonalBaseline:
    slots: list[list[float]] = field(default_factory=_empty_slots)  # hour of day -> volumes
    recent_volumes: list[float] = field(default_factory=list)
    recent_ratios: list[float] = field(default_factory=list)

    def expect(self, hour: int, params: CrisisParams) -> Expectation:
        shape = max(self._shape(hour), params.min_expected)
        slot = self.slots[hour]
        slot_spread = (
            MAD_TO_SIGMA * _mad(slot, shape) / shape if len(slot) >= BUCKETS_PER_HOUR else 0.0
        )
        if self.recent_ratios:
            level = median(self.recent_ratios)
            spread = MAD_TO_SIGMA * _mad(self.recent_ratios, level)
        else:
            level, spread = 1.0, 0.0
        spread = max(spread, slot_spread * level)
        mean = max(shape * level, params.min_expected)
        # Counts are at least as noisy as a Poisson process of the same mean.
        variance = max((shape * spread) ** 2, mean)
        return Expectation(mean, variance, shape)

    def learn(self, hour: int, volume: float, expected: Expectation, params: CrisisParams) -> None:
        _push(self.slots[hour], volume, params.season_days * BUCKETS_PER_HOUR)
        _push(self.recent_volumes, volume, params.recent_buckets)
        _push(self.recent_ratios, volume / expected.shape, params.recent_buckets)

    def _shape(self, hour: int) -> float:
        slot = self.slots[hour]
        if len(slot) >= BUCKETS_PER_HOUR:
            return median(slot)
        return median(self.recent_volumes) if self.recent_volumes else 0.0


def _mad(values: list[float], centre: float) -> float:
    return median(abs(v - centre) for v in values)


def _push(values: list[float], value: float, keep: int) -> None:
    values.append(value)
    if len(values) > keep:
        del values[0]
