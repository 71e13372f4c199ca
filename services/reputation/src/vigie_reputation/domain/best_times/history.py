"""An account's posts as the learner sees them, and each post's response relative to its
account's typical level (so accounts of any size and any growth can be compared and pooled)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from vigie_reputation.domain.best_times.params import BestTimeParams
from vigie_reputation.domain.best_times.slots import slot_of


@dataclass(frozen=True)
class PostRecord:
    """One post with the latest engagement read for it and the followers at that reading."""

    publish_time: datetime
    interactions: int  # likes + reposts + replies + quotes
    impressions: int  # -1 (or 0) when the network does not report them
    followers: int


@dataclass(frozen=True)
class Evidence:
    """Posts reduced to what the smoother needs: their slot and their relative response."""

    slots: NDArray[np.int64]
    responses: NDArray[np.float64]

    @property
    def posts(self) -> int:
        return int(self.slots.size)

    @staticmethod
    def pooled(parts: Sequence["Evidence"]) -> "Evidence":
        if not parts:
            return Evidence(np.zeros(0, np.int64), np.zeros(0, np.float64))
        return Evidence(
            np.concatenate([p.slots for p in parts]),
            np.concatenate([p.responses for p in parts]),
        )


def in_window(
    posts: Sequence[PostRecord], now: datetime, params: BestTimeParams
) -> list[PostRecord]:
    """Posts of the learning window whose engagement has had time to settle."""
    start, end = now - params.window, now - params.maturity
    return [p for p in posts if start <= p.publish_time < end]


def relative_responses(posts: Sequence[PostRecord], cap: float) -> NDArray[np.float64]:
    """Each post's engagement per follower relative to the account's mean of it (mean 1.0).

    Per follower, so that an account's growth over the window is not read as its later slots
    being better; +1 interaction so that posts nobody touched still compare. When the network
    reports impressions for every post, the relative impressions count for half. The typical
    level is first the median, and responses are capped at `cap` times it before taking the
    mean, so that one viral post neither dwarfs every other post nor wins its slot alone.
    """
    if not posts:
        return np.zeros(0, np.float64)
    followers = np.array([max(p.followers, 1) for p in posts], np.float64)
    relative = _typical(np.array([p.interactions + 1 for p in posts], np.float64) / followers)
    if all(p.impressions > 0 for p in posts):
        seen = np.array([p.impressions + 1 for p in posts], np.float64) / followers
        relative = (relative + _typical(seen)) / 2
    capped = np.minimum(relative, cap)
    return capped / capped.mean()  # type: ignore[no-any-return]


def _typical(rates: NDArray[np.float64]) -> NDArray[np.float64]:
    return rates / float(np.median(rates))


def evidence_of(posts: Sequence[PostRecord], zone: ZoneInfo, cap: float) -> Evidence:
    slots = np.array([slot_of(p.publish_time, zone) for p in posts], np.int64)
    return Evidence(slots, relative_responses(posts, cap))
