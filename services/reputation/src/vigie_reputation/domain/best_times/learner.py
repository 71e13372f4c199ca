"""Learns an account's expected engagement for every slot of the week, from its own history
when it is long enough, else from the network and time-zone aggregate, else a flat prior."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

import numpy as np

from vigie_reputation.domain.best_times.history import (
    Evidence,
    PostRecord,
    evidence_of,
    in_window,
)
from vigie_reputation.domain.best_times.params import SLOTS_PER_WEEK, BestTimeParams
from vigie_reputation.domain.best_times.smoothing import Scores, shrunk_scores


class Basis(StrEnum):
    OWN_HISTORY = "own_history"
    NETWORK_AGGREGATE = "network_aggregate"
    FLAT_PRIOR = "flat_prior"


@dataclass(frozen=True)
class LearnedBestTimes:
    scores: Scores  # one per slot, 1.0 = the account's mean engagement
    basis: Basis
    posts_used: int  # the account's own posts in the window
    # The other accounts of the network and time zone, counted only when shared (>= the minimum).
    aggregate_accounts: int
    aggregate_posts: int
    window_start: datetime
    window_end: datetime

    @property
    def aggregate_shared(self) -> bool:
        return self.aggregate_accounts > 0


def flat_prior() -> Scores:
    """No slot better than another: what is known before any history."""
    return np.ones(SLOTS_PER_WEEK)


def learn(
    own: Sequence[PostRecord],
    others: Sequence[Sequence[PostRecord]],
    zone: ZoneInfo,
    now: datetime,
    params: BestTimeParams,
) -> LearnedBestTimes:
    """`own`: the account's posts; `others`: the posts of each other account of the same network
    and time zone (any tenant). Each account's responses are relative to its own mean, so the
    aggregate weighs audiences' habits, not accounts' sizes."""
    cap = params.response_cap
    mine = in_window(own, now, params)
    windows = [in_window(posts, now, params) for posts in others]
    contributions = [evidence_of(posts, zone, cap) for posts in windows if posts]
    shared = len(contributions) >= params.min_aggregate_accounts
    pooled = Evidence.pooled(contributions if shared else [])
    prior = shrunk_scores(pooled, flat_prior(), params) if shared else flat_prior()
    if len(mine) >= params.min_posts:
        scores, basis = (
            shrunk_scores(evidence_of(mine, zone, cap), prior, params),
            Basis.OWN_HISTORY,
        )
    else:
        scores = prior
        basis = Basis.NETWORK_AGGREGATE if shared else Basis.FLAT_PRIOR
    return LearnedBestTimes(
        scores=scores,
        basis=basis,
        posts_used=len(mine),
        aggregate_accounts=len(contributions) if shared else 0,
        aggregate_posts=pooled.posts,
        window_start=now - params.window,
        window_end=now - params.maturity,
    )
