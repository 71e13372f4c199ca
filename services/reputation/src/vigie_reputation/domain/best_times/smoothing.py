"""Kernel smoothing over the week's slots and the empirical-Bayes shrinkage toward a prior."""

from typing import Any

import numpy as np
from numpy.typing import NDArray

from vigie_reputation.domain.best_times.history import Evidence
from vigie_reputation.domain.best_times.params import (
    DAYS_PER_WEEK,
    SLOT_MINUTES,
    SLOTS_PER_DAY,
    SLOTS_PER_WEEK,
    BestTimeParams,
)

Scores = NDArray[np.float64]
# The least between-slot variance assumed, so a flat-looking history still lets evidence count.
_MIN_SPREAD = 1e-3


def week_kernel(params: BestTimeParams) -> Scores:
    """Weight of a post on a slot `d` slots later (index d), 1.0 at the post's own slot.

    Circular over the week (Sunday 23:55 neighbours Monday 00:00), and repeated at the same time
    of the six other days with a lower weight: audiences keep daily habits.
    """
    sigma = params.bandwidth_minutes / SLOT_MINUTES
    offsets = np.arange(SLOTS_PER_WEEK)
    kernel = np.zeros(SLOTS_PER_WEEK)
    for day in range(DAYS_PER_WEEK):
        shifted = (offsets - day * SLOTS_PER_DAY) % SLOTS_PER_WEEK
        distance = np.minimum(shifted, SLOTS_PER_WEEK - shifted)
        weight = 1.0 if day == 0 else params.other_day_weight
        kernel += weight * np.exp(-0.5 * (distance / sigma) ** 2)
    return kernel


def smooth(per_slot: NDArray[Any], kernel: Scores) -> Scores:
    """Circular convolution of per-slot sums with the kernel (the kernel is symmetric)."""
    smoothed = np.fft.irfft(np.fft.rfft(per_slot) * np.fft.rfft(kernel), n=SLOTS_PER_WEEK)
    return np.maximum(smoothed, 0.0)  # FFT rounding leaves tiny negatives


def shrunk_scores(evidence: Evidence, prior: Scores, params: BestTimeParams) -> Scores:
    """Each slot's expected relative engagement: the kernel-weighted mean of nearby posts'
    responses, pulled toward `prior` with a strength estimated from the data (empirical Bayes),
    so slots with little evidence stay near the prior and well-observed slots follow the data."""
    if evidence.posts == 0:
        return prior.copy()
    kernel = week_kernel(params)
    weight = smooth(np.bincount(evidence.slots, minlength=SLOTS_PER_WEEK), kernel)
    total = smooth(
        np.bincount(evidence.slots, weights=evidence.responses, minlength=SLOTS_PER_WEEK), kernel
    )
    strength = prior_strength(evidence, weight, total, prior, params)
    return (total + strength * prior) / (weight + strength)


def prior_strength(
    evidence: Evidence, weight: Scores, total: Scores, prior: Scores, params: BestTimeParams
) -> float:
    """How many posts' worth of evidence the prior is worth: noise variance over the variance of
    true slot effects (method of moments). Noisy responses around their smoothed means → a strong
    prior; slot means far from the prior → a weak one."""
    # Leave-one-out: a post's own weight (1.0 at its slot) is taken out of its fitted mean, or
    # the noise would look smaller than it is.
    slots, own = evidence.slots, evidence.responses
    others = weight[slots] - 1.0
    fitted = np.where(others > 1e-6, (total[slots] - own) / np.maximum(others, 1e-6), prior[slots])
    noise = float(np.mean((evidence.responses - fitted) ** 2))
    spread = float(np.mean((evidence.responses - prior[evidence.slots]) ** 2)) - noise
    strength = noise / max(spread, _MIN_SPREAD)
    return min(max(strength, params.min_prior_strength), params.max_prior_strength)
