"""Engagement the listener captured on a brand's published post (GetPostEngagement)."""

import strawberry
from vigie.listener.v1 import listener_pb2 as rpc

from vigie_gateway.context import Context

Info = strawberry.Info[Context, None]


@strawberry.type(description="Replies and quotes captured of a brand's published post.")
class PostEngagement:
    post_id: strawberry.ID = strawberry.field(description="tenants/{t}/brands/{b}/posts/{p}.")
    reply_count: int = strawberry.field(description="Replies captured, each counted once.")
    quote_count: int = strawberry.field(description="Quotes captured, each counted once.")
    repost_count: int = strawberry.field(description="Reposts captured, each counted once.")
    references: list[str] = strawberry.field(
        description="The publications' network references known (at:// URIs, links)."
    )


async def post_engagement(info: Info, post_id: strawberry.ID) -> PostEngagement:
    ctx = info.context
    request = rpc.GetPostEngagementRequest(name=f"{post_id}/engagement")
    answer = await ctx.call(ctx.clients.listener.GetPostEngagement, request)
    return PostEngagement(
        post_id=post_id, reply_count=answer.reply_count, quote_count=answer.quote_count,
        repost_count=answer.repost_count, references=list(answer.references),
    )  # fmt: skip
