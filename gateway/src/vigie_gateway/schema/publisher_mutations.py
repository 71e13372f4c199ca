"""Changing the publisher: drafting, approving, scheduling posts and holding queues."""

from datetime import datetime

import strawberry
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.publisher_accounts import PublisherAccountMutation
from vigie_gateway.schema.publisher_inputs import PostVariantInput, variant
from vigie_gateway.schema.publisher_policies import PublisherPolicyMutation
from vigie_gateway.schema.publisher_posts import PublisherPostMutation
from vigie_gateway.schema.publisher_types import Post, Queue

Info = strawberry.Info[Context, None]


@strawberry.input(description="A draft post for a brand.")
class CreatePostInput:
    brand_id: strawberry.ID
    social_account_ids: list[strawberry.ID]
    variants: list[PostVariantInput]
    approval_deadline: datetime | None = None
    request_id: str = ""


@strawberry.type
class PublisherMutation(PublisherAccountMutation, PublisherPostMutation, PublisherPolicyMutation):
    @strawberry.mutation(description="Drafts a post; every variant is checked.")
    async def create_post(self, info: Info, input: CreatePostInput) -> Post:
        ctx = info.context
        post = pb.Post(
            social_accounts=[str(a) for a in input.social_account_ids],
            variants=[variant(v) for v in input.variants],
        )  # fmt: skip
        if input.approval_deadline is not None:
            post.approval_deadline.FromDatetime(input.approval_deadline)
        request = rpc.CreatePostRequest(parent=str(input.brand_id), post=post,
                                        request_id=input.request_id)  # fmt: skip
        return Post.of(await ctx.call(ctx.clients.publisher.CreatePost, request))

    @strawberry.mutation(description="Submits a draft for approval.")
    async def submit_post(self, info: Info, id: strawberry.ID, comment: str = "") -> Post:
        ctx = info.context
        request = rpc.SubmitPostRequest(name=str(id), comment=comment)
        return Post.of(await ctx.call(ctx.clients.publisher.SubmitPost, request))

    @strawberry.mutation(description="Approves a submitted post (never one's own).")
    async def approve_post(self, info: Info, id: strawberry.ID, comment: str = "") -> Post:
        ctx = info.context
        request = rpc.ApprovePostRequest(name=str(id), comment=comment)
        return Post.of(await ctx.call(ctx.clients.publisher.ApprovePost, request))

    @strawberry.mutation(description="Sends a submitted post back to draft, saying why.")
    async def reject_post(self, info: Info, id: strawberry.ID, comment: str) -> Post:
        ctx = info.context
        request = rpc.RejectPostRequest(name=str(id), comment=comment)
        return Post.of(await ctx.call(ctx.clients.publisher.RejectPost, request))

    @strawberry.mutation(description="Schedules an approved post; no time: next free slots.")
    async def schedule_post(
        self, info: Info, id: strawberry.ID, at: datetime | None = None
    ) -> Post:
        ctx = info.context
        request = rpc.SchedulePostRequest(name=str(id))
        if at is not None:
            request.schedule_time.FromDatetime(at)
        return Post.of(await ctx.call(ctx.clients.publisher.SchedulePost, request))

    @strawberry.mutation(description="Holds a brand's queue: nothing goes out until released.")
    async def hold_queue(self, info: Info, id: strawberry.ID, reason: str = "") -> Queue:
        ctx = info.context
        request = rpc.HoldQueueRequest(name=str(id), reason=reason)
        return Queue.of(await ctx.call(ctx.clients.publisher.HoldQueue, request))

    @strawberry.mutation(description="Releases a held queue (social media managers).")
    async def release_queue(self, info: Info, id: strawberry.ID) -> Queue:
        ctx = info.context
        request = rpc.ReleaseQueueRequest(name=str(id))
        return Queue.of(await ctx.call(ctx.clients.publisher.ReleaseQueue, request))
