"""Reading the publisher: accounts, posts, publication status, queues, text previews."""

from typing import Annotated

import strawberry
from vigie.publisher.v1 import publisher_pb2 as rpc

from vigie_gateway.context import Context
from vigie_gateway.schema.common import PLAIN_LIST_SIZE, NodeId, wire
from vigie_gateway.schema.publisher_policies import PublisherPolicyQuery
from vigie_gateway.schema.publisher_posts import PublisherPostQuery
from vigie_gateway.schema.publisher_types import (
    Network,
    Post,
    Publication,
    Queue,
    SocialAccount,
    TextValidation,
)

Info = strawberry.Info[Context, None]


@strawberry.type
class PublisherQuery(PublisherPostQuery, PublisherPolicyQuery):
    @strawberry.field(
        description="A brand's social accounts (`tenants/{t}/brands/{b}`), the first 1,000.",
        deprecation_reason="Use `Brand.socialAccounts`: paged, filtered, sorted and counted.",
    )
    async def social_accounts(
        self,
        info: Info,
        brand_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The brand's global id (`tenants/{t}/brands/{b}`)."),
        ],
    ) -> list[SocialAccount]:
        ctx = info.context
        request = rpc.ListSocialAccountsRequest(parent=str(brand_id), page_size=PLAIN_LIST_SIZE)
        response = await ctx.call(ctx.clients.publisher.ListSocialAccounts, request)
        return [SocialAccount.of(a) for a in response.social_accounts]

    @strawberry.field(description="A post, its variants and its approval trail.")
    async def post(self, info: Info, id: NodeId) -> Post:
        ctx = info.context
        return Post.of(
            await ctx.call(ctx.clients.publisher.GetPost, rpc.GetPostRequest(name=str(id)))
        )

    @strawberry.field(
        description="Where a post stands on each of its accounts (the first 50).",
        deprecation_reason="Use `Post.publications`: paged, filtered, sorted and counted.",
    )
    async def publications(
        self,
        info: Info,
        post_id: Annotated[strawberry.ID, strawberry.argument(description="The post's global id.")],
    ) -> list[Publication]:
        ctx = info.context
        request = rpc.ListPublicationsRequest(parent=str(post_id))
        response = await ctx.call(ctx.clients.publisher.ListPublications, request)
        return [Publication.of(p) for p in response.publications]

    @strawberry.field(description="A brand's queue (`tenants/{t}/brands/{b}/queue`).")
    async def queue(self, info: Info, id: NodeId) -> Queue:
        ctx = info.context
        return Queue.of(
            await ctx.call(ctx.clients.publisher.GetQueue, rpc.GetQueueRequest(name=str(id)))
        )

    @strawberry.field(description="A network's verdict on a text, before it is saved.")
    async def validate_text(
        self,
        info: Info,
        network: Annotated[Network, strawberry.argument(description="Only this network.")],
        text: Annotated[str, strawberry.argument(description="The text to check.")],
    ) -> TextValidation:
        ctx = info.context
        request = rpc.ValidateTextRequest(network=wire(network), text=text)
        return TextValidation.of(await ctx.call(ctx.clients.publisher.ValidateText, request))
