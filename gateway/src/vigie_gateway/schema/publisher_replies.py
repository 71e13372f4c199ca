"""Replies to inbox mentions and saved replies through GraphQL: reads, the composer's render,
writing, and a manager's approval or rejection."""

from typing import Annotated

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.publisher.v1 import replies_pb2 as rp
from vigie_runtime.errors import InvalidArgument

from vigie_gateway.context import Context
from vigie_gateway.errors import from_app_error
from vigie_gateway.schema.common import (
    After,
    Connection,
    DeleteInput,
    First,
    NamedOrderBy,
    NodeId,
    connection,
    list_options,
    page_request,
    total,
    wire,
)
from vigie_gateway.schema.payloads import payload_mutation
from vigie_gateway.schema.publisher_orders import ReplyOrderBy
from vigie_gateway.schema.publisher_replies_types import (
    BRAND_ID,
    CreateReplyInput,
    CreateSavedReplyInput,
    RenderedReply,
    Reply,
    ReplyFilter,
    ReviewReplyInput,
    SavedReply,
    SavedReplyFilter,
    SavedReplyVariantInput,
    TemplateVariableInput,
    UpdateSavedReplyInput,
)

Info = strawberry.Info[Context, None]


def _variants(given: list[SavedReplyVariantInput]) -> list[rp.SavedReplyVariant]:
    return [rp.SavedReplyVariant(language=v.language, text=v.text) for v in given]


def _values(given: list[TemplateVariableInput] | None) -> dict[str, str]:
    return {v.name: v.value for v in given or []}


@strawberry.type
class PublisherRepliesQuery:
    @strawberry.field(description="A brand's saved replies, oldest first.")
    async def saved_replies(
        self,
        info: Info,
        brand_id: Annotated[strawberry.ID, strawberry.argument(description=BRAND_ID)],
        first: First = 50,
        after: After = None,
        filter: Annotated[
            SavedReplyFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: NamedOrderBy = None,
    ) -> Connection[SavedReply]:
        ctx, page = info.context, page_request(first, after)
        request = rp.ListSavedRepliesRequest(
            parent=str(brand_id), page_size=page.size, page_token=page.token,
            language=(filter.language or "") if filter else "",
            **list_options(info, order_by),
        )  # fmt: skip
        found = await ctx.call(ctx.clients.publisher.ListSavedReplies, request)
        items = [SavedReply.of(s) for s in found.saved_replies]
        return connection(items, found.next_page_token, page, total(info, found))

    @strawberry.field(description="One saved reply.")
    async def saved_reply(self, info: Info, id: NodeId) -> SavedReply:
        ctx = info.context
        request = rp.GetSavedReplyRequest(name=str(id))
        return SavedReply.of(await ctx.call(ctx.clients.publisher.GetSavedReply, request))

    @strawberry.field(
        description="A saved reply's text for a mention (its language chooses the variant: exact "
        "tag, primary subtag, then the default) or for a language; nothing is saved."
    )
    async def rendered_reply(
        self,
        info: Info,
        saved_reply_id: Annotated[
            strawberry.ID, strawberry.argument(description="The saved reply's global id.")
        ],
        mention_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The mention whose language chooses the variant."),
        ] = None,
        language: Annotated[
            str | None, strawberry.argument(description="A BCP 47 language, without a mention.")
        ] = None,
        variables: Annotated[
            list[TemplateVariableInput] | None,
            strawberry.argument(description="Values of the {{variables}}."),
        ] = None,
    ) -> RenderedReply:
        ctx = info.context
        request = rp.RenderSavedReplyRequest(
            saved_reply=str(saved_reply_id), mention=str(mention_id or ""),
            language=language or "", variables=_values(variables),
        )  # fmt: skip
        found = await ctx.call(ctx.clients.publisher.RenderSavedReply, request)
        return RenderedReply(text=found.text, language=found.language)

    @strawberry.field(description="Replies of the tenant, or of one brand, oldest first.")
    async def replies(
        self,
        info: Info,
        parent_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The tenant's (`tenants/{t}`) or a brand's global id."),
        ],
        first: First = 50,
        after: After = None,
        filter: Annotated[
            ReplyFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: ReplyOrderBy = None,
    ) -> Connection[Reply]:
        given = filter or ReplyFilter()
        ctx, page = info.context, page_request(first, after)
        request = rp.ListRepliesRequest(
            parent=str(parent_id), page_size=page.size, page_token=page.token,
            states=[wire(s) for s in given.states or []],
            in_reply_to=str(given.in_reply_to_id or ""), **list_options(info, order_by),
        )  # fmt: skip
        found = await ctx.call(ctx.clients.publisher.ListReplies, request)
        return connection(
            [Reply.of(r) for r in found.replies], found.next_page_token, page, total(info, found)
        )

    @strawberry.field(description="One reply.")
    async def reply(self, info: Info, id: NodeId) -> Reply:
        ctx = info.context
        request = rp.GetReplyRequest(name=str(id))
        return Reply.of(await ctx.call(ctx.clients.publisher.GetReply, request))


@strawberry.input(description="The saved reply to delete.")
class DeleteSavedReplyInput(DeleteInput):
    pass


@strawberry.type
class PublisherRepliesMutation:
    @payload_mutation(saved_reply=SavedReply, description="Saves a reply for a brand.")
    async def create_saved_reply(self, info: Info, input: CreateSavedReplyInput) -> SavedReply:
        ctx = info.context
        saved = rp.SavedReply(
            display_name=input.display_name, variants=_variants(input.variants),
            default_language=input.default_language,
        )  # fmt: skip
        request = rp.CreateSavedReplyRequest(
            parent=str(input.brand_id), saved_reply=saved, request_id=input.request_id
        )
        return SavedReply.of(await ctx.call(ctx.clients.publisher.CreateSavedReply, request))

    @payload_mutation(saved_reply=SavedReply, description="Changes a saved reply.")
    async def update_saved_reply(self, info: Info, input: UpdateSavedReplyInput) -> SavedReply:
        ctx = info.context
        saved = rp.SavedReply(name=str(input.id), etag=input.etag)
        paths: list[str] = []
        if input.display_name is not None:
            saved.display_name, paths = input.display_name, [*paths, "display_name"]
        if input.variants is not None:
            saved.variants.extend(_variants(input.variants))
            paths.append("variants")
        if input.default_language is not None:
            saved.default_language, paths = input.default_language, [*paths, "default_language"]
        if not paths:  # an empty mask would mean "every field"
            raise from_app_error(InvalidArgument("input", "give a field to change"))
        request = rp.UpdateSavedReplyRequest(saved_reply=saved, update_mask=FieldMask(paths=paths))
        return SavedReply.of(await ctx.call(ctx.clients.publisher.UpdateSavedReply, request))

    @payload_mutation(deleted_id=strawberry.ID, description="Deletes a saved reply.")
    async def delete_saved_reply(self, info: Info, input: DeleteSavedReplyInput) -> strawberry.ID:
        ctx = info.context
        request = rp.DeleteSavedReplyRequest(name=str(input.id), etag=input.etag or "")
        await ctx.call(ctx.clients.publisher.DeleteSavedReply, request)
        return input.id

    @payload_mutation(
        reply=Reply,
        description="Replies to a mention of the inbox: published right away, or waiting for a "
        "social media manager when a community manager answers a high-reach mention or a brand "
        "in crisis.",
    )
    async def create_reply(self, info: Info, input: CreateReplyInput) -> Reply:
        ctx = info.context
        request = rp.CreateReplyRequest(
            parent=str(input.brand_id), in_reply_to=str(input.in_reply_to_id),
            social_account=str(input.social_account_id or ""), text=input.text or "",
            saved_reply=str(input.saved_reply_id or ""), variables=_values(input.variables),
            request_id=input.request_id,
        )  # fmt: skip
        return Reply.of(await ctx.call(ctx.clients.publisher.CreateReply, request))

    @payload_mutation(
        reply=Reply, description="Approves a reply waiting for approval; it is then published."
    )
    async def approve_reply(self, info: Info, input: ReviewReplyInput) -> Reply:
        ctx = info.context
        request = rp.ApproveReplyRequest(name=str(input.id), etag=input.etag, comment=input.comment)
        return Reply.of(await ctx.call(ctx.clients.publisher.ApproveReply, request))

    @payload_mutation(reply=Reply, description="Rejects a reply waiting for approval (a comment).")
    async def reject_reply(self, info: Info, input: ReviewReplyInput) -> Reply:
        ctx = info.context
        request = rp.RejectReplyRequest(name=str(input.id), etag=input.etag, comment=input.comment)
        return Reply.of(await ctx.call(ctx.clients.publisher.RejectReply, request))
