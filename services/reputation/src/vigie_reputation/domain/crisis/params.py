"""The few knobs of the crisis detector, each with a meaning a brand manager could explain."""

from dataclasses import dataclass

BUCKET_MINUTES = 5
BUCKETS_PER_HOUR = 60 // BUCKET_MINUTES
BUCKETS_PER_DAY = 24 * BUCKETS_PER_HOUR


@dataclass(frozen=True)
class CrisisParams:
    """Defaults are meant for any brand; they are not fitted to one series.

    Volumes are compared over `smoothing_buckets` (a 15-minute sum), so that one odd bucket is
    not a crisis and a real surge is seen within minutes.
    """

    season_days: int = 7  # days of history kept per hour-of-day slot (the seasonal profile)
    recent_buckets: int = 3 * BUCKETS_PER_HOUR  # window of the recent level (3 hours)
    warmup_buckets: int = BUCKETS_PER_DAY  # no crisis opens during the first day of a brand
    smoothing_buckets: int = 3
    # Opening: a z-equivalent of at least `open_surprise` (mention volume is heavy-tailed, so
    # z-scores of 5 happen daily), at least `peak_factor` x the brand's usual daily peak (see
    # `peaks`), and a rise of at least `open_ratio` x the baseline.
    open_surprise: float = 12.0
    peak_factor: float = 1.25
    open_ratio: float = 1.25
    keep_surprise: float = 2.0  # z-equivalent that keeps it open (hysteresis)
    quiet_buckets: int = 3 * BUCKETS_PER_HOUR  # calm buckets before a crisis resolves
    cooldown_buckets: int = 12 * BUCKETS_PER_HOUR  # after resolving, no reopening for this long
    min_expected: float = 0.5  # floor of the expected count per bucket (silent brands)
