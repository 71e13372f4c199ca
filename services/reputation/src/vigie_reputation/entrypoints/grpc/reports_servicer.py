"""ReportService over gRPC: request -> handler (which owns the transaction) -> response."""

from collections.abc import AsyncIterator, Callable
from typing import TypeAlias

import grpc
from google.protobuf.empty_pb2 import Empty
from vigie.reputation.v1 import reports_pb2 as pb
from vigie.reputation.v1 import reports_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import Transactions, UnitOfWork

from vigie_reputation.app import report_schedules, report_views, reports

SERVICE_NAME = "vigie.reputation.v1.ReportService"
Context: TypeAlias = grpc.aio.ServicerContext


class ReportServicer(Transactions, reports_pb2_grpc.ReportServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow

    # Schedules -----------------------------------------------------------------------------
    async def CreateReportSchedule(
        self, request: pb.CreateReportScheduleRequest, context: Context
    ) -> pb.ReportSchedule:
        row = await self._write(
            lambda u: report_schedules.create(
                u, request.parent, request.report_schedule, request.request_id
            )
        )
        return report_views.schedule(row)

    async def GetReportSchedule(
        self, request: pb.GetReportScheduleRequest, context: Context
    ) -> pb.ReportSchedule:
        return report_views.schedule(
            await self._read(lambda u: report_schedules.get(u, request.name))
        )

    async def ListReportSchedules(
        self, request: pb.ListReportSchedulesRequest, context: Context
    ) -> pb.ListReportSchedulesResponse:
        listed = await self._read(lambda u: report_schedules.list_schedules(u, request))
        return pb.ListReportSchedulesResponse(
            report_schedules=[report_views.schedule(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def UpdateReportSchedule(
        self, request: pb.UpdateReportScheduleRequest, context: Context
    ) -> pb.ReportSchedule:
        row = await self._write(
            lambda u: report_schedules.update(u, request.report_schedule, request.update_mask)
        )
        return report_views.schedule(row)

    async def DeleteReportSchedule(
        self, request: pb.DeleteReportScheduleRequest, context: Context
    ) -> Empty:
        await self._write(lambda u: report_schedules.delete(u, request.name, request.etag))
        return Empty()

    # Reports -------------------------------------------------------------------------------
    async def GenerateReport(
        self, request: pb.GenerateReportRequest, context: Context
    ) -> pb.Report:
        return report_views.report(await self._write(lambda u: reports.generate(u, request)))

    async def GetReport(self, request: pb.GetReportRequest, context: Context) -> pb.Report:
        return report_views.report(await self._read(lambda u: reports.get(u, request.name)))

    async def ListReports(
        self, request: pb.ListReportsRequest, context: Context
    ) -> pb.ListReportsResponse:
        listed = await self._read(lambda u: reports.list_reports(u, request))
        return pb.ListReportsResponse(
            reports=[report_views.report(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def DownloadReport(
        self, request: pb.DownloadReportRequest, context: Context
    ) -> AsyncIterator[pb.DownloadReportResponse]:
        # Read whole inside the transaction (at most report_jobs.MAX_BYTES), streamed after.
        data = await self._read(lambda u: reports.content(u, request.name))
        async for chunk in reports.chunks(data):
            yield pb.DownloadReportResponse(data=chunk)


def report_registration(servicer: ReportServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: reports_pb2_grpc.add_ReportServiceServicer_to_server(servicer, server),
    )
