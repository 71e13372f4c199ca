"""What the publisher did about a crisis, recorded in its room: the brand's queue held and
released with the posts concerned, and the statements it published (`post.published` naming a
statement). The consumer's inbox makes a redelivered event a no-op."""

import logging
from datetime import UTC, datetime

from vigie_runtime.events import IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.app import crisis_queue, statements
from vigie_reputation.app.events import POST_PUBLISHED, QUEUE_HELD, QUEUE_RELEASED

log = logging.getLogger(__name__)

CRISIS_ROOM_DURABLE = "reputation-crisis-rooms"


async def on_publisher_event(uow: UnitOfWork, event: IncomingEvent) -> None:
    at = event.time or datetime.now(UTC)
    if event.type == POST_PUBLISHED.ce_type:
        published = POST_PUBLISHED.parse(event)
        if published.statement:
            if published.publication.HasField("publish_time"):
                at = published.publication.publish_time.ToDatetime(tzinfo=UTC)
            await statements.published(
                uow, event.tenant, published.statement, published.post.name, at
            )
    elif event.type == QUEUE_HELD.ce_type:
        held = QUEUE_HELD.parse(event)
        await crisis_queue.queue_held(
            uow, event.tenant, held.queue.name, held.queue.held_by, held.held_posts, at
        )
    elif event.type == QUEUE_RELEASED.ce_type:
        released = QUEUE_RELEASED.parse(event)
        await crisis_queue.queue_released(
            uow, event.tenant, released.queue.name, released.held_by, released.released_posts, at
        )
    else:
        log.info("ignoring %s: not an event this version knows", event.type)


def crisis_room_subscription() -> Subscription:
    return Subscription(
        durable=CRISIS_ROOM_DURABLE,
        producer="publisher",
        subjects=[
            POST_PUBLISHED.subject_filter(),
            QUEUE_HELD.subject_filter(),
            QUEUE_RELEASED.subject_filter(),
        ],
        handler=on_publisher_event,
    )
