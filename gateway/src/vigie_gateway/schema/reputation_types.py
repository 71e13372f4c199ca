"""The reputation's objects as front-end teams see them: measures, the Reputation Index, share
of voice, crises with their explanation, mention sentiments, webhooks and their deliveries."""

from datetime import datetime
from enum import Enum

import strawberry
from vigie.reputation.v1 import resources_pb2 as pb

from vigie_gateway.schema.common import Node, moment


@strawberry.enum(description="The tone of a mention.")
class SentimentLabel(Enum):
    UNSPECIFIED = pb.SENTIMENT_LABEL_UNSPECIFIED
    POSITIVE = pb.SENTIMENT_LABEL_POSITIVE
    NEUTRAL = pb.SENTIMENT_LABEL_NEUTRAL
    NEGATIVE = pb.SENTIMENT_LABEL_NEGATIVE


@strawberry.enum(description="The width of a measure's bucket.")
class Granularity(Enum):
    MINUTE = pb.GRANULARITY_MINUTE
    HOUR = pb.GRANULARITY_HOUR
    DAY = pb.GRANULARITY_DAY


@strawberry.enum(description="What a series is split by.")
class Dimension(Enum):
    NONE = strawberry.enum_value(
        pb.DIMENSION_NONE, description="No split: one series for the brand."
    )
    LANGUAGE = pb.DIMENSION_LANGUAGE
    COUNTRY = pb.DIMENSION_COUNTRY
    SOURCE = pb.DIMENSION_SOURCE
    SUBSIDIARY = pb.DIMENSION_SUBSIDIARY


@strawberry.enum(description="Where a crisis is in its life.")
class CrisisStatus(Enum):
    OPENED = pb.CRISIS_STATUS_OPENED
    ESCALATED = pb.CRISIS_STATUS_ESCALATED
    RESOLVED = pb.CRISIS_STATUS_RESOLVED


@strawberry.enum(description="How bad a crisis is.")
class CrisisSeverity(Enum):
    UNSPECIFIED = pb.CRISIS_SEVERITY_UNSPECIFIED
    LOW = pb.CRISIS_SEVERITY_LOW
    MEDIUM = pb.CRISIS_SEVERITY_MEDIUM
    HIGH = pb.CRISIS_SEVERITY_HIGH
    CRITICAL = pb.CRISIS_SEVERITY_CRITICAL


@strawberry.type(description="What the model said of a mention, and a person's correction.")
class MentionSentiment(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/mentions/{mention}/sentiment."
    )
    mention_id: strawberry.ID = strawberry.field(
        description="The listener's mention: tenants/{tenant}/brands/{brand}/mentions/{mention}."
    )
    label: SentimentLabel = strawberry.field(description="What the model said.")
    confidence: float = strawberry.field(
        description="The model's probability for `label`, in [0, 1]."
    )
    model_version: str
    corrected_label: SentimentLabel = strawberry.field(
        description="What a person corrected it to; UNSPECIFIED when nobody did. Measures use it "
        "when set."
    )
    corrected_by: str | None = strawberry.field(
        description="Who corrected it: tenants/{tenant}/members/{member}."
    )
    corrected_at: datetime | None

    @classmethod
    def of(cls, m: pb.MentionSentiment) -> "MentionSentiment":
        corrected = m.HasField("correct_time")
        return cls(
            id=strawberry.ID(m.name), mention_id=strawberry.ID(m.mention),
            label=SentimentLabel(m.label), confidence=m.confidence,
            model_version=m.model_version, corrected_label=SentimentLabel(m.corrected_label),
            corrected_by=m.corrected_by or None,
            corrected_at=moment(m.correct_time) if corrected else None,
        )  # fmt: skip


@strawberry.type(description="The measures of one time bucket.")
class MeasurePoint:
    start: datetime = strawberry.field(description="Start of the window (inclusive, UTC).")
    volume: int
    positive: int
    neutral: int
    negative: int
    reach: float = strawberry.field(description="Sum of the authors' followers.")
    net_sentiment: float = strawberry.field(description="(positive - negative) / volume.")
    reach_weighted_net_sentiment: float = strawberry.field(
        description="Net sentiment with each mention weighted by log(1 + author followers), in "
        "[-1, 1]."
    )

    @classmethod
    def of(cls, p: pb.MeasurePoint) -> "MeasurePoint":
        return cls(
            start=moment(p.start_time), volume=p.volume, positive=p.positive_count,
            neutral=p.neutral_count, negative=p.negative_count, reach=float(p.reach),
            net_sentiment=p.net_sentiment,
            reach_weighted_net_sentiment=p.reach_weighted_net_sentiment,
        )  # fmt: skip


@strawberry.type(description="A brand's series for one value of a dimension.")
class MeasureSeries:
    dimension_value: str = strawberry.field(description="'' for no split.")
    points: list[MeasurePoint] = strawberry.field(
        description="One point per bucket, oldest first; empty buckets are present."
    )

    @classmethod
    def of(cls, s: pb.MeasureSeries) -> "MeasureSeries":
        return cls(dimension_value=s.dimension_value, points=[MeasurePoint.of(p) for p in s.points])


@strawberry.type(description="A mention that weighed on an index or a crisis.")
class ContributingMention:
    mention_id: strawberry.ID = strawberry.field(
        description="A global id: tenants/{tenant}/brands/{brand}/mentions/{mention}."
    )
    label: SentimentLabel
    contribution: float = strawberry.field(description="Its share of the movement, in [0, 1].")

    @classmethod
    def of(cls, c: pb.ContributingMention) -> "ContributingMention":
        return cls(
            mention_id=strawberry.ID(c.mention),
            label=SentimentLabel(c.label),
            contribution=c.contribution,
        )


@strawberry.type(description="0 (worst) to 100 (best) over the last 7 days; formula: INDEX docs.")
class ReputationIndex:
    value: float
    previous_value: float = strawberry.field(
        description="The value over the previous window of the same length, to show the trend."
    )
    window_start: datetime
    window_end: datetime
    summary: str
    top_mentions: list[ContributingMention]

    @classmethod
    def of(cls, r: pb.ReputationIndex) -> "ReputationIndex":
        return cls(
            value=r.value, previous_value=r.previous_value,
            window_start=moment(r.window_start_time), window_end=moment(r.window_end_time),
            summary=r.explanation.summary,
            top_mentions=[ContributingMention.of(m) for m in r.explanation.top_mentions],
        )  # fmt: skip


@strawberry.type(description="One brand's part of the conversation.")
class BrandShare:
    brand_id: strawberry.ID = strawberry.field(description="The brand's global id.")
    volume: int
    share: float = strawberry.field(description="Volume / total volume, in [0, 1].")
    positive_share: float = strawberry.field(
        description="This brand's positive mentions / all brands' positive mentions, in [0, 1]."
    )
    net_sentiment: float


@strawberry.type(description="A dimension's value in a crisis.")
class CrisisContributor:
    value: str
    mentions: int
    negative: int


def _contributors(items: list[pb.CrisisContributor]) -> list[CrisisContributor]:
    return [CrisisContributor(value=c.value, mentions=c.mention_count, negative=c.negative_count)
            for c in items]  # fmt: skip


@strawberry.type(description="An abnormal rise of (negative) mentions of a brand, explained.")
class Crisis(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/crises/{crisis}."
    )
    brand_id: strawberry.ID = strawberry.field(description="The brand's global id.")
    status: CrisisStatus = strawberry.field(description="Where it stands.")
    severity: CrisisSeverity
    opened_at: datetime
    signal: str = strawberry.field(description="'volume' or 'negative_volume'.")
    baseline: float
    observed: float
    since: datetime
    summary: str
    top_mentions: list[ContributingMention]
    top_authors: list[CrisisContributor]
    top_languages: list[CrisisContributor]
    top_sources: list[CrisisContributor]

    @classmethod
    def of(cls, c: pb.Crisis) -> "Crisis":
        e = c.explanation
        return cls(
            id=strawberry.ID(c.name), brand_id=strawberry.ID(c.brand),
            status=CrisisStatus(c.status), severity=CrisisSeverity(c.severity),
            opened_at=moment(c.open_time), signal=e.signal, baseline=e.baseline,
            observed=e.observed, since=moment(e.since_time), summary=e.summary,
            top_mentions=[ContributingMention.of(m) for m in e.top_mentions],
            top_authors=_contributors(list(e.top_authors)),
            top_languages=_contributors(list(e.top_languages)),
            top_sources=_contributors(list(e.top_sources)),
        )  # fmt: skip


@strawberry.type(description="An HTTP endpoint that receives signed alerts.")
class Webhook(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/webhooks/{webhook}."
    )
    display_name: str = strawberry.field(description="Its name as people see it.")
    url: str = strawberry.field(description="The address.")
    subsidiary_id: strawberry.ID | None = strawberry.field(
        description="The subsidiary whose alerts it receives: "
        "tenants/{tenant}/subsidiaries/{subsidiary}; empty for group-wide."
    )
    enabled: bool = strawberry.field(description="Whether it is in use.")

    @classmethod
    def of(cls, w: pb.Webhook) -> "Webhook":
        return cls(
            id=strawberry.ID(w.name), display_name=w.display_name, url=w.url,
            subsidiary_id=strawberry.ID(w.subsidiary) if w.subsidiary else None,
            enabled=w.enabled,
        )  # fmt: skip


@strawberry.type(description="One event sent (or being retried) to a webhook.")
class WebhookDelivery(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/webhooks/{webhook}/deliveries/{delivery}."
    )
    event_type: str
    state: str = strawberry.field(description="pending, delivered or failed.")
    attempts: int
    last_status_code: int = strawberry.field(
        description="The last HTTP status received; 0 when none."
    )
    last_error: str

    @classmethod
    def of(cls, d: pb.WebhookDelivery) -> "WebhookDelivery":
        state = pb.WebhookDeliveryState.Name(d.state).removeprefix("WEBHOOK_DELIVERY_STATE_")
        return cls(
            id=strawberry.ID(d.name), event_type=d.event_type, state=state.lower(),
            attempts=d.attempts, last_status_code=d.last_status_code, last_error=d.last_error,
        )  # fmt: skip
