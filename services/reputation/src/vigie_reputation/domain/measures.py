"""What one mention adds to a brand's measures (pure: no I/O).

A mention counts once in each dimension: the whole brand ("none"), its language, country,
source and subsidiary. A correction moves the mention from one label to another in the same
buckets, so it is the difference of two contributions.
"""

import math
from dataclasses import dataclass
from datetime import datetime

LABEL_SIGN = {"positive": 1, "neutral": 0, "negative": -1}
DIMENSIONS = ("none", "language", "country", "source", "subsidiary")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class MentionFacts:
    """What the measures are split by, as the listener described the mention."""

    tenant: str
    brand_id: str
    mention_id: str
    subsidiary_id: str
    language: str
    country: str
    source: str
    author_handle: str
    followers: int
    text: str
    publish_time: datetime


@dataclass(frozen=True)
class Contribution:
    """Counts added to (or, negated, removed from) one minute bucket."""

    volume: int
    positive: int
    neutral: int
    negative: int
    reach: int
    weight: float
    weighted_net: float
    polar_weight: float

    def negated(self) -> "Contribution":
        return Contribution(
            -self.volume,
            -self.positive,
            -self.neutral,
            -self.negative,
            -self.reach,
            -self.weight,
            -self.weighted_net,
            -self.polar_weight,
        )


def reach_weight(followers: int) -> float:
    """log(1 + followers): a big account weighs more, but not a million times more."""
    return math.log1p(max(followers, 0))


def contribution(label: str, followers: int) -> Contribution:
    weight = reach_weight(followers)
    return Contribution(
        volume=1,
        positive=int(label == "positive"),
        neutral=int(label == "neutral"),
        negative=int(label == "negative"),
        reach=max(followers, 0),
        weight=weight,
        weighted_net=weight * LABEL_SIGN[label],
        polar_weight=weight * abs(LABEL_SIGN[label]),
    )


def relabel(old: str, new: str, followers: int) -> Contribution:
    """Moves a mention from `old` to `new`: its volume and reach stay, its label changes."""
    before, after = contribution(old, followers), contribution(new, followers)
    return Contribution(
        volume=0,
        positive=after.positive - before.positive,
        neutral=after.neutral - before.neutral,
        negative=after.negative - before.negative,
        reach=0,
        weight=0.0,
        weighted_net=after.weighted_net - before.weighted_net,
        polar_weight=after.polar_weight - before.polar_weight,
    )


def dimension_values(facts: MentionFacts) -> dict[str, str]:
    """The value of each dimension for this mention; blanks become "unknown"."""
    return {
        "none": "",
        "language": facts.language.lower() or UNKNOWN,
        "country": facts.country.upper() or UNKNOWN,
        "source": facts.source or UNKNOWN,
        "subsidiary": facts.subsidiary_id or UNKNOWN,
    }


def minute_of(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)
