"""What a report holds: plain figures gathered for one subject and one period, ready to render
in any format. Nothing here reads a database or a clock."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class DayPoint:
    """One day (on the subject's local calendar) of the subject's mentions."""

    day: date
    volume: int
    positive: int
    neutral: int
    negative: int

    @property
    def net_sentiment(self) -> float:
        """(positive - negative) / volume, in [-1, 1]; 0 without mentions."""
        return (self.positive - self.negative) / self.volume if self.volume else 0.0


@dataclass(frozen=True)
class Share:
    brand: str
    volume: int
    share: float


@dataclass(frozen=True)
class Reputation:
    # The index at the period's end, and over the 7 days before (domain/index.py).
    index_value: float
    previous_index_value: float
    days: list[DayPoint]
    shares: list[Share]

    @property
    def volume(self) -> int:
        return sum(d.volume for d in self.days)

    @property
    def positive(self) -> int:
        return sum(d.positive for d in self.days)

    @property
    def negative(self) -> int:
        return sum(d.negative for d in self.days)


@dataclass(frozen=True)
class CrisisLine:
    brand: str
    severity: str  # watch, minor, major, critical
    status: str  # opened, escalated, resolved
    open_time: datetime
    resolve_time: datetime | None


@dataclass(frozen=True)
class TimelineLine:
    """One entry of an exported crisis room's timeline."""

    time: datetime
    kind: str  # detected, person_notified, statement_published, ...
    summary: str
    subject: str


@dataclass(frozen=True)
class CampaignLine:
    display_name: str
    mentions: int
    reach: int
    engagements: int
    # Decimal strings in `currency`, as the partnerships computed them ("" when unknown).
    spend: str
    revenue: str
    currency: str
    # (revenue - spend) / spend as a decimal string, "" without spend.
    roi: str
    compute_time: datetime


@dataclass(frozen=True)
class AccountPresence:
    """One account's audience over the period, as the presence measures give it."""

    account: str
    network: str
    followers_start: int
    followers_end: int
    posts: int
    engagement_rate: float | None


@dataclass(frozen=True)
class AudienceDay:
    """One local day of the subject's owned accounts: followers at the day's last snapshot
    (summed), posts created that day and their engagements."""

    day: date
    followers: int
    posts: int
    engagements: int


@dataclass(frozen=True)
class TopPost:
    account: str
    url: str
    text: str
    create_time: datetime
    engagements: int
    engagement_rate: float


@dataclass(frozen=True)
class EngagementShare:
    """A brand's (own or competitor's) part of the engagements their posts drew."""

    brand: str
    engagements: int
    share: float


@dataclass(frozen=True)
class PresenceSection:
    """The subject's owned accounts over the period (docs/ANALYTICS.md defines each measure)."""

    followers_start: int
    followers_end: int
    posts: int
    posts_per_week: float
    engagements: int
    engagement_rate: float
    reach: int
    reach_is_impressions: bool
    questions: int
    answered: int
    median_response: timedelta | None
    p90_response: timedelta | None
    days: list[AudienceDay] = field(default_factory=list)
    accounts: list[AccountPresence] = field(default_factory=list)
    top_posts: list[TopPost] = field(default_factory=list)
    shares: list[EngagementShare] = field(default_factory=list)

    @property
    def growth(self) -> int:
        return self.followers_end - self.followers_start


@dataclass(frozen=True)
class Report:
    """Everything a rendered report shows. `presence` is None when the subject has no account
    measured (the section then says so instead of showing zeros)."""

    subject: str  # the brand's or subsidiary's display name
    subject_name: str  # its resource name
    start: datetime
    end: datetime
    language: str
    locale: str
    time_zone: str
    generated_for: datetime  # fixes the document's dates: the same inputs give the same bytes
    reputation: Reputation
    crises: list[CrisisLine] = field(default_factory=list)
    campaigns: list[CampaignLine] = field(default_factory=list)
    presence: PresenceSection | None = None
    # An exported crisis room: its timeline (empty for other reports).
    crisis_room: list[TimelineLine] = field(default_factory=list)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(ZoneInfo(self.time_zone))

    @property
    def first_day(self) -> date:
        return self.local(self.start).date()

    @property
    def last_day(self) -> date:
        """The last day the period covers (it ends at the next day's midnight)."""
        return self.local(self.end - timedelta(microseconds=1)).date()
