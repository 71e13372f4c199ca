"""The listener's `mention.captured` and the reputation service's `mention.scored`, mapped onto
the mentions handlers."""

from datetime import UTC

from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie.reputation.v1 import events_pb2 as reputation_events
from vigie.reputation.v1 import resources_pb2 as reputation
from vigie_runtime.events import EventType, IncomingEvent
from vigie_runtime.inbox import Handler, Subscription
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.app import mentions
from vigie_partnerships.domain.discovery import network_of

MENTIONS_DURABLE = "partnerships-mentions"
SENTIMENTS_DURABLE = "partnerships-sentiments"

# The producers' contracts (protos/vigie/{listener,reputation}/v1/events.proto).
MENTION_CAPTURED = EventType("listener", "mention", "captured", listener_events.MentionCaptured)
MENTION_SCORED = EventType("reputation", "mention", "scored", reputation_events.MentionScored)

_BRAND = ResourcePattern("brand", ("tenants", "brands"))
_SOURCE_KINDS = {
    listener.SOURCE_KIND_BLUESKY: "bluesky",
    listener.SOURCE_KIND_MASTODON: "mastodon",
}
_LABELS = {
    reputation.SENTIMENT_LABEL_POSITIVE: "positive",
    reputation.SENTIMENT_LABEL_NEUTRAL: "neutral",
    reputation.SENTIMENT_LABEL_NEGATIVE: "negative",
}


def mentions_subscription(min_followers: int) -> Subscription:
    async def on_captured(uow: UnitOfWork, event: IncomingEvent) -> None:
        captured = MENTION_CAPTURED.parse(event)
        await mentions.capture(uow, _captured(captured, event), min_followers)

    handler: Handler = on_captured
    return Subscription(
        durable=MENTIONS_DURABLE,
        producer="listener",
        subjects=[MENTION_CAPTURED.subject_filter()],
        handler=handler,
    )


def sentiments_subscription() -> Subscription:
    return Subscription(
        durable=SENTIMENTS_DURABLE,
        producer="reputation",
        subjects=[MENTION_SCORED.subject_filter()],
        handler=on_scored,
    )


async def on_scored(uow: UnitOfWork, event: IncomingEvent) -> None:
    scored = MENTION_SCORED.parse(event).sentiment
    label = _LABELS.get(scored.corrected_label or scored.label)
    if label is None or not scored.mention.startswith(f"tenants/{event.tenant}/"):
        return  # no label, or another tenant's mention in this tenant's event: never applied
    moment = scored.score_time.ToDatetime(tzinfo=UTC) if scored.HasField("score_time") else None
    if scored.HasField("correct_time"):
        moment = scored.correct_time.ToDatetime(tzinfo=UTC)
    await mentions.record_sentiment(uow, event.tenant, scored.mention, label, moment or event.time)


def _captured(
    captured: listener_events.MentionCaptured, event: IncomingEvent
) -> mentions.CapturedMention:
    mention = captured.mention
    tenant, brand_id = _BRAND.parse(captured.brand or mention.brand, "brand")
    if tenant != event.tenant:
        raise ValueError(f"event {event.id} of tenant {event.tenant} names {captured.brand}")
    kind = _SOURCE_KINDS.get(mention.source_kind, "")
    published = mention.publish_time if mention.HasField("publish_time") else None
    return mentions.CapturedMention(
        tenant=tenant,
        mention=mention.name,
        brand_id=brand_id,
        network=network_of(kind, mention.url),
        handle=mention.author.handle,
        author_id=mention.author.external_id,
        author_name=mention.author.display_name,
        followers=mention.author.followers_count,
        language=mention.language,
        country=mention.country,
        text=mention.text,
        url=mention.url,
        published_at=published.ToDatetime(tzinfo=UTC) if published else event.time,
    )
