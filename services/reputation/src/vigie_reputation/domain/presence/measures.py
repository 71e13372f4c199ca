"""The presence measures of a set of accounts over a window, from what the store read.

Engagements of a post = likes + reposts + replies + quotes. A post's engagement rate is its
engagements over its impressions where the network reports them, else over the account's
followers when the post was first seen; the window's rate is the mean over its posts.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from vigie_reputation.domain.presence.window import (
    PresenceGranularity,
    PresenceWindow,
    bucket_day,
    local_day,
)


@dataclass(frozen=True)
class AudienceFact:
    """An account's counters at one moment (a raw snapshot, or one end of a day's roll-up)."""

    account: str
    time: datetime
    followers: int
    following: int
    posts: int


@dataclass(frozen=True)
class PostFact:
    account: str
    uri: str
    url: str
    text: str
    create_time: datetime
    likes: int
    reposts: int
    replies: int
    quotes: int
    # -1 when the network does not report them.
    impressions: int
    followers_at_post: int

    @property
    def engagements(self) -> int:
        return self.likes + self.reposts + self.replies + self.quotes

    @property
    def reach(self) -> int:
        """Impressions where known, else the potential reach: followers at post time."""
        return self.impressions if self.impressions >= 0 else self.followers_at_post

    @property
    def engagement_rate(self) -> float:
        base = self.impressions if self.impressions > 0 else self.followers_at_post
        return self.engagements / base if base > 0 else 0.0


@dataclass(frozen=True)
class PostDay:
    """Posts of an account created on one local day, summed (the store keeps these as its day
    roll-up of posts; a window's partial days make them from their post rows)."""

    account: str
    day: date
    posts: int
    engagements: int
    reach: int
    potential_reach_posts: int  # posts without impressions (their reach is followers)
    rate_sum: float  # the sum of the posts' engagement rates


def post_days(posts: Iterable[PostFact], zone: ZoneInfo) -> list[PostDay]:
    """One PostDay per account and local day in `zone` that has posts."""
    grouped: dict[tuple[str, date], list[PostFact]] = {}
    for post in posts:
        grouped.setdefault((post.account, local_day(post.create_time, zone)), []).append(post)
    return [
        PostDay(
            account,
            day,
            len(day_posts),
            sum(p.engagements for p in day_posts),
            sum(p.reach for p in day_posts),
            sum(1 for p in day_posts if p.impressions < 0),
            sum(p.engagement_rate for p in day_posts),
        )
        for (account, day), day_posts in grouped.items()
    ]


@dataclass(frozen=True)
class AudiencePoint:
    """One bucket: followers at its last snapshot (summed over accounts), posts and engagements
    of the posts created in it."""

    day: date
    followers: int
    posts: int
    engagements: int


@dataclass(frozen=True)
class Audience:
    followers_start: int
    followers_end: int

    @property
    def growth(self) -> int:
        return self.followers_end - self.followers_start

    @property
    def growth_percent(self) -> float:
        if self.followers_start == 0:
            return 0.0
        return 100.0 * self.growth / self.followers_start


@dataclass(frozen=True)
class Presence:
    audience: Audience
    posts: int
    posts_per_week: float
    engagements: int
    engagement_rate: float
    reach: int
    # True when every post's reach came from impressions (else some is potential reach).
    reach_is_impressions: bool
    series: list[AudiencePoint] = field(default_factory=list)


def audience(facts: Iterable[AudienceFact]) -> Audience:
    """Per account, the first and last counters in the window; summed over the accounts."""
    first: dict[str, AudienceFact] = {}
    last: dict[str, AudienceFact] = {}
    for fact in facts:
        if fact.account not in first or fact.time < first[fact.account].time:
            first[fact.account] = fact
        if fact.account not in last or fact.time > last[fact.account].time:
            last[fact.account] = fact
    return Audience(
        sum(f.followers for f in first.values()), sum(f.followers for f in last.values())
    )


def series(
    facts: Sequence[AudienceFact],
    days: Sequence[PostDay],
    window: PresenceWindow,
    granularity: PresenceGranularity,
    buckets: Sequence[date],
) -> list[AudiencePoint]:
    """Followers at each bucket's last snapshot per account (carried from the last bucket that
    had one), posts and engagements of the posts created in each bucket (local days in the
    window's zone)."""
    last: dict[tuple[date, str], AudienceFact] = {}
    for fact in facts:
        key = (bucket_day(local_day(fact.time, window.zone), granularity), fact.account)
        if key not in last or fact.time > last[key].time:
            last[key] = fact
    counts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for posted_day in days:
        bucket = bucket_day(posted_day.day, granularity)
        counts[bucket][0] += posted_day.posts
        counts[bucket][1] += posted_day.engagements
    carried: dict[str, int] = {}
    points = []
    for day in buckets:
        for (bucket, account), fact in last.items():
            if bucket == day:
                carried[account] = fact.followers
        posted, engaged = counts.get(day, [0, 0])
        points.append(AudiencePoint(day, sum(carried.values()), posted, engaged))
    return points


def presence(
    facts: Sequence[AudienceFact],
    posts: Sequence[PostFact],
    window: PresenceWindow,
    granularity: PresenceGranularity,
    buckets: Sequence[date],
    rolled: Sequence[PostDay] = (),
) -> Presence:
    """The measures of `posts` and of the days of posts already `rolled` up (local days in the
    window's zone): both are summed per day, so a roll-up gives what its posts would."""
    days = [*post_days(posts, window.zone), *rolled]
    count = sum(d.posts for d in days)
    return Presence(
        audience=audience(facts),
        posts=count,
        posts_per_week=count / window.weeks,
        engagements=sum(d.engagements for d in days),
        engagement_rate=sum(d.rate_sum for d in days) / count if count else 0.0,
        reach=sum(d.reach for d in days),
        reach_is_impressions=all(d.potential_reach_posts == 0 for d in days),
        series=series(facts, days, window, granularity, buckets),
    )


def top_posts(posts: Iterable[PostFact], count: int) -> list[PostFact]:
    """Most engaged first; ties by the newer post, then the URI (a stable order)."""
    ordered = sorted(posts, key=lambda p: (-p.engagements, -p.create_time.timestamp(), p.uri))
    return ordered[:count]


def share_of_engagement(engagements: dict[str, int]) -> dict[str, float]:
    """Each brand's part of the engagements of all the brands compared, in [0, 1]."""
    total = sum(engagements.values())
    return {brand: (n / total if total else 0.0) for brand, n in engagements.items()}
