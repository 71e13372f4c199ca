"""Live updates of one crisis room: each entry its timeline gains (a playbook applied, a person
or webhook notified, the queue held, a statement proposed, approved or published, ...)."""

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from vigie.reputation.v1 import events_pb2 as reputation
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie_runtime.events import EventType, IncomingEvent

from vigie_gateway.context import Context
from vigie_gateway.errors import graphql_error
from vigie_gateway.live.feeds import Feed, Item
from vigie_gateway.live.scope import Subscriber
from vigie_gateway.schema.reputation_crisis_response_types import TimelineEntry

Info = strawberry.Info[Context, None]

CRISIS_ROOM_CHANGED = EventType(
    "reputation", "crisis_room", "changed", reputation.CrisisRoomChanged
)


@strawberry.type(description="A crisis room's timeline gained an entry: read the room again.")
class CrisisRoomEvent:
    crisis_id: strawberry.ID = strawberry.field(description="The crisis whose room changed.")
    entry: TimelineEntry = strawberry.field(description="What just happened.")


def _changed(event: IncomingEvent) -> Item[CrisisRoomEvent]:
    m = CRISIS_ROOM_CHANGED.parse(event)
    payload = CrisisRoomEvent(crisis_id=strawberry.ID(m.crisis), entry=TimelineEntry.of(m.entry))
    return Item(payload, subsidiary=m.subsidiary, brand=m.brand)


CRISIS_ROOMS: Feed[CrisisRoomEvent] = Feed({CRISIS_ROOM_CHANGED.ce_type: _changed})


async def _require_crisis(who: Subscriber, crisis: str) -> None:
    """A crisis of the caller's tenant that the service lets it read, in a subsidiary it
    holds a role in; another tenant's is NOT_FOUND before any event is read."""
    parts = crisis.split("/")
    if (len(parts) != 6 or parts[:3] != ["tenants", who.tenant, "brands"]
            or parts[4] != "crises" or not parts[5]):  # fmt: skip
        raise graphql_error("CRISIS_NOT_FOUND", f"no crisis {crisis}", "NOT_FOUND")
    ctx = who.context
    await ctx.call(ctx.clients.reputation.GetCrisis, rpc.GetCrisisRequest(name=crisis))
    await who.require_brand("/".join(parts[:4]))


@strawberry.type
class CrisisRoomSubscription:
    @strawberry.subscription(  # type: ignore[untyped-decorator]
        description="Each entry a crisis's room timeline gains, as it happens."
    )
    async def crisis_room_changed(
        self,
        info: Info,
        crisis: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The crisis's global id (`tenants/{t}/brands/{b}/crises/{c}`)."
            ),
        ],
    ) -> AsyncGenerator[CrisisRoomEvent, None]:
        who = Subscriber.of(info.context)
        await _require_crisis(who, str(crisis))
        async for item in who.stream(CRISIS_ROOMS):
            if item.payload.crisis_id == crisis:
                yield item.payload
