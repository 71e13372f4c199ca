"""Posts through GraphQL beyond one at a time: pages of a brand's (or the group's) posts,
drafts changed, posts deleted or their schedule cancelled."""

from datetime import datetime
from typing import Annotated

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument

from vigie_gateway.context import Context
from vigie_gateway.errors import from_app_error
from vigie_gateway.schema.common import (
    After,
    Connection,
    DeleteInput,
    First,
    connection,
    list_options,
    page_request,
    total,
)
from vigie_gateway.schema.payloads import payload_mutation
from vigie_gateway.schema.publisher_inputs import PostVariantInput, variant
from vigie_gateway.schema.publisher_orders import PostOrderBy
from vigie_gateway.schema.publisher_types import Post

Info = strawberry.Info[Context, None]


@strawberry.input(description="A draft's changes: only the fields given change.")
class UpdatePostInput:
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/posts/{post}."
    )
    etag: str = strawberry.field(
        default="", description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )
    variants: list[PostVariantInput] | None = strawberry.field(
        default=None, description="The text per network and language (replaces them all)."
    )
    social_account_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="The accounts to publish to (resource names); each uses the variant of its "
        "network.",
    )
    approval_deadline: datetime | None = strawberry.field(
        default=None,
        description="Not published when still unapproved at this time, nor when approved after it.",
    )


def _changes(input: UpdatePostInput) -> tuple[pb.Post, list[str]]:
    post, paths = pb.Post(name=str(input.id), etag=input.etag), []
    if input.variants is not None:
        post.variants.extend(variant(v) for v in input.variants)
        paths.append("variants")
    if input.social_account_ids is not None:
        post.social_accounts.extend(str(a) for a in input.social_account_ids)
        paths.append("social_accounts")
    if input.approval_deadline is not None:
        post.approval_deadline.FromDatetime(input.approval_deadline)
        paths.append("approval_deadline")
    return post, paths


def _statuses(names: list[str]) -> list["pb.PostStatus.ValueType"]:
    """`DRAFT`, `SCHEDULED`... as the contract numbers them; an unknown one is refused."""
    try:
        return [pb.PostStatus.Value(f"POST_STATUS_{name}") for name in names]
    except ValueError:
        raise from_app_error(
            InvalidArgument("statuses", f"known statuses: {', '.join(_STATUS_NAMES)}")
        ) from None


_STATUS_NAMES = [n.removeprefix("POST_STATUS_") for n in pb.PostStatus.keys()[1:]]


@strawberry.input(description="Which posts to list.")
class PostFilter:
    brand_id: strawberry.ID | None = strawberry.field(
        default=None, description="The brand's global id (`tenants/{t}/brands/{b}`)."
    )
    statuses: list[str] | None = strawberry.field(
        default=None, description="Only these statuses; all when left out."
    )


@strawberry.type
class PublisherPostQuery:
    @strawberry.field(
        description="Posts, oldest first unless `orderBy` says otherwise: a brand's (`brandId`) "
        "or the group's."
    )
    async def posts(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            PostFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: PostOrderBy = None,
    ) -> Connection[Post]:
        given = filter or PostFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListPostsRequest(
            parent=str(given.brand_id or ctx.tenant_name), page_size=page.size,
            page_token=page.token, statuses=_statuses(given.statuses or []),
            **list_options(info, order_by),
        )  # fmt: skip
        response = await ctx.call(ctx.clients.publisher.ListPosts, request)
        return connection(
            [Post.of(p) for p in response.posts],
            response.next_page_token,
            page,
            total(info, response),
        )


@strawberry.input(description="The post to delete.")
class DeletePostInput(DeleteInput):
    pass


@strawberry.type
class PublisherPostMutation:
    @payload_mutation(post=Post, description="Changes a draft; only the fields given change.")
    async def update_post(self, info: Info, input: UpdatePostInput) -> Post:
        ctx = info.context
        post, paths = _changes(input)
        request = rpc.UpdatePostRequest(post=post, update_mask=FieldMask(paths=paths))
        return Post.of(await ctx.call(ctx.clients.publisher.UpdatePost, request))

    @payload_mutation(
        deleted_id=strawberry.ID,
        description="Deletes a post not yet scheduled; a scheduled one is cancelled instead "
        "(back to DRAFT, its publications removed). Refused once it is publishing.",
    )
    async def delete_post(self, info: Info, input: DeletePostInput) -> strawberry.ID:
        ctx = info.context
        await ctx.call(
            ctx.clients.publisher.DeletePost,
            rpc.DeletePostRequest(name=str(input.id), etag=input.etag or ""),
        )
        return input.id
