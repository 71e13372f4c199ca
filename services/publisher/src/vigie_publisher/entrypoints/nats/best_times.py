"""The reputation service's `best_times.updated`, kept in the publisher's replica."""

from vigie.reputation.v1 import events_pb2
from vigie_runtime.events import EventType, IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.app import best_times

BEST_TIMES_DURABLE = "publisher-best-times"
BEST_TIMES_UPDATED = EventType("reputation", "best_times", "updated", events_pb2.BestTimesUpdated)


def best_times_subscription() -> Subscription:
    return Subscription(
        durable=BEST_TIMES_DURABLE,
        producer="reputation",
        subjects=[BEST_TIMES_UPDATED.subject_filter()],
        handler=on_best_times_event,
    )


async def on_best_times_event(uow: UnitOfWork, event: IncomingEvent) -> None:
    if event.type != BEST_TIMES_UPDATED.ce_type:
        return
    updated = BEST_TIMES_UPDATED.parse(event)
    await best_times.best_times_updated(uow, event.tenant, updated.best_times)
