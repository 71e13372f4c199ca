"""The replies part of PublisherService: saved replies, replies and their review. Mixed into
`PublisherServicer`, whose constructor sets `_uow`."""

from typing import TypeAlias

import grpc
from google.protobuf.empty_pb2 import Empty
from vigie.publisher.v1 import replies_pb2 as rp
from vigie_runtime.field_masks import paths_to_update
from vigie_runtime.principal import current_principal
from vigie_runtime.uow import Transactions

from vigie_publisher.app import replies, reply_reviews, reply_views, saved_replies

Context: TypeAlias = grpc.aio.ServicerContext


class RepliesRpcs(Transactions):
    async def CreateSavedReply(
        self, request: rp.CreateSavedReplyRequest, context: Context
    ) -> rp.SavedReply:
        who = current_principal()
        source, parent, request_id = request.saved_reply, request.parent, request.request_id
        row = await self._write(lambda u: saved_replies.create(u, who, parent, source, request_id))
        return saved_replies.view(row)

    async def GetSavedReply(
        self, request: rp.GetSavedReplyRequest, context: Context
    ) -> rp.SavedReply:
        who = current_principal()
        return saved_replies.view(
            await self._read(lambda u: saved_replies.get(u, who, request.name))
        )

    async def ListSavedReplies(
        self, request: rp.ListSavedRepliesRequest, context: Context
    ) -> rp.ListSavedRepliesResponse:
        who = current_principal()
        listed = await self._read(lambda u: saved_replies.list_(u, who, request))
        return rp.ListSavedRepliesResponse(
            saved_replies=[saved_replies.view(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def UpdateSavedReply(
        self, request: rp.UpdateSavedReplyRequest, context: Context
    ) -> rp.SavedReply:
        who = current_principal()
        paths = paths_to_update(request.update_mask, saved_replies.UPDATABLE)
        source = request.saved_reply
        return saved_replies.view(
            await self._write(lambda u: saved_replies.update(u, who, source, paths))
        )

    async def DeleteSavedReply(
        self, request: rp.DeleteSavedReplyRequest, context: Context
    ) -> Empty:
        who = current_principal()
        await self._write(lambda u: saved_replies.delete(u, who, request.name, request.etag))
        return Empty()

    async def RenderSavedReply(
        self, request: rp.RenderSavedReplyRequest, context: Context
    ) -> rp.RenderSavedReplyResponse:
        who = current_principal()
        return await self._read(lambda u: reply_reviews.render(u, who, request))

    async def CreateReply(self, request: rp.CreateReplyRequest, context: Context) -> rp.Reply:
        who = current_principal()
        return reply_views.view(await self._write(lambda u: replies.create(u, who, request)))

    async def GetReply(self, request: rp.GetReplyRequest, context: Context) -> rp.Reply:
        who = current_principal()
        return reply_views.view(await self._read(lambda u: reply_views.get(u, who, request.name)))

    async def ListReplies(
        self, request: rp.ListRepliesRequest, context: Context
    ) -> rp.ListRepliesResponse:
        who = current_principal()
        listed = await self._read(lambda u: reply_views.list_(u, who, request))
        return rp.ListRepliesResponse(
            replies=[reply_views.view(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def ApproveReply(self, request: rp.ApproveReplyRequest, context: Context) -> rp.Reply:
        who = current_principal()
        return reply_views.view(await self._write(lambda u: reply_reviews.approve(u, who, request)))

    async def RejectReply(self, request: rp.RejectReplyRequest, context: Context) -> rp.Reply:
        who = current_principal()
        return reply_views.view(await self._write(lambda u: reply_reviews.reject(u, who, request)))
