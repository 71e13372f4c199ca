"""The knobs of the best-time learner, each documented in docs/BEST_TIME_TO_POST.md."""

from dataclasses import dataclass
from datetime import timedelta

SLOT_MINUTES = 5
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES  # 288
DAYS_PER_WEEK = 7
SLOTS_PER_WEEK = DAYS_PER_WEEK * SLOTS_PER_DAY  # 2,016


@dataclass(frozen=True)
class BestTimeParams:
    """Defaults meant for any account; none is fitted to one audience."""

    # The history learned from: posts published in the last `window_days`.
    window_days: int = 90
    # Posts younger than this are left out: their engagement is still growing.
    maturity: timedelta = timedelta(hours=24)
    # Below this many posts in the window the account's own slots are not learned (fallback).
    min_posts: int = 30
    # The network and time-zone aggregate is shared only when this many accounts contribute.
    min_aggregate_accounts: int = 5
    # Kernel: a Gaussian of this width (minutes) around each post's slot, circular over the week,
    # plus the same Gaussian at the same time on the other six days with `other_day_weight`.
    bandwidth_minutes: float = 20.0
    other_day_weight: float = 0.25
    # A post's response relative to its account's mean is capped here, so one viral post
    # cannot make its slot the best of the week on its own.
    response_cap: float = 10.0
    # Bounds of the empirical-Bayes prior strength (in posts' worth of evidence).
    min_prior_strength: float = 1.0
    max_prior_strength: float = 100.0
    # Best slots are at least this far apart, so the top slots are distinct moments of the week
    # rather than the neighbours of one peak.
    min_gap_minutes: int = 60
    # Recomputed at most once per this period per account.
    debounce: timedelta = timedelta(hours=1)

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)
