"""How surprising an observed volume is, in z-score units, at low and at high volume.

At high volume a robust z-score, (observed - expected) / sigma, with sigma from MADs, is right.
At low volume counts are discrete and skewed: 5 mentions where 1.5 are expected has a z of 2.9
but a Poisson tail probability of 0.019 (z 2.1). Below `POISSON_BELOW` expected mentions the
test takes the less surprising of the two, so neither an over-dispersed nor a sparse series
raises an alarm on noise.
"""

import math
from statistics import NormalDist

POISSON_BELOW = 30.0  # above this mean, Poisson is close enough to normal to skip it
_NORMAL = NormalDist()
_SMALLEST_TAIL = 1e-300


def surprise(observed: float, mean: float, variance: float) -> float:
    """A z-equivalent: 0 when as expected, 5 when a one-in-3.5-million event."""
    robust = (observed - mean) / math.sqrt(variance)
    if observed <= mean or mean >= POISSON_BELOW:
        return robust
    tail = poisson_upper_tail(round(observed), mean)
    return min(robust, -_NORMAL.inv_cdf(max(tail, _SMALLEST_TAIL)))


def poisson_upper_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean), summed upwards from k (fast when k is above the mean)."""
    if k <= 0:
        return 1.0
    term = math.exp(-mean + k * math.log(mean) - math.lgamma(k + 1))
    total, i = 0.0, k
    while term > total * 1e-12 and term > 0.0:
        total += term
        i += 1
        term *= mean / i
    return min(total, 1.0)
