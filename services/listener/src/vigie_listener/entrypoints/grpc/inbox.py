"""InboxService over gRPC: request -> handler (which owns the transaction) -> response."""

from collections.abc import Callable

from vigie.listener.v1 import inbox_pb2 as rpc
from vigie.listener.v1 import inbox_pb2_grpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.principal import current_principal
from vigie_runtime.uow import Transactions, UnitOfWork

from vigie_listener.adapters.orm import InboxItemRow
from vigie_listener.app import (
    inbox_actions,
    inbox_conversation,
    inbox_items,
    inbox_measures,
)
from vigie_listener.app.common import now
from vigie_listener.app.inbox_views import inbox_item, inbox_note
from vigie_listener.entrypoints.grpc.base import Context

SERVICE_NAME = "vigie.listener.v1.InboxService"


class InboxServicer(Transactions, inbox_pb2_grpc.InboxServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow

    async def ListInboxItems(
        self, request: rpc.ListInboxItemsRequest, context: Context
    ) -> rpc.ListInboxItemsResponse:
        who = current_principal()

        async def read(u: UnitOfWork) -> tuple[list[InboxItemRow], str, int]:
            rows, token = await inbox_items.list_(u, who, request)
            counted = await inbox_items.total(u, who, request) if request.show_total_size else 0
            return rows, token, counted

        rows, token, counted = await self._read(read)
        moment = now()
        return rpc.ListInboxItemsResponse(
            inbox_items=[inbox_item(r, moment) for r in rows],
            next_page_token=token,
            total_size=counted,
        )

    async def GetInboxItem(
        self, request: rpc.GetInboxItemRequest, context: Context
    ) -> pb.InboxItem:
        who = current_principal()
        row = await self._read(lambda u: inbox_items.readable_item(u, who, request.name))
        return inbox_item(row, now())

    async def AssignInboxItem(
        self, request: rpc.AssignInboxItemRequest, context: Context
    ) -> pb.InboxItem:
        who = current_principal()
        row = await self._write(lambda u: inbox_actions.assign(u, who, request))
        return inbox_item(row, now())

    async def AddInboxNote(
        self, request: rpc.AddInboxNoteRequest, context: Context
    ) -> pb.InboxNote:
        who = current_principal()
        note, brand_id = await self._write(lambda u: inbox_actions.add_note(u, who, request))
        return inbox_note(note, brand_id)

    async def ListInboxNotes(
        self, request: rpc.ListInboxNotesRequest, context: Context
    ) -> rpc.ListInboxNotesResponse:
        who = current_principal()
        notes, brand_id = await self._read(lambda u: inbox_actions.list_notes(u, who, request))
        return rpc.ListInboxNotesResponse(
            notes=[inbox_note(n, brand_id) for n in notes.rows],
            next_page_token=notes.next_page_token,
            total_size=notes.total_size,
        )

    async def SetInboxItemLabels(
        self, request: rpc.SetInboxItemLabelsRequest, context: Context
    ) -> pb.InboxItem:
        who = current_principal()
        row = await self._write(lambda u: inbox_actions.set_labels(u, who, request))
        return inbox_item(row, now())

    async def SetInboxItemStatus(
        self, request: rpc.SetInboxItemStatusRequest, context: Context
    ) -> pb.InboxItem:
        who = current_principal()
        row = await self._write(lambda u: inbox_actions.set_status(u, who, request))
        return inbox_item(row, now())

    async def GetConversation(
        self, request: rpc.GetConversationRequest, context: Context
    ) -> rpc.Conversation:
        who = current_principal()
        return await self._read(lambda u: inbox_conversation.conversation(u, who, request.name))

    async def SetResponseTargets(
        self, request: rpc.SetResponseTargetsRequest, context: Context
    ) -> pb.ResponseTargets:
        who = current_principal()
        given = request.response_targets
        return await self._write(lambda u: inbox_measures.set_targets(u, who, given))

    async def GetResponseTargets(
        self, request: rpc.GetResponseTargetsRequest, context: Context
    ) -> pb.ResponseTargets:
        who = current_principal()
        return await self._read(lambda u: inbox_measures.get_targets(u, who, request.name))

    async def GetResponseTimes(
        self, request: rpc.GetResponseTimesRequest, context: Context
    ) -> rpc.GetResponseTimesResponse:
        who = current_principal()
        return await self._read(lambda u: inbox_measures.response_times(u, who, request))


def inbox_registration(servicer: InboxServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: inbox_pb2_grpc.add_InboxServiceServicer_to_server(servicer, server),
    )
