"""The listener's `inbox.item_opened`, kept as reply targets."""

from vigie.listener.v1 import events_pb2
from vigie_runtime.events import EventType, IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.app import reply_targets

INBOX_DURABLE = "publisher-inbox"
ITEM_OPENED = EventType("listener", "inbox", "item_opened", events_pb2.InboxItemOpened)
_SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))
_MENTION = ResourcePattern("mention", ("tenants", "brands", "mentions"))


def inbox_subscription() -> Subscription:
    return Subscription(
        durable=INBOX_DURABLE,
        producer="listener",
        subjects=[ITEM_OPENED.subject_filter()],
        handler=on_inbox_event,
    )


async def on_inbox_event(uow: UnitOfWork, event: IncomingEvent) -> None:
    if event.type != ITEM_OPENED.ce_type:
        return
    opened = ITEM_OPENED.parse(event)
    mention = opened.mention
    tenant = _MENTION.parse(mention.name)[0]
    if tenant != event.tenant:
        # Another tenant's mention in this tenant's event: never kept.
        raise ValueError(f"event {event.id} of tenant {event.tenant} names {mention.name}")
    subsidiary_id = _SUBSIDIARY.parse(opened.subsidiary)[1] if opened.subsidiary else ""
    await reply_targets.remember(
        uow,
        tenant,
        mention.name,
        subsidiary_id,
        int(mention.source_kind),
        mention.external_id,
        mention.url,
        mention.language,
        int(mention.author.followers_count),
        opened.item.name,
    )
