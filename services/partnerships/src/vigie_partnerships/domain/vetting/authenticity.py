"""Authenticity, 0-100: how likely the audience and activity are real.

Starts at 100; each sign of a bought or fake audience takes points off, with its reason:

- growth anomaly (-25): between two snapshots at most 31 days apart, followers grew over 20 %
  while engagements per post grew less than half as fast (bought followers do not engage);
- engagement far below the tier benchmark, under a fifth of it (-20: an inactive or bought
  audience), or far above, over five times it (-15: engagement pods or bought likes);
- follower/following ratio under 1 with over 1,000 accounts followed (-15: follow-for-follow);
- account younger than 90 days (-10);
- posting cadence over 50 posts a day over the account's life (-10: automation);
- repeated texts: half or more of at least 4 known texts are copies of another (-20: spam).
"""

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from vigie_partnerships.domain.vetting.engagement import engagement_rate, tier_of
from vigie_partnerships.domain.vetting.score import Score, ScoreBuilder


@dataclass(frozen=True)
class Point:
    """A snapshot's figures: when, followers, mean engagements per post."""

    at: datetime
    followers: int
    mean_engagements_per_post: float


@dataclass(frozen=True)
class AuthenticityInputs:
    followers: int
    following: int
    posts: int
    mean_engagements_per_post: float
    opened_at: datetime | None
    now: datetime
    # Oldest first.
    history: tuple[Point, ...] = ()
    texts: tuple[str, ...] = ()


def authenticity_score(facts: AuthenticityInputs) -> Score:
    builder = ScoreBuilder()
    _growth(builder, facts.history)
    _engagement_outlier(builder, facts)
    _ratio(builder, facts.followers, facts.following)
    _age_and_cadence(builder, facts)
    _repeated_texts(builder, facts.texts)
    return builder.build("no sign of a fake audience in the data available")


def _growth(builder: ScoreBuilder, history: tuple[Point, ...]) -> None:
    worst = 0.0
    for before, after in itertools.pairwise(history):
        if after.at - before.at > timedelta(days=31) or before.followers <= 0:
            continue
        growth = (after.followers - before.followers) / before.followers
        base = before.mean_engagements_per_post
        engaged = (after.mean_engagements_per_post - base) / base if base > 0 else 0.0
        if growth > 0.2 and engaged < growth / 2:
            worst = max(worst, growth)
    builder.input("max_unmatched_follower_growth", worst)
    if worst:
        builder.penalise(
            25, f"followers grew {worst:.0%} within a month without engagement following"
        )


def _engagement_outlier(builder: ScoreBuilder, facts: AuthenticityInputs) -> None:
    if facts.followers <= 0 or facts.mean_engagements_per_post <= 0:
        return
    ratio = engagement_rate(facts.mean_engagements_per_post, facts.followers)
    ratio /= tier_of(facts.followers).benchmark
    builder.input("engagement_rate_to_benchmark", ratio)
    if ratio < 0.2:
        builder.penalise(20, f"engagement is {ratio:.2f}x its tier benchmark: audience inactive")
    elif ratio > 5:
        builder.penalise(15, f"engagement is {ratio:.1f}x its tier benchmark: likely pods")


def _ratio(builder: ScoreBuilder, followers: int, following: int) -> None:
    if following <= 0:
        return
    ratio = followers / following
    builder.input("follower_following_ratio", ratio)
    if following > 1000 and ratio < 1:
        builder.penalise(15, f"follows {following} accounts for {followers} followers")


def _age_and_cadence(builder: ScoreBuilder, facts: AuthenticityInputs) -> None:
    if facts.opened_at is None:
        builder.input("account_age_days", "unknown")
        return
    days = max((facts.now - facts.opened_at).days, 1)
    builder.input("account_age_days", days)
    if days < 90:
        builder.penalise(10, f"the account is {days} days old")
    per_day = facts.posts / days
    builder.input("posts_per_day", per_day)
    if per_day > 50:
        builder.penalise(10, f"{per_day:.0f} posts a day over the account's life")


def _repeated_texts(builder: ScoreBuilder, texts: tuple[str, ...]) -> None:
    normalised = [" ".join(t.lower().split()) for t in texts if t.strip()]
    if len(normalised) < 4:
        return
    counts = Counter(normalised)
    copies = sum(n - 1 for n in counts.values())
    share = copies / len(normalised)
    builder.input("repeated_text_share", share)
    if share >= 0.5:
        builder.penalise(20, f"{share:.0%} of their known texts repeat another")
