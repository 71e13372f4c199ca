"""The Reputation Index: one number from 0 (worst) to 100 (best), open and explainable.

For a brand at time T, over the window [T - 7 days, T):

    s_i = +1 (positive), 0 (neutral), -1 (negative)    a person's correction wins over the model
    r_i = 1 + ln(1 + followers_i)                       reach: a big account weighs more, not 10^6x
    d_i = 2 ** (-(T - t_i) / 48 h)                      time decay: half the weight every 2 days
    w_i = r_i * d_i

    net   = sum(w_i * s_i) / (sum(w_i) + K)             K = 20: Bayesian smoothing
    index = 50 * (1 + net)

K acts as 20 reach-weighted neutral mentions added to every window (a prior centred on 50):
three angry posts about a quiet brand move it a little, three thousand move it a lot. With no
mention at all the index is 50. The previous value is the same formula at T - 7 days.

Explanation: mention i moves the index by c_i = 50 * w_i * s_i / (sum(w) + K); the mentions with
the largest |c_i| moved it most, and each one's contribution is |c_i| / sum(|c_j|).

The sums are computed from minute buckets (mentions of the same minute share one decay), so the
index costs one row per active minute, whatever the volume.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(days=7)
HALF_LIFE = timedelta(hours=48)
PRIOR_WEIGHT = 20.0
NEUTRAL = 50.0


@dataclass(frozen=True)
class MinuteSums:
    minute: datetime
    volume: int
    positive: int
    negative: int
    weight: float  # sum of ln(1 + followers)
    weighted_net: float  # sum of ln(1 + followers) * s
    polar_weight: float  # sum of ln(1 + followers) over non-neutral mentions


@dataclass(frozen=True)
class Candidate:
    """A non-neutral mention that may have moved the index."""

    mention: str
    label: str
    sign: int
    followers: int
    published: datetime


@dataclass(frozen=True)
class Mover:
    mention: str
    label: str
    contribution: float  # share of the movement, in [0, 1]


@dataclass(frozen=True)
class IndexValue:
    value: float
    movers: list[Mover]


def decay(age: timedelta) -> float:
    return float(2.0 ** (-max(age, timedelta(0)) / HALF_LIFE))


def reach(followers: int) -> float:
    return 1.0 + math.log1p(max(followers, 0))


def index_at(
    at: datetime, minutes: Iterable[MinuteSums], candidates: Sequence[Candidate], top: int = 5
) -> IndexValue:
    """The index at `at` from the minutes of [at - WINDOW, at); movers from `candidates`."""
    total = signed = polar = 0.0
    for bucket in minutes:
        d = decay(at - bucket.minute)
        total += d * (bucket.volume + bucket.weight)
        signed += d * (bucket.positive - bucket.negative + bucket.weighted_net)
        polar += d * (bucket.positive + bucket.negative + bucket.polar_weight)
    denominator = total + PRIOR_WEIGHT
    value = NEUTRAL * (1.0 + signed / denominator)
    moved = [
        (reach(c.followers) * decay(at - c.published), c)
        for c in candidates
        if at - WINDOW <= c.published < at
    ]
    moved.sort(key=lambda pair: pair[0], reverse=True)
    movers = [
        Mover(c.mention, c.label, min(weight / polar, 1.0) if polar > 0 else 0.0)
        for weight, c in moved[:top]
    ]
    return IndexValue(min(max(value, 0.0), 100.0), movers)
