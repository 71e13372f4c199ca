"""The `Subscription` root: live events of the caller's tenant, over graphql-transport-ws."""

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from vigie_gateway.context import Context
from vigie_gateway.live import feeds
from vigie_gateway.live.crisis_room import CrisisRoomSubscription
from vigie_gateway.live.inbox import InboxSubscription
from vigie_gateway.live.scope import Subscriber
from vigie_gateway.live.types import CrisisEvent, DeliverableEvent, MentionEvent, PostStatusEvent

Info = strawberry.Info[Context, None]
_BRAND = "The brand's global id (`tenants/{t}/brands/{b}`)."


@strawberry.type(
    description="Live events of the caller's tenant (WebSocket, graphql-transport-ws)."
)
class Subscription(InboxSubscription, CrisisRoomSubscription):
    @strawberry.subscription(  # type: ignore[untyped-decorator]
        description="New mentions of a brand of one of your subsidiaries (CAPTURED), then each "
        "again with its sentiment once scored (SCORED, same mentionId)."
    )
    async def mention_added(
        self,
        info: Info,
        brand: Annotated[strawberry.ID, strawberry.argument(description=_BRAND)],
    ) -> AsyncGenerator[MentionEvent, None]:
        who = Subscriber.of(info.context)
        await who.require_brand(str(brand))
        async for item in who.stream(feeds.MENTIONS):
            if item.brand == brand:
                yield item.payload

    @strawberry.subscription(  # type: ignore[untyped-decorator]
        description="Crises opened, escalated or resolved in your subsidiaries (all of them "
        "for group-wide roles)."
    )
    async def crisis_changed(self, info: Info) -> AsyncGenerator[CrisisEvent, None]:
        who = Subscriber.of(info.context)
        async for item in who.stream(feeds.CRISES):
            yield item.payload

    @strawberry.subscription(  # type: ignore[untyped-decorator]
        description="Posts submitted, approved, scheduled, published or failed in your "
        "subsidiaries; only one brand's when `brand` is given."
    )
    async def post_status_changed(
        self,
        info: Info,
        brand: Annotated[strawberry.ID | None, strawberry.argument(description=_BRAND)] = None,
    ) -> AsyncGenerator[PostStatusEvent, None]:
        who = Subscriber.of(info.context)
        if brand is not None:
            await who.require_brand(str(brand))
        async for item in who.stream(feeds.POSTS):
            if brand is None or item.brand == brand:
                yield item.payload

    @strawberry.subscription(  # type: ignore[untyped-decorator]
        description="Deliverables fulfilled or missed: one campaign's, or every campaign's "
        "for group-wide roles."
    )
    async def deliverable_updated(
        self,
        info: Info,
        campaign: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The campaign's global id (`tenants/{t}/campaigns/{c}`)."
            ),
        ] = None,
    ) -> AsyncGenerator[DeliverableEvent, None]:
        who = Subscriber.of(info.context)
        await who.require_campaign(str(campaign) if campaign is not None else None)
        async for item in who.stream(feeds.DELIVERABLES):
            if campaign is None or item.campaign == campaign:
                yield item.payload
