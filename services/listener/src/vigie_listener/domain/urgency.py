"""How urgent an inbox item is, in parts a person can read (pure).

urgency = reach + sentiment + crisis + waiting, where
- reach     = min(50, 10 x log10(1 + followers))   (100 followers ≈ 20, 10,000 ≈ 40);
- sentiment = 30 when scored negative, else 0      (unscored counts as 0 until it is);
- crisis    = 40 while the brand has an open crisis;
- waiting   = 10 per hour since the item opened, until the brand's first reply (or closing),
  uncapped so an old unanswered item ends up above any fresh one.

The waiting part is linear in the opening time, so the items still waiting rank in the same
order as `rank_key = base - 10 x hours(open_time since the epoch)`, a number stored with the
row: the database orders a page without recomputing anyone's urgency.
"""

import math
from dataclasses import dataclass
from datetime import datetime

REACH_CAP = 50.0
REACH_PER_DECADE = 10.0
NEGATIVE = 30.0
CRISIS = 40.0
PER_HOUR_WAITING = 10.0


@dataclass(frozen=True)
class Part:
    factor: str
    score: float
    explanation: str


@dataclass(frozen=True)
class Urgency:
    parts: tuple[Part, ...]

    @property
    def total(self) -> float:
        return round(sum(p.score for p in self.parts), 3)


def reach(followers: int) -> Part:
    score = min(REACH_CAP, REACH_PER_DECADE * math.log10(1 + max(0, followers)))
    return Part("REACH", round(score, 3), f"{max(0, followers):,} followers")


def sentiment(label: str) -> Part:
    if label == "NEGATIVE":
        return Part("SENTIMENT", NEGATIVE, "scored negative")
    return Part("SENTIMENT", 0.0, f"scored {label.lower()}" if label else "not scored yet")


def crisis(in_crisis: bool) -> Part:
    if in_crisis:
        return Part("CRISIS", CRISIS, "the brand has an open crisis")
    return Part("CRISIS", 0.0, "no open crisis")


def waiting(opened: datetime, until: datetime) -> Part:
    hours = max(0.0, (until - opened).total_seconds() / 3600)
    return Part("WAITING", round(PER_HOUR_WAITING * hours, 3), f"waited {hours:.1f} h")


def base(followers: int, label: str, in_crisis: bool) -> float:
    """The parts that do not grow with time."""
    return round(reach(followers).score + sentiment(label).score + crisis(in_crisis).score, 3)


def urgency(
    followers: int, label: str, in_crisis: bool, opened: datetime, until: datetime
) -> Urgency:
    """`until` is now for an item still waiting, else when the waiting stopped."""
    return Urgency((reach(followers), sentiment(label), crisis(in_crisis), waiting(opened, until)))


def rank_key(base_score: float, opened: datetime) -> float:
    """Orders waiting items as their urgency does, at any moment (see the module's doc)."""
    return base_score - PER_HOUR_WAITING * opened.timestamp() / 3600
