"""Best time to post: when an account's audience responds, learned per 5-minute slot of the week
(docs/BEST_TIME_TO_POST.md). Pure: no I/O, times and histories are given."""

from vigie_reputation.domain.best_times.explanation import Context, explain
from vigie_reputation.domain.best_times.history import PostRecord
from vigie_reputation.domain.best_times.learner import Basis, LearnedBestTimes, learn
from vigie_reputation.domain.best_times.params import SLOTS_PER_WEEK, BestTimeParams
from vigie_reputation.domain.best_times.ranking import best_slots
from vigie_reputation.domain.best_times.slots import weekday_and_minute, zone_or_utc

__all__ = [
    "SLOTS_PER_WEEK",
    "Basis",
    "BestTimeParams",
    "Context",
    "LearnedBestTimes",
    "PostRecord",
    "best_slots",
    "explain",
    "learn",
    "weekday_and_minute",
    "zone_or_utc",
]
