"""The reputation's objects as front-end teams see them: measures, the Reputation Index, share
of voice, crises with their explanation, mention sentiments, webhooks and their deliveries."""

from datetime import datetime
from enum import Enum

import strawberry
from vigie.reputation.v1 import resources_pb2 as pb

from vigie_gateway.schema.common import Node, moment


@strawberry.enum(description="The tone of a mention.")
class SentimentLabel(Enum):
    UNSPECIFIED = strawberry.enum_value(
        pb.SENTIMENT_LABEL_UNSPECIFIED, description="Not scored or not corrected."
    )
    POSITIVE = strawberry.enum_value(pb.SENTIMENT_LABEL_POSITIVE, description="Positive.")
    NEUTRAL = strawberry.enum_value(pb.SENTIMENT_LABEL_NEUTRAL, description="Neutral.")
    NEGATIVE = strawberry.enum_value(pb.SENTIMENT_LABEL_NEGATIVE, description="Negative.")


@strawberry.enum(description="The width of a measure's bucket.")
class Granularity(Enum):
    MINUTE = strawberry.enum_value(pb.GRANULARITY_MINUTE, description="One bucket a minute.")
    HOUR = strawberry.enum_value(pb.GRANULARITY_HOUR, description="One bucket an hour.")
    DAY = strawberry.enum_value(pb.GRANULARITY_DAY, description="One bucket a day.")


@strawberry.enum(description="What a series is split by.")
class Dimension(Enum):
    NONE = strawberry.enum_value(
        pb.DIMENSION_NONE, description="No split: one series for the brand."
    )
    LANGUAGE = strawberry.enum_value(pb.DIMENSION_LANGUAGE, description="One series per language.")
    COUNTRY = strawberry.enum_value(pb.DIMENSION_COUNTRY, description="One series per country.")
    SOURCE = strawberry.enum_value(pb.DIMENSION_SOURCE, description="One series per source kind.")
    SUBSIDIARY = strawberry.enum_value(
        pb.DIMENSION_SUBSIDIARY, description="One series per subsidiary."
    )


@strawberry.enum(description="Where a crisis is in its life.")
class CrisisStatus(Enum):
    OPENED = strawberry.enum_value(pb.CRISIS_STATUS_OPENED, description="Open.")
    ESCALATED = strawberry.enum_value(
        pb.CRISIS_STATUS_ESCALATED, description="Open and escalated since it opened."
    )
    RESOLVED = strawberry.enum_value(pb.CRISIS_STATUS_RESOLVED, description="Over.")


@strawberry.enum(description="How bad a crisis is.")
class CrisisSeverity(Enum):
    UNSPECIFIED = strawberry.enum_value(
        pb.CRISIS_SEVERITY_UNSPECIFIED, description="Not set (as a filter: any severity)."
    )
    LOW = strawberry.enum_value(pb.CRISIS_SEVERITY_LOW, description="Low.")
    MEDIUM = strawberry.enum_value(pb.CRISIS_SEVERITY_MEDIUM, description="Medium.")
    HIGH = strawberry.enum_value(pb.CRISIS_SEVERITY_HIGH, description="High.")
    CRITICAL = strawberry.enum_value(pb.CRISIS_SEVERITY_CRITICAL, description="Critical.")


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
    model_version: str = strawberry.field(description="The model that scored it.")
    corrected_label: SentimentLabel = strawberry.field(
        description="What a person corrected it to; UNSPECIFIED when nobody did. Measures use it "
        "when set."
    )
    corrected_by: str | None = strawberry.field(
        description="Who corrected it: tenants/{tenant}/members/{member}."
    )
    corrected_at: datetime | None = strawberry.field(
        description="When a person corrected it; null if never."
    )

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
    volume: int = strawberry.field(description="Mentions in the bucket.")
    positive: int = strawberry.field(description="Of those, positive.")
    neutral: int = strawberry.field(description="Of those, neutral.")
    negative: int = strawberry.field(description="Of those, negative.")
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
    label: SentimentLabel = strawberry.field(description="Its sentiment.")
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
    value: float = strawberry.field(description="The index, 0 to 100.")
    previous_value: float = strawberry.field(
        description="The value over the previous window of the same length, to show the trend."
    )
    window_start: datetime = strawberry.field(
        description="Start of the window it was measured over (UTC)."
    )
    window_end: datetime = strawberry.field(description="End of that window (UTC).")
    summary: str = strawberry.field(description="Why it is where it is, for people.")
    top_mentions: list[ContributingMention] = strawberry.field(
        description="The mentions that weigh most in it."
    )

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
    volume: int = strawberry.field(description="Mentions of the brand over the window.")
    share: float = strawberry.field(description="Volume / total volume, in [0, 1].")
    positive_share: float = strawberry.field(
        description="This brand's positive mentions / all brands' positive mentions, in [0, 1]."
    )
    net_sentiment: float = strawberry.field(
        description="(positive - negative) / scored mentions, from -1 to 1."
    )


@strawberry.type(description="A dimension's value in a crisis.")
class CrisisContributor:
    value: str = strawberry.field(description="The author, language or source.")
    mentions: int = strawberry.field(description="Its mentions in the crisis.")
    negative: int = strawberry.field(description="Of those, the negative ones.")


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
    severity: CrisisSeverity = strawberry.field(description="How bad it is.")
    opened_at: datetime = strawberry.field(description="When it opened (UTC).")
    signal: str = strawberry.field(description="'volume' or 'negative_volume'.")
    baseline: float = strawberry.field(description="The usual value of the measure that spiked.")
    observed: float = strawberry.field(description="The value that opened (or last escalated) it.")
    since: datetime = strawberry.field(
        description="Start of the window it was measured over (UTC)."
    )
    summary: str = strawberry.field(description="What happened, for people.")
    top_mentions: list[ContributingMention] = strawberry.field(
        description="The mentions that weigh most in it."
    )
    top_authors: list[CrisisContributor] = strawberry.field(
        description="The authors that weigh most in it."
    )
    top_languages: list[CrisisContributor] = strawberry.field(description="Its main languages.")
    top_sources: list[CrisisContributor] = strawberry.field(description="Its main sources.")
    region: str | None = strawberry.field(
        description="The data region that detected it, when it is another region's crisis (a "
        "read-only copy in the group view, without its mentions or people); null for this "
        "region's own."
    )

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
            top_sources=_contributors(list(e.top_sources)), region=c.region or None,
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
    event_type: str = strawberry.field(description="The CloudEvents type delivered.")
    state: str = strawberry.field(description="pending, delivered or failed.")
    attempts: int = strawberry.field(description="How many times sending was tried.")
    last_status_code: int = strawberry.field(
        description="The last HTTP status received; 0 when none."
    )
    last_error: str = strawberry.field(description="Why the last attempt failed; empty if none.")

    @classmethod
    def of(cls, d: pb.WebhookDelivery) -> "WebhookDelivery":
        state = pb.WebhookDeliveryState.Name(d.state).removeprefix("WEBHOOK_DELIVERY_STATE_")
        return cls(
            id=strawberry.ID(d.name), event_type=d.event_type, state=state.lower(),
            attempts=d.attempts, last_status_code=d.last_status_code, last_error=d.last_error,
        )  # fmt: skip
