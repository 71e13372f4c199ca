"""Presence and audience measures (docs/ANALYTICS.md), as front ends read them."""

from datetime import UTC, datetime
from enum import Enum
from typing import Annotated

import strawberry
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.reputation.v1 import presence_pb2 as pb
from vigie.reputation.v1 import presence_pb2_grpc

from vigie_gateway.context import Context
from vigie_gateway.schema.common import First, WindowEnd, WindowStart, wire

Info = strawberry.Info[Context, None]


@strawberry.enum(description="Buckets of a presence series, on the subsidiary's calendar.")
class PresenceGranularity(Enum):
    DAY = strawberry.enum_value(pb.PRESENCE_GRANULARITY_DAY, description="One bucket a local day.")
    WEEK = strawberry.enum_value(
        pb.PRESENCE_GRANULARITY_WEEK, description="ISO weeks, Monday to Sunday."
    )
    MONTH = strawberry.enum_value(
        pb.PRESENCE_GRANULARITY_MONTH, description="One bucket a local month."
    )


def _stub(ctx: Context) -> presence_pb2_grpc.PresenceServiceStub:
    return presence_pb2_grpc.PresenceServiceStub(ctx.clients.channels["reputation"])


def _stamp(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment.astimezone(UTC))
    return stamp


def _time(stamp: Timestamp) -> datetime:
    return stamp.ToDatetime(tzinfo=UTC)


@strawberry.type(description="One bucket of a presence series.")
class PresencePoint:
    start_time: datetime = strawberry.field(description="The bucket's local midnight.")
    followers: int = strawberry.field(description="At the bucket's last snapshot, summed.")
    posts: int = strawberry.field(description="Posts created in the bucket and their engagements.")
    engagements: int = strawberry.field(description="Engagements in the bucket.")


@strawberry.type(description="A brand's part of its and its competitors' engagements.")
class EngagementShare:
    brand: strawberry.ID = strawberry.field(
        description="A global id: tenants/{tenant}/brands/{brand}."
    )
    engagements: int = strawberry.field(description="Its engagements over the window.")
    share: float = strawberry.field(description="In [0, 1].")


@strawberry.type(description="How fast the questions asked of the brands were answered.")
class ResponseTimes:
    question_count: int = strawberry.field(description="Questions asked to the brand.")
    answered_count: int = strawberry.field(description="Of those, answered.")
    answered_share: float = strawberry.field(
        description="Answered / questions, in [0, 1]; 0 when nobody asked."
    )
    median_seconds: float | None = strawberry.field(description="Median time to answer.")
    p90_seconds: float | None = strawberry.field(
        description="90th percentile of the time to answer."
    )


@strawberry.type(description="Presence measures of a scope over a window (docs/ANALYTICS.md).")
class Presence:
    scope: strawberry.ID = strawberry.field(description="What was measured (global id).")
    time_zone: str = strawberry.field(
        description="IANA zone the days are counted in (the subsidiary's; UTC when unknown)."
    )
    start_time: datetime = strawberry.field(description="Start (inclusive, UTC).")
    end_time: datetime = strawberry.field(description="End (exclusive, UTC).")
    followers_start: int = strawberry.field(description="Followers at the start of the window.")
    followers_end: int = strawberry.field(description="Followers at its end.")
    growth: int = strawberry.field(description="followersEnd - followersStart.")
    growth_percent: float = strawberry.field(
        description="Growth / followers_start x 100; 0 when there were no followers at the start."
    )
    post_count: int = strawberry.field(description="Posts over the window.")
    posts_per_week: float = strawberry.field(description="Posts per week over the window.")
    engagements: int = strawberry.field(description="Engagements of those posts.")
    engagement_rate: float = strawberry.field(
        description="Mean per post of engagements / impressions, else / followers at post time."
    )
    reach: int = strawberry.field(description="Impressions, else potential reach (followers).")
    reach_is_impressions: bool = strawberry.field(
        description="True when every post's reach is impressions (false: some is potential reach)."
    )
    points: list[PresencePoint] = strawberry.field(description="The measures per bucket.")
    engagement_shares: list[EngagementShare] = strawberry.field(
        description="Brand scope: the brand and each of its competitors."
    )
    response_times: ResponseTimes | None = strawberry.field(
        description="Brand, subsidiary and group scopes."
    )
    subsidiaries: list["Presence"] = strawberry.field(
        description="Group scope: one per subsidiary, each in its own time zone."
    )

    @classmethod
    def of(cls, got: pb.Presence) -> "Presence":
        answers = got.response_times if got.HasField("response_times") else None
        return cls(
            scope=strawberry.ID(got.scope), time_zone=got.time_zone,
            start_time=_time(got.start_time), end_time=_time(got.end_time),
            followers_start=got.followers_start, followers_end=got.followers_end,
            growth=got.growth, growth_percent=got.growth_percent, post_count=got.post_count,
            posts_per_week=got.posts_per_week, engagements=got.engagements,
            engagement_rate=got.engagement_rate, reach=got.reach,
            reach_is_impressions=got.reach_is_impressions,
            points=[
                PresencePoint(start_time=_time(p.start_time), followers=p.followers,
                              posts=p.posts, engagements=p.engagements)
                for p in got.points
            ],
            engagement_shares=[
                EngagementShare(brand=strawberry.ID(s.brand), engagements=s.engagements,
                                share=s.share)
                for s in got.engagement_shares
            ],
            response_times=None if answers is None else ResponseTimes(
                question_count=answers.question_count, answered_count=answers.answered_count,
                answered_share=answers.answered_share,
                median_seconds=answers.median.ToTimedelta().total_seconds()
                if answers.HasField("median") else None,
                p90_seconds=answers.p90.ToTimedelta().total_seconds()
                if answers.HasField("p90") else None,
            ),
            subsidiaries=[cls.of(s) for s in got.subsidiaries],
        )  # fmt: skip


@strawberry.type(description="A post with its latest engagement.")
class TopPost:
    account: strawberry.ID = strawberry.field(description="The account that posted it (global id).")
    uri: str = strawberry.field(description="The post on its network.")
    url: str = strawberry.field(description="The address.")
    text: str = strawberry.field(description="The text.")
    create_time: datetime = strawberry.field(description="When it was posted (UTC).")
    engagements: int = strawberry.field(description="Its engagements.")
    engagement_rate: float = strawberry.field(
        description="Engagements per follower of the account."
    )
    impressions: int = strawberry.field(description="-1 when the network does not report them.")


@strawberry.type
class ReputationPresenceQuery:
    @strawberry.field(
        description="Presence of an account (`tenants/{t}/brands/{b}/socialAccounts/{a}` or "
        "`.../trackedAccounts/{a}`), a brand, a subsidiary (`tenants/{t}/subsidiaries/{s}`) or "
        "the group (`tenants/{t}`) over [start, end), at most 400 days."
    )
    async def presence(
        self,
        info: Info,
        scope: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="What to measure: an account, a brand, a subsidiary or the group "
                "(global id)."
            ),
        ],
        start: WindowStart,
        end: WindowEnd,
        granularity: Annotated[
            PresenceGranularity, strawberry.argument(description="The width of each bucket.")
        ] = PresenceGranularity.DAY,
    ) -> Presence:
        ctx = info.context
        request = pb.GetPresenceRequest(
            scope=scope, start_time=_stamp(start), end_time=_stamp(end),
            granularity=wire(granularity),
        )  # fmt: skip
        return Presence.of(await ctx.call(_stub(ctx).GetPresence, request))

    @strawberry.field(description="The most engaged posts of an account or brand in a window.")
    async def top_posts(
        self,
        info: Info,
        scope: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="What to measure: an account, a brand, a subsidiary or the group "
                "(global id)."
            ),
        ],
        start: WindowStart,
        end: WindowEnd,
        first: First = 10,
    ) -> list[TopPost]:
        ctx = info.context
        request = pb.ListTopPostsRequest(
            scope=scope, start_time=_stamp(start), end_time=_stamp(end), page_size=first
        )
        got = await ctx.call(_stub(ctx).ListTopPosts, request)
        return [
            TopPost(
                account=strawberry.ID(p.account), uri=p.uri, url=p.url, text=p.text,
                create_time=_time(p.create_time), engagements=p.engagements,
                engagement_rate=p.engagement_rate, impressions=p.impressions,
            )
            for p in got.posts
        ]  # fmt: skip
