"""PresenceService over gRPC: request -> handler (scope, roles, window) -> response."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeAlias

import grpc
from google.protobuf.message import Message
from vigie.reputation.v1 import presence_pb2 as pb
from vigie.reputation.v1 import presence_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import Transactions, UnitOfWork

from vigie_reputation.app import presence

SERVICE_NAME = "vigie.reputation.v1.PresenceService"
Context: TypeAlias = grpc.aio.ServicerContext


def _time(message: Message, field: str) -> datetime | None:
    if not message.HasField(field):
        return None
    return getattr(message, field).ToDatetime(tzinfo=UTC)  # type: ignore[no-any-return]


def _window(message: Message) -> tuple[datetime | None, datetime | None]:
    return _time(message, "start_time"), _time(message, "end_time")


class PresenceServicer(Transactions, presence_pb2_grpc.PresenceServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow

    async def GetPresence(self, request: pb.GetPresenceRequest, context: Context) -> pb.Presence:
        start, end = _window(request)
        return await self._read(lambda u: presence.get_presence(u, request, start, end))

    async def ListAccountSnapshots(
        self, request: pb.ListAccountSnapshotsRequest, context: Context
    ) -> pb.ListAccountSnapshotsResponse:
        start, end = _window(request)
        return await self._read(lambda u: presence.list_account_snapshots(u, request, start, end))

    async def ListTopPosts(
        self, request: pb.ListTopPostsRequest, context: Context
    ) -> pb.ListTopPostsResponse:
        start, end = _window(request)
        return await self._read(lambda u: presence.list_top_posts(u, request, start, end))


def presence_registration(servicer: PresenceServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: presence_pb2_grpc.add_PresenceServiceServicer_to_server(servicer, server),
    )
