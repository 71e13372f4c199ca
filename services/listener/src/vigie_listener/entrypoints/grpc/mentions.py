"""Mentions over gRPC: GetMention, BatchGetMentions, ListMentions and CountMentions."""

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.principal import current_principal

from vigie_listener.app import mention_counts, mentions, views
from vigie_listener.app.names import BRAND
from vigie_listener.entrypoints.grpc.base import Context, ServicerBase


def _time(stamp: Timestamp, present: bool) -> datetime | None:
    return stamp.ToDatetime(tzinfo=UTC) if present else None


class MentionsServicer(ServicerBase):
    async def GetMention(self, request: rpc.GetMentionRequest, context: Context) -> pb.Mention:
        who = current_principal()
        return views.mention(await self._read(lambda u: mentions.get(u, who, request.name)))

    async def BatchGetMentions(
        self, request: rpc.BatchGetMentionsRequest, context: Context
    ) -> rpc.BatchGetMentionsResponse:
        who = current_principal()
        rows = await self._read(lambda u: mentions.batch_get(u, who, request.parent, request.names))
        return rpc.BatchGetMentionsResponse(mentions=[views.mention(r) for r in rows])

    async def ListMentions(
        self, request: rpc.ListMentionsRequest, context: Context
    ) -> rpc.ListMentionsResponse:
        who = current_principal()
        wanted = mentions.MentionFilter(
            brands=list(request.brands),
            listening_query=request.listening_query,
            start=_time(request.start_time, request.HasField("start_time")),
            end=_time(request.end_time, request.HasField("end_time")),
            languages=list(request.languages),
            sources=list(request.sources),
            author_handle=request.author_handle,
            text_contains=request.text_contains,
        )
        listed = await self._read(lambda u: mentions.list_(u, who, request.parent, wanted, request))
        return rpc.ListMentionsResponse(
            mentions=[views.mention(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def CountMentions(
        self, request: rpc.CountMentionsRequest, context: Context
    ) -> rpc.CountMentionsResponse:
        who = current_principal()
        wanted = mentions.MentionFilter(
            brands=list(request.brands),
            start=_time(request.start_time, request.HasField("start_time")),
            end=_time(request.end_time, request.HasField("end_time")),
            languages=list(request.languages),
            sources=list(request.sources),
        )
        counts = await self._read(
            lambda u: mention_counts.count(
                u, who, request.parent, wanted, request.interval, request.time_zone
            )
        )
        return rpc.CountMentionsResponse(
            counts=[
                rpc.MentionCount(
                    brand=BRAND.format(who.tenant, c.brand_id),
                    start_time=views.stamp(c.start),
                    count=c.count,
                )
                for c in counts
            ]
        )
