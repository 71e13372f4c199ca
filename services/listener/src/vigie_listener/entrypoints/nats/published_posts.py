"""The publisher's `post.published`, consumed so captured replies and quotes of the brands'
own posts count as engagement on them (applied once per event by the inbox)."""

from vigie_runtime.events import IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.uow import UnitOfWork

from vigie_listener.app import engagement
from vigie_listener.app.events import POST_PUBLISHED


async def on_post_published(uow: UnitOfWork, event: IncomingEvent) -> None:
    await engagement.remember_publication(uow, event.tenant, POST_PUBLISHED.parse(event))


def published_posts_subscription() -> Subscription:
    return Subscription(
        durable="listener-published-posts",
        producer=POST_PUBLISHED.producer,
        subjects=[POST_PUBLISHED.subject_filter()],
        handler=on_post_published,
    )
