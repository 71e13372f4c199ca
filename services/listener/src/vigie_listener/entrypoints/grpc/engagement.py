"""Engagement on the brands' published posts over gRPC: GetPostEngagement."""

from vigie.listener.v1 import listener_pb2 as rpc
from vigie_runtime.principal import current_principal

from vigie_listener.app import engagement
from vigie_listener.app.engagement import Kind
from vigie_listener.entrypoints.grpc.base import Context, ServicerBase


class EngagementServicer(ServicerBase):
    async def GetPostEngagement(
        self, request: rpc.GetPostEngagementRequest, context: Context
    ) -> rpc.PostEngagement:
        who = current_principal()
        found = await self._read(lambda u: engagement.read(u, who, request.name))
        return rpc.PostEngagement(
            name=request.name,
            reply_count=found.counts.get(Kind.REPLY, 0),
            quote_count=found.counts.get(Kind.QUOTE, 0),
            repost_count=found.counts.get(Kind.REPOST, 0),
            references=found.references,
        )
