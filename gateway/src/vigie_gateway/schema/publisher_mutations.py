"""Changing the publisher: drafting, approving, scheduling posts and holding queues."""

from datetime import datetime

import strawberry
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.payloads import payload_mutation
from vigie_gateway.schema.publisher_accounts import PublisherAccountMutation
from vigie_gateway.schema.publisher_inputs import PostVariantInput, variant
from vigie_gateway.schema.publisher_policies import PublisherPolicyMutation
from vigie_gateway.schema.publisher_posts import PublisherPostMutation
from vigie_gateway.schema.publisher_types import Post, Queue

Info = strawberry.Info[Context, None]


@strawberry.input(description="A draft post for a brand.")
class CreatePostInput:
    brand_id: strawberry.ID = strawberry.field(description="The brand's global id.")
    social_account_ids: list[strawberry.ID] = strawberry.field(
        description="The accounts to publish to (resource names); each uses the variant of its "
        "network."
    )
    variants: list[PostVariantInput] = strawberry.field(
        description="The text per network and language."
    )
    approval_deadline: datetime | None = strawberry.field(
        default=None,
        description="Not published when still unapproved at this time, nor when approved after it.",
    )
    request_id: str = strawberry.field(
        default="",
        description="Makes retries safe: the same id returns what the first request made.",
    )


@strawberry.input(description="What `submitPost` needs.")
class SubmitPostInput:
    id: strawberry.ID = strawberry.field(description="The object's global id.")
    comment: str = strawberry.field(default="", description="A note kept in the approval trail.")


@strawberry.input(description="What `approvePost` needs.")
class ApprovePostInput:
    id: strawberry.ID = strawberry.field(description="The object's global id.")
    comment: str = strawberry.field(default="", description="A note kept in the approval trail.")


@strawberry.input(description="What `rejectPost` needs.")
class RejectPostInput:
    id: strawberry.ID = strawberry.field(description="The object's global id.")
    comment: str = strawberry.field(description="Why, for the author; required.")


@strawberry.input(description="What `schedulePost` needs.")
class SchedulePostInput:
    id: strawberry.ID = strawberry.field(description="The object's global id.")
    at: datetime | None = strawberry.field(
        default=None, description="When it goes out (UTC); left out: the queue's next free slots."
    )


@strawberry.input(description="What `holdQueue` needs.")
class HoldQueueInput:
    id: strawberry.ID = strawberry.field(description="The object's global id.")
    reason: str = strawberry.field(default="", description="Why, for people.")


@strawberry.input(description="What `releaseQueue` needs.")
class ReleaseQueueInput:
    id: strawberry.ID = strawberry.field(description="The object's global id.")


@strawberry.type
class PublisherMutation(PublisherAccountMutation, PublisherPostMutation, PublisherPolicyMutation):
    @payload_mutation(post=Post, description="Drafts a post; every variant is checked.")
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

    @payload_mutation(post=Post, description="Submits a draft for approval.")
    async def submit_post(self, info: Info, input: SubmitPostInput) -> Post:
        ctx = info.context
        request = rpc.SubmitPostRequest(name=str(input.id), comment=input.comment)
        return Post.of(await ctx.call(ctx.clients.publisher.SubmitPost, request))

    @payload_mutation(post=Post, description="Approves a submitted post (never one's own).")
    async def approve_post(self, info: Info, input: ApprovePostInput) -> Post:
        ctx = info.context
        request = rpc.ApprovePostRequest(name=str(input.id), comment=input.comment)
        return Post.of(await ctx.call(ctx.clients.publisher.ApprovePost, request))

    @payload_mutation(post=Post, description="Sends a submitted post back to draft, saying why.")
    async def reject_post(self, info: Info, input: RejectPostInput) -> Post:
        ctx = info.context
        request = rpc.RejectPostRequest(name=str(input.id), comment=input.comment)
        return Post.of(await ctx.call(ctx.clients.publisher.RejectPost, request))

    @payload_mutation(
        post=Post, description="Schedules an approved post; no time: next free slots."
    )
    async def schedule_post(self, info: Info, input: SchedulePostInput) -> Post:
        ctx = info.context
        request = rpc.SchedulePostRequest(name=str(input.id))
        if input.at is not None:
            request.schedule_time.FromDatetime(input.at)
        return Post.of(await ctx.call(ctx.clients.publisher.SchedulePost, request))

    @payload_mutation(
        queue=Queue, description="Holds a brand's queue: nothing goes out until released."
    )
    async def hold_queue(self, info: Info, input: HoldQueueInput) -> Queue:
        ctx = info.context
        request = rpc.HoldQueueRequest(name=str(input.id), reason=input.reason)
        return Queue.of(await ctx.call(ctx.clients.publisher.HoldQueue, request))

    @payload_mutation(queue=Queue, description="Releases a held queue (social media managers).")
    async def release_queue(self, info: Info, input: ReleaseQueueInput) -> Queue:
        ctx = info.context
        request = rpc.ReleaseQueueRequest(name=str(input.id))
        return Queue.of(await ctx.call(ctx.clients.publisher.ReleaseQueue, request))
