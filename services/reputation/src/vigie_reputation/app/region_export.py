"""What this region lets out to the rest of its group, from its own events: the brand's counts
of the minute a scored mention fell in (never the mention), and crises without their people.

Handlers of this region's consumers (entrypoints/nats/region_export.py): each emits through the
outbox on `vigie.aggregates.>`, the only Vigie subjects the region's leaf connection lets out.
"""

from datetime import UTC, datetime

from vigie.reputation.v1 import events_pb2
from vigie_runtime.events import IncomingEvent
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import KnownBrandRow, MeasureBucketRow, MentionSentimentRow
from vigie_reputation.app.aggregate_events import (
    AGGREGATE_CAMPAIGN_RESULTS,
    AGGREGATE_CRISIS_CHANGED,
    AGGREGATE_MEASURE_UPDATED,
)
from vigie_reputation.app.events import (
    CAMPAIGN_RESULTS_UPDATED,
    CRISIS_ESCALATED,
    CRISIS_OPENED,
    CRISIS_RESOLVED,
    MENTION_SCORED,
)
from vigie_reputation.app.views import brand_name, stamp, utc
from vigie_reputation.domain.aggregates import campaign_without_people, crisis_without_people
from vigie_reputation.domain.measures import minute_of

MENTION = ResourcePattern("mention", ("tenants", "brands", "mentions"))
CRISIS_EVENTS = (CRISIS_OPENED, CRISIS_ESCALATED, CRISIS_RESOLVED)


async def export_minute_of_scored_mention(
    uow: UnitOfWork, event: IncomingEvent, region: str
) -> None:
    """The whole-brand counts of the scored mention's minute, as they are now."""
    scored = MENTION_SCORED.parse(event)
    tenant, brand_id, mention_id = MENTION.parse(scored.sentiment.mention, "mention")
    if tenant != event.tenant:
        return  # an event names its own tenant's mention; anything else is not ours to export
    brand = await uow.session.get(KnownBrandRow, (tenant, brand_id))
    if brand is None or brand.kind != "own":
        return  # the group view covers the group's own brands (competitors stay local)
    sentiment = await uow.session.get(MentionSentimentRow, (tenant, brand_id, mention_id))
    if sentiment is None:
        return
    minute = minute_of(utc(sentiment.publish_time))
    bucket = await uow.session.get(MeasureBucketRow, (tenant, brand_id, "none", "", minute))
    if bucket is None:
        return
    uow.emit(
        AGGREGATE_MEASURE_UPDATED,
        tenant,
        events_pb2.AggregateMeasureUpdated(
            brand=brand_name(tenant, brand_id),
            subsidiary=scored.subsidiary,
            region=region,
            minute=stamp(minute),
            volume=bucket.volume,
            positive=bucket.positive,
            neutral=bucket.neutral,
            negative=bucket.negative,
            reach=bucket.reach,
            weight=bucket.weight,
            weighted_net=bucket.weighted_net,
            polar_weight=bucket.polar_weight,
            as_of_time=stamp(datetime.now(UTC)),
        ),
    )


async def export_crisis(uow: UnitOfWork, event: IncomingEvent, region: str) -> None:
    for event_type in CRISIS_EVENTS:
        if event.type == event_type.ce_type:
            changed = event_type.parse(event)
            uow.emit(
                AGGREGATE_CRISIS_CHANGED,
                event.tenant,
                events_pb2.AggregateCrisisChanged(
                    crisis=crisis_without_people(changed.crisis),
                    subsidiary=changed.subsidiary,
                    region=region,
                ),
            )


async def export_campaign_results(uow: UnitOfWork, event: IncomingEvent) -> None:
    updated = CAMPAIGN_RESULTS_UPDATED.parse(event)
    uow.emit(AGGREGATE_CAMPAIGN_RESULTS, event.tenant, campaign_without_people(updated))
