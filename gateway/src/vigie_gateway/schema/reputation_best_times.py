"""When an owned account's audience responds best, as front ends read it."""

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb

from vigie_gateway.context import Context

Info = strawberry.Info[Context, None]
BEST_TIMES_SUFFIX = "/bestTimes"


@strawberry.type(description="A five-minute slot of the week, in the account's time zone.")
class BestTimeSlot:
    weekday: int = strawberry.field(description="ISO weekday: 1 is Monday, 7 is Sunday.")
    minute_of_day: int = strawberry.field(description="Minutes after local midnight (0..1435).")
    score: float = strawberry.field(
        description="Expected engagement of a post published then; 1.0 is the account's mean."
    )


@strawberry.type(description="An owned account's best times to post, learned and explained.")
class BestTimes:
    account: strawberry.ID = strawberry.field(description="The account the slots are for.")
    time_zone: str = strawberry.field(description="IANA time zone, e.g. Europe/Paris.")
    slots: list[BestTimeSlot] = strawberry.field(description="Best first, at least an hour apart.")
    basis: str = strawberry.field(
        description="own_history, network_aggregate (short history) or flat_prior (short history "
        "and too few accounts to share an aggregate)."
    )
    posts_used: int = strawberry.field(description="The account's posts in the window.")
    aggregate_posts_used: int = strawberry.field(
        description="Posts of other accounts pooled in when the account's own history is short."
    )
    explanation: list[str] = strawberry.field(description="Which history, which basis, why.")
    compute_time: datetime | None = strawberry.field(
        description="When the best times were last worked out (UTC)."
    )

    @classmethod
    def of(cls, best: pb.BestTimes) -> "BestTimes":
        slots = [
            BestTimeSlot(weekday=s.weekday, minute_of_day=s.minute_of_day, score=s.score)
            for s in best.slots
        ]
        computed = (
            best.compute_time.ToDatetime(tzinfo=UTC) if best.HasField("compute_time") else None
        )
        return cls(
            account=strawberry.ID(best.account), time_zone=best.time_zone, slots=slots,
            basis=best.basis, posts_used=best.posts_used,
            aggregate_posts_used=best.aggregate_posts_used,
            explanation=list(best.explanation), compute_time=computed,
        )  # fmt: skip


@strawberry.type
class ReputationBestTimesQuery:
    @strawberry.field(
        description="The best times to post of an owned social account "
        "(`tenants/{t}/brands/{b}/socialAccounts/{a}`): the `first` best slots (10 by default)."
    )
    async def best_times(
        self,
        info: Info,
        account: Annotated[
            strawberry.ID, strawberry.argument(description="The social account's global id.")
        ],
        first: Annotated[
            int | None, strawberry.argument(description="How many items to return (1 to 200).")
        ] = None,
    ) -> BestTimes:
        ctx = info.context
        request = rpc.GetBestTimesRequest(
            name=f"{account}{BEST_TIMES_SUFFIX}", page_size=first or 0
        )
        return BestTimes.of(await ctx.call(ctx.clients.reputation.GetBestTimes, request))
