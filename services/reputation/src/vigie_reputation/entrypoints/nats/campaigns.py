"""The partnerships' `campaign.results_updated`, kept as a replica for reports."""

import logging

from vigie_runtime.events import IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.app import campaign_results
from vigie_reputation.app.events import CAMPAIGN_RESULTS_UPDATED

log = logging.getLogger(__name__)

CAMPAIGNS_DURABLE = "reputation-campaign-results"


async def on_results_updated(uow: UnitOfWork, event: IncomingEvent) -> None:
    if event.type != CAMPAIGN_RESULTS_UPDATED.ce_type:
        log.info("ignoring %s: not an event this version knows", event.type)
        return
    await campaign_results.apply_results(uow, event.tenant, CAMPAIGN_RESULTS_UPDATED.parse(event))


def campaign_results_subscription() -> Subscription:
    return Subscription(
        durable=CAMPAIGNS_DURABLE,
        producer="partnerships",
        subjects=[CAMPAIGN_RESULTS_UPDATED.subject_filter()],
        handler=on_results_updated,
    )
