"""Live updates of the engagement inbox: items opened, changed (status, assignment, labels,
notes, urgency) and breaching their targets, for one subsidiary or one brand."""

from collections.abc import AsyncGenerator, Callable
from enum import Enum
from typing import Annotated, Any

import strawberry
from vigie.listener.v1 import events_pb2 as listener
from vigie_runtime.events import EventType, IncomingEvent

from vigie_gateway.context import Context
from vigie_gateway.errors import graphql_error
from vigie_gateway.live.feeds import Feed, Item
from vigie_gateway.live.scope import Subscriber
from vigie_gateway.schema.listener_inbox_types import InboxItem, ResponseKind

Info = strawberry.Info[Context, None]

ITEM_OPENED = EventType("listener", "inbox", "item_opened", listener.InboxItemOpened)
ITEM_CHANGED = EventType("listener", "inbox", "item_changed", listener.InboxItemChanged)
RESPONSE_BREACHED = EventType("listener", "inbox", "response_breached", listener.ResponseBreached)


@strawberry.enum(description="What happened to an inbox item.")
class InboxChange(Enum):
    OPENED = strawberry.enum_value("opened", description="A mention entered the inbox.")
    CHANGED = strawberry.enum_value(
        "changed", description="Status, assignment, labels, notes or urgency changed."
    )
    BREACHED = strawberry.enum_value(
        "breached", description="It passed its subsidiary's response target (`breach`)."
    )


@strawberry.type(description="An inbox item as it is now, and what just happened to it.")
class InboxEvent:
    change: InboxChange = strawberry.field(description="What happened.")
    inbox_item: InboxItem = strawberry.field(description="The item as it is now.")
    breach: ResponseKind | None = strawberry.field(description="The target passed (BREACHED).")


def _converter(
    kind: EventType[Any], change: InboxChange
) -> Callable[[IncomingEvent], Item[InboxEvent]]:
    def convert(event: IncomingEvent) -> Item[InboxEvent]:
        m = kind.parse(event)
        breach = ResponseKind(m.kind) if change is InboxChange.BREACHED else None
        payload = InboxEvent(change=change, inbox_item=InboxItem.of(m.item), breach=breach)
        return Item(payload, subsidiary=m.item.subsidiary, brand=m.item.brand)

    return convert


INBOX: Feed[InboxEvent] = Feed(
    {
        ITEM_OPENED.ce_type: _converter(ITEM_OPENED, InboxChange.OPENED),
        ITEM_CHANGED.ce_type: _converter(ITEM_CHANGED, InboxChange.CHANGED),
        RESPONSE_BREACHED.ce_type: _converter(RESPONSE_BREACHED, InboxChange.BREACHED),
    }
)


async def _require_scope(who: Subscriber, scope: str) -> Callable[[Item[InboxEvent]], bool]:
    """Which items of the feed the scope keeps; refuses a scope the caller may not watch."""
    if scope.startswith(f"tenants/{who.tenant}/brands/"):
        await who.require_brand(scope)
        return lambda item: item.brand == scope
    if not scope.startswith(f"tenants/{who.tenant}/subsidiaries/") or scope.count("/") != 3:
        raise graphql_error("SCOPE_NOT_FOUND", f"no subsidiary or brand {scope}", "NOT_FOUND")
    if not who.covers(scope):
        raise graphql_error(
            "SUBSIDIARY_NOT_GRANTED", "you hold no role in this subsidiary", "PERMISSION_DENIED"
        )
    return lambda item: item.subsidiary == scope


@strawberry.type
class InboxSubscription:
    @strawberry.subscription(  # type: ignore[untyped-decorator]
        description="Inbox items of a subsidiary or a brand opened, changed or past a target."
    )
    async def inbox_changed(
        self,
        info: Info,
        scope_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="A subsidiary's (`tenants/{t}/subsidiaries/{s}`) or a brand's "
                "(`tenants/{t}/brands/{b}`) global id."
            ),
        ],
    ) -> AsyncGenerator[InboxEvent, None]:
        who = Subscriber.of(info.context)
        keeps = await _require_scope(who, str(scope_id))
        async for item in who.stream(INBOX):
            if keeps(item):
                yield item.payload
