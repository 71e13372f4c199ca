"""The engagement inbox through GraphQL: items most urgent first, notes, conversations,
assignment, labels, closing, response targets and times (the listener's InboxService)."""

from typing import Annotated

import strawberry
from vigie.listener.v1 import inbox_pb2 as rpc
from vigie.listener.v1 import inbox_pb2_grpc
from vigie.listener.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import (
    After,
    Connection,
    First,
    NodeId,
    WindowEnd,
    WindowStart,
    connection,
    list_options,
    page_request,
    total,
    wire,
)
from vigie_gateway.schema.listener_inbox_types import (
    Conversation,
    InboxItem,
    InboxNote,
    InboxReason,
    InboxStatus,
    ResponseGrouping,
    ResponseTargets,
    ResponseTimeGroup,
)
from vigie_gateway.schema.listener_orders import InboxItemOrderBy, InboxNoteOrderBy
from vigie_gateway.schema.payloads import payload_mutation

Info = strawberry.Info[Context, None]
Scope = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="A subsidiary's (`tenants/{t}/subsidiaries/{s}`) or a brand's "
        "(`tenants/{t}/brands/{b}`) global id."
    ),
]
_TARGETS = "/responseTargets"


def inbox_stub(ctx: Context) -> inbox_pb2_grpc.InboxServiceStub:
    # The InboxService is served by the listener, on its channel.
    return inbox_pb2_grpc.InboxServiceStub(ctx.clients.channels["listener"])


@strawberry.input(description="Which inbox items to list; the filters combine with AND.")
class InboxItemFilter:
    statuses: list[InboxStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Assigned to this member (global id)."
    )
    label: str | None = strawberry.field(default=None, description="Carrying this label.")
    reason: InboxReason | None = strawberry.field(
        default=None, description="Opened for this reason (among others)."
    )


async def get_inbox_item(ctx: Context, name: str) -> InboxItem:
    request = rpc.GetInboxItemRequest(name=name)
    return InboxItem.of(await ctx.call(inbox_stub(ctx).GetInboxItem, request))


@strawberry.type
class ListenerInboxQuery:
    @strawberry.field(description="A subsidiary's or a brand's inbox, most urgent first.")
    async def inbox_items(
        self,
        info: Info,
        scope_id: Scope,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            InboxItemFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: InboxItemOrderBy = None,
    ) -> Connection[InboxItem]:
        given = filter or InboxItemFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListInboxItemsRequest(
            parent=str(scope_id), page_size=page.size, page_token=page.token,
            statuses=[wire(s) for s in given.statuses or []],
            assignee=str(given.assignee_id or ""), label=given.label or "",
            reason=wire(given.reason) if given.reason else pb.INBOX_REASON_UNSPECIFIED,
            **list_options(info, order_by),
        )  # fmt: skip
        response = await ctx.call(inbox_stub(ctx).ListInboxItems, request)
        items = [InboxItem.of(i) for i in response.inbox_items]
        return connection(items, response.next_page_token, page, total(info, response))

    @strawberry.field(description="One inbox item.")
    async def inbox_item(self, info: Info, id: NodeId) -> InboxItem:
        return await get_inbox_item(info.context, str(id))

    @strawberry.field(description="An inbox item's internal notes, oldest first.")
    async def inbox_notes(
        self,
        info: Info,
        inbox_item_id: NodeId,
        first: First = 50,
        after: After = None,
        order_by: InboxNoteOrderBy = None,
    ) -> Connection[InboxNote]:
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListInboxNotesRequest(
            parent=str(inbox_item_id),
            page_size=page.size,
            page_token=page.token,
            **list_options(info, order_by),
        )
        response = await ctx.call(inbox_stub(ctx).ListInboxNotes, request)
        notes = [InboxNote.of(n) for n in response.notes]
        return connection(notes, response.next_page_token, page, total(info, response))

    @strawberry.field(description="The thread an inbox item's mention belongs to.")
    async def inbox_conversation(self, info: Info, inbox_item_id: NodeId) -> Conversation:
        ctx = info.context
        request = rpc.GetConversationRequest(name=str(inbox_item_id))
        return Conversation.of(await ctx.call(inbox_stub(ctx).GetConversation, request))

    @strawberry.field(description="A subsidiary's response targets.")
    async def response_targets(
        self,
        info: Info,
        subsidiary_id: Annotated[
            strawberry.ID, strawberry.argument(description="The subsidiary's global id.")
        ],
    ) -> ResponseTargets:
        ctx = info.context
        request = rpc.GetResponseTargetsRequest(name=f"{subsidiary_id}{_TARGETS}")
        return ResponseTargets.of(await ctx.call(inbox_stub(ctx).GetResponseTargets, request))

    @strawberry.field(
        description="First-response and resolution times of the items opened in a window, "
        "per subsidiary, brand or person, against the subsidiary's targets."
    )
    async def response_times(
        self,
        info: Info,
        scope_id: Scope,
        start: WindowStart,
        end: WindowEnd,
        group_by: Annotated[
            ResponseGrouping, strawberry.argument(description="What the groups are.")
        ] = ResponseGrouping.SUBSIDIARY,
    ) -> list[ResponseTimeGroup]:
        ctx = info.context
        request = rpc.GetResponseTimesRequest(parent=str(scope_id), group_by=wire(group_by))
        request.start_time.FromDatetime(start)
        request.end_time.FromDatetime(end)
        response = await ctx.call(inbox_stub(ctx).GetResponseTimes, request)
        return [ResponseTimeGroup.of(g) for g in response.groups]


@strawberry.input(description="Who gets an inbox item.")
class AssignInboxItemInput:
    id: strawberry.ID = strawberry.field(description="The item's global id.")
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A member of the item's subsidiary or a group-wide one; null takes it back.",
    )
    request_id: str | None = strawberry.field(
        default=None, description="Makes retries safe (assigning twice changes nothing)."
    )


@strawberry.input(description="An internal note to add to an inbox item.")
class AddInboxNoteInput:
    inbox_item_id: strawberry.ID = strawberry.field(description="The item's global id.")
    text: str = strawberry.field(description="The note, 1 to 5000 characters.")
    request_id: str | None = strawberry.field(
        default=None, description="Makes retries safe: the same id returns the same note."
    )


@strawberry.input(description="An inbox item's labels, replacing the ones it has.")
class SetInboxItemLabelsInput:
    id: strawberry.ID = strawberry.field(description="The item's global id.")
    labels: list[str] = strawberry.field(description="Up to 20 labels of 1 to 64 characters.")


@strawberry.input(description="The inbox item to close or reopen.")
class InboxItemStatusInput:
    id: strawberry.ID = strawberry.field(description="The item's global id.")


@strawberry.input(description="A subsidiary's response targets (0: no target).")
class SetResponseTargetsInput:
    subsidiary_id: strawberry.ID = strawberry.field(description="The subsidiary's global id.")
    first_response_seconds: int = strawberry.field(description="Opening to first reply.")
    resolution_seconds: int = strawberry.field(description="Opening to closing.")


async def _status(ctx: Context, name: str, status: int) -> InboxItem:
    request = rpc.SetInboxItemStatusRequest(name=name, status=status)  # type: ignore[arg-type]
    return InboxItem.of(await ctx.call(inbox_stub(ctx).SetInboxItemStatus, request))


@strawberry.type
class ListenerInboxMutation:
    @payload_mutation(inbox_item=InboxItem, description="Gives an inbox item to a person.")
    async def assign_inbox_item(self, info: Info, input: AssignInboxItemInput) -> InboxItem:
        ctx = info.context
        request = rpc.AssignInboxItemRequest(
            name=str(input.id), assignee=str(input.assignee_id or ""),
            request_id=input.request_id or "",
        )  # fmt: skip
        return InboxItem.of(await ctx.call(inbox_stub(ctx).AssignInboxItem, request))

    @payload_mutation(note=InboxNote, description="Adds an internal note to an inbox item.")
    async def add_inbox_note(self, info: Info, input: AddInboxNoteInput) -> InboxNote:
        ctx = info.context
        request = rpc.AddInboxNoteRequest(
            parent=str(input.inbox_item_id), text=input.text, request_id=input.request_id or ""
        )
        return InboxNote.of(await ctx.call(inbox_stub(ctx).AddInboxNote, request))

    @payload_mutation(inbox_item=InboxItem, description="Replaces an inbox item's labels.")
    async def set_inbox_item_labels(self, info: Info, input: SetInboxItemLabelsInput) -> InboxItem:
        ctx = info.context
        request = rpc.SetInboxItemLabelsRequest(name=str(input.id), labels=input.labels)
        return InboxItem.of(await ctx.call(inbox_stub(ctx).SetInboxItemLabels, request))

    @payload_mutation(inbox_item=InboxItem, description="Closes an inbox item.")
    async def close_inbox_item(self, info: Info, input: InboxItemStatusInput) -> InboxItem:
        return await _status(info.context, str(input.id), pb.INBOX_STATUS_CLOSED)

    @payload_mutation(
        inbox_item=InboxItem, description="Reopens a closed inbox item: it waits again."
    )
    async def reopen_inbox_item(self, info: Info, input: InboxItemStatusInput) -> InboxItem:
        return await _status(info.context, str(input.id), pb.INBOX_STATUS_NEW)

    @payload_mutation(
        response_targets=ResponseTargets, description="Sets a subsidiary's response targets."
    )
    async def set_response_targets(
        self, info: Info, input: SetResponseTargetsInput
    ) -> ResponseTargets:
        ctx = info.context
        given = pb.ResponseTargets(
            name=f"{input.subsidiary_id}{_TARGETS}",
            first_response_seconds=input.first_response_seconds,
            resolution_seconds=input.resolution_seconds,
        )
        request = rpc.SetResponseTargetsRequest(response_targets=given)
        return ResponseTargets.of(await ctx.call(inbox_stub(ctx).SetResponseTargets, request))
