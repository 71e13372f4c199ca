"""CrisisResponseService over gRPC: request -> handler (which owns the transaction) -> response."""

from collections.abc import Callable
from typing import TypeAlias

import grpc
from google.protobuf.empty_pb2 import Empty
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie.reputation.v1 import crisis_response_pb2_grpc
from vigie.reputation.v1 import reports_pb2 as reports_pb
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import Transactions, UnitOfWork

from vigie_reputation.app import crisis_export, crisis_rooms, playbooks, report_views, statements
from vigie_reputation.app.crisis_room_views import statement
from vigie_reputation.app.playbook_views import playbook

SERVICE_NAME = "vigie.reputation.v1.CrisisResponseService"
Context: TypeAlias = grpc.aio.ServicerContext


class CrisisResponseServicer(Transactions, crisis_response_pb2_grpc.CrisisResponseServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow

    # Playbooks -----------------------------------------------------------------------------
    async def CreatePlaybook(
        self, request: cr.CreatePlaybookRequest, context: Context
    ) -> cr.Playbook:
        row = await self._write(
            lambda u: playbooks.create(u, request.parent, request.playbook, request.request_id)
        )
        return playbook(row)

    async def GetPlaybook(self, request: cr.GetPlaybookRequest, context: Context) -> cr.Playbook:
        return playbook(await self._read(lambda u: playbooks.get(u, request.name)))

    async def ListPlaybooks(
        self, request: cr.ListPlaybooksRequest, context: Context
    ) -> cr.ListPlaybooksResponse:
        listed = await self._read(lambda u: playbooks.list_playbooks(u, request))
        return cr.ListPlaybooksResponse(
            playbooks=[playbook(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def UpdatePlaybook(
        self, request: cr.UpdatePlaybookRequest, context: Context
    ) -> cr.Playbook:
        row = await self._write(
            lambda u: playbooks.update(u, request.playbook, request.update_mask)
        )
        return playbook(row)

    async def DeletePlaybook(self, request: cr.DeletePlaybookRequest, context: Context) -> Empty:
        await self._write(lambda u: playbooks.delete(u, request.name, request.etag))
        return Empty()

    # The crisis room -----------------------------------------------------------------------
    async def GetCrisisRoom(
        self, request: cr.GetCrisisRoomRequest, context: Context
    ) -> cr.CrisisRoom:
        return await self._read(lambda u: crisis_rooms.get_room(u, request.name))

    async def ListCrisisTimeline(
        self, request: cr.ListCrisisTimelineRequest, context: Context
    ) -> cr.ListCrisisTimelineResponse:
        listed = await self._read(lambda u: crisis_rooms.list_timeline(u, request))
        return cr.ListCrisisTimelineResponse(
            entries=listed.rows,
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def ApproveStatement(
        self, request: cr.ApproveStatementRequest, context: Context
    ) -> cr.Statement:
        accounts = list(request.social_accounts)
        row = await self._write(lambda u: statements.approve(u, request.name, accounts))
        return statement(row)

    async def ExportCrisisRoom(
        self, request: cr.ExportCrisisRoomRequest, context: Context
    ) -> reports_pb.Report:
        row = await self._write(lambda u: crisis_export.export(u, request))
        return report_views.report(row)


def crisis_response_registration(servicer: CrisisResponseServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: crisis_response_pb2_grpc.add_CrisisResponseServiceServicer_to_server(
            servicer, server
        ),
    )
