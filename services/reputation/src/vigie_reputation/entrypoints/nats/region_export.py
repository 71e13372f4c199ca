"""This region's consumer of its own scored mentions and crises, exporting their aggregates."""

import functools

from vigie_runtime.events import IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.app import region_export
from vigie_reputation.app.events import CAMPAIGN_RESULTS_UPDATED, MENTION_SCORED

EXPORT_DURABLE = "reputation-region-export"
CAMPAIGNS_EXPORT_DURABLE = "reputation-region-export-campaigns"


async def on_own_event(uow: UnitOfWork, event: IncomingEvent, region: str) -> None:
    if event.type == MENTION_SCORED.ce_type:
        await region_export.export_minute_of_scored_mention(uow, event, region)
    else:
        await region_export.export_crisis(uow, event, region)


def region_export_subscription(region: str) -> Subscription:
    subjects = [MENTION_SCORED.subject_filter()]
    subjects += [e.subject_filter() for e in region_export.CRISIS_EVENTS]
    return Subscription(
        durable=EXPORT_DURABLE,
        producer="reputation",
        subjects=subjects,
        handler=functools.partial(on_own_event, region=region),
    )


async def on_campaign_results(uow: UnitOfWork, event: IncomingEvent) -> None:
    if event.type == CAMPAIGN_RESULTS_UPDATED.ce_type:
        await region_export.export_campaign_results(uow, event)


def campaign_export_subscription() -> Subscription:
    return Subscription(
        durable=CAMPAIGNS_EXPORT_DURABLE,
        producer="partnerships",
        subjects=[CAMPAIGN_RESULTS_UPDATED.subject_filter()],
        handler=on_campaign_results,
    )
