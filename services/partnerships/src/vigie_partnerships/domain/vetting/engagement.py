"""Engagement rate against the benchmark of the creator's follower tier.

Rate = mean engagements per post / followers. Smaller audiences engage more, so each tier has
its own benchmark (typical medians reported across networks). Score = 50 * rate / benchmark,
capped at 100: 50 at the benchmark, 100 at twice it.
"""

from dataclasses import dataclass

from vigie_partnerships.domain.vetting.score import Score, ScoreBuilder, clamp


@dataclass(frozen=True)
class Tier:
    name: str
    # Followers from (inclusive) up to the next tier.
    floor: int
    benchmark: float


TIERS = (
    Tier("nano", 0, 0.04),
    Tier("micro", 10_000, 0.025),
    Tier("mid", 100_000, 0.015),
    Tier("macro", 500_000, 0.01),
    Tier("mega", 1_000_000, 0.008),
)


def tier_of(followers: int) -> Tier:
    return [t for t in TIERS if followers >= t.floor][-1]


def engagement_rate(mean_engagements_per_post: float, followers: int) -> float:
    return mean_engagements_per_post / followers if followers > 0 else 0.0


def engagement_score(mean_engagements_per_post: float, followers: int) -> Score:
    tier = tier_of(followers)
    rate = engagement_rate(mean_engagements_per_post, followers)
    builder = ScoreBuilder(start=0.0)
    builder.input("followers", followers)
    builder.input("mean_engagements_per_post", mean_engagements_per_post)
    builder.input("engagement_rate", rate)
    builder.input("tier", tier.name)
    builder.input("tier_benchmark", tier.benchmark)
    if followers == 0:
        return Score(0.0, tuple(builder.inputs), ("no followers known: no engagement rate",))
    value = round(clamp(50.0 * rate / tier.benchmark), 1)
    ratio = rate / tier.benchmark
    reason = (
        f"engagement rate {rate:.2%} is {ratio:.2f}x the {tier.name} benchmark "
        f"of {tier.benchmark:.2%}"
    )
    return Score(value, tuple(builder.inputs), (reason,))
