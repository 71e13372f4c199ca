"""The reputation service's `crisis.opened`, mapped onto the queue hold."""

from vigie.reputation.v1 import crisis_response_pb2, events_pb2
from vigie_runtime.events import EventType, IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.app import crises

CRISES_DURABLE = "publisher-crises"
CRISIS_OPENED = EventType("reputation", "crisis", "opened", events_pb2.CrisisOpened)
_CRISIS = ResourcePattern("crisis", ("tenants", "brands", "crises"))


def crises_subscription() -> Subscription:
    return Subscription(
        durable=CRISES_DURABLE,
        producer="reputation",
        subjects=[CRISIS_OPENED.subject_filter()],
        handler=on_crisis_event,
    )


async def on_crisis_event(uow: UnitOfWork, event: IncomingEvent) -> None:
    if event.type != CRISIS_OPENED.ce_type:
        return
    opened = CRISIS_OPENED.parse(event)
    if opened.queue_hold == crisis_response_pb2.QUEUE_HOLD_KEEP_PUBLISHING:
        return  # the brand's playbook keeps its queue publishing
    tenant, brand_id, _ = _CRISIS.parse(opened.crisis.name)
    if tenant != event.tenant:
        # Another tenant's crisis in this tenant's event: never applied.
        raise ValueError(f"event {event.id} of tenant {event.tenant} names {opened.crisis.name}")
    signal = opened.crisis.explanation.signal
    await crises.crisis_opened(uow, tenant, brand_id, opened.subsidiary, opened.crisis.name, signal)
