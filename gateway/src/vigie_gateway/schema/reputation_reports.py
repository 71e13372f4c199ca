"""Reports and their schedules through GraphQL. A ready report's file comes back as
`contentBase64` (asked for only when needed, up to 10 MiB): a front end turns it into a Blob
or a `data:` link without a second endpoint or a URL that would outlive the token."""

import base64
from datetime import datetime
from enum import Enum
from typing import Annotated

import grpc
import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.reputation.v1 import reports_pb2 as pb
from vigie.reputation.v1 import reports_pb2_grpc
from vigie_runtime.errors import FailedPrecondition

from vigie_gateway.context import Context
from vigie_gateway.errors import from_app_error, from_grpc
from vigie_gateway.schema.common import (
    After,
    Connection,
    DeleteInput,
    First,
    Node,
    NodeId,
    list_options,
    listed,
    moment,
    page_request,
    wire,
)
from vigie_gateway.schema.payloads import payload_mutation
from vigie_gateway.schema.reputation_orders import ReportOrderBy, ReportScheduleOrderBy
from vigie_gateway.schema.reputation_queries import stamp

Info = strawberry.Info[Context, None]
MAX_INLINE_BYTES = 10 * 1024 * 1024


def _stub(ctx: Context) -> reports_pb2_grpc.ReportServiceStub:
    # The reports share the reputation's channel: a stub is only a set of method handles.
    return reports_pb2_grpc.ReportServiceStub(ctx.clients.channels["reputation"])


@strawberry.enum(description="The file a report is rendered to.")
class ReportFormat(Enum):
    PDF = strawberry.enum_value(
        pb.REPORT_FORMAT_PDF,
        description="Application/pdf: a title page, sections, tables and charts.",
    )
    CSV = strawberry.enum_value(
        pb.REPORT_FORMAT_CSV, description="Text/csv: one file, rows grouped by a `section` column."
    )


@strawberry.enum(description="Where a report is in its making.")
class ReportState(Enum):
    PENDING = strawberry.enum_value(pb.REPORT_STATE_PENDING, description="Being rendered.")
    READY = strawberry.enum_value(pb.REPORT_STATE_READY, description="Rendered: read its content.")
    FAILED = strawberry.enum_value(pb.REPORT_STATE_FAILED, description="Could not be rendered.")


@strawberry.enum(description="How often a schedule makes a report.")
class ReportCadence(Enum):
    WEEKLY = strawberry.enum_value(
        pb.REPORT_CADENCE_WEEKLY,
        description="Every Monday, over the previous Monday-to-Sunday week (in the subsidiary's "
        "time zone).",
    )
    MONTHLY = strawberry.enum_value(
        pb.REPORT_CADENCE_MONTHLY,
        description="Every 1st of the month, over the previous calendar month.",
    )


@strawberry.enum(description="What happens to a scheduled report once ready.")
class ReportDelivery(Enum):
    STORED = strawberry.enum_value(pb.REPORT_DELIVERY_STORED, description="Kept for download only.")
    WEBHOOK = strawberry.enum_value(
        pb.REPORT_DELIVERY_WEBHOOK, description="Kept, and posted (signed) to `webhook`."
    )


def _id(name: str) -> strawberry.ID | None:
    return strawberry.ID(name) if name else None


@strawberry.type(description="A report of a brand or a subsidiary over a period.")
class Report(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/reports/{report}."
    )
    brand_id: strawberry.ID | None = strawberry.field(
        description="Exactly one of brand (tenants/{tenant}/brands/{brand}) and subsidiary "
        "(tenants/{tenant}/subsidiaries/{subsidiary})."
    )
    subsidiary_id: strawberry.ID | None = strawberry.field(
        description="The subsidiary's global id; none means group-wide."
    )
    start_time: datetime = strawberry.field(description="Start (inclusive, UTC).")
    end_time: datetime = strawberry.field(description="End (exclusive, UTC).")
    format: ReportFormat = strawberry.field(description="The file rendered.")
    state: ReportState = strawberry.field(
        description="PENDING until rendered, then READY or FAILED."
    )
    failure_reason: str = strawberry.field(description="Why it FAILED.")
    language: str = strawberry.field(description="Of the fixed texts: en or fr.")
    schedule_id: strawberry.ID | None = strawberry.field(
        description="The schedule that made it, empty on demand."
    )
    size_bytes: int = strawberry.field(description="The file's size.")
    content_type: str = strawberry.field(description="The file's media type.")
    filename: str = strawberry.field(
        description='A file name for saving it, e.g. "acme-2026-11.pdf".'
    )
    sha256: str = strawberry.field(description="Hex SHA-256 of the content.")
    create_time: datetime = strawberry.field(description="When it was asked for (UTC).")
    ready_time: datetime | None = strawberry.field(
        description="When it was rendered (UTC); null until then."
    )

    @classmethod
    def of(cls, r: pb.Report) -> "Report":
        return cls(
            id=strawberry.ID(r.name), brand_id=_id(r.brand), subsidiary_id=_id(r.subsidiary),
            start_time=moment(r.start_time), end_time=moment(r.end_time),
            format=ReportFormat(r.format), state=ReportState(r.state),
            failure_reason=r.failure_reason, language=r.language, schedule_id=_id(r.schedule),
            size_bytes=r.size_bytes, content_type=r.content_type, filename=r.filename,
            sha256=r.sha256, create_time=moment(r.create_time),
            ready_time=moment(r.ready_time) if r.HasField("ready_time") else None,
        )  # fmt: skip

    @strawberry.field(
        description="The file, base64-encoded (READY reports up to 10 MiB; larger ones are "
        "downloaded with the gRPC DownloadReport)."
    )
    async def content_base64(self, info: Info) -> str:
        if self.size_bytes > MAX_INLINE_BYTES:
            too_large = FailedPrecondition("REPORT_TOO_LARGE", "download it with DownloadReport")
            raise from_app_error(too_large)
        ctx = info.context
        call = _stub(ctx).DownloadReport(
            pb.DownloadReportRequest(name=str(self.id)), metadata=ctx.metadata()
        )
        try:
            data = b"".join([chunk.data async for chunk in call])
        except grpc.aio.AioRpcError as error:
            raise from_grpc(error) from None
        return base64.b64encode(data).decode()


@strawberry.type(description="A report made again each period, stored or sent to a webhook.")
class ReportSchedule(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/reportSchedules/{schedule}."
    )
    display_name: str = strawberry.field(description="Its name as people see it.")
    brand_id: strawberry.ID | None = strawberry.field(
        description="Exactly one of brand and subsidiary."
    )
    subsidiary_id: strawberry.ID | None = strawberry.field(
        description="The subsidiary's global id; none means group-wide."
    )
    cadence: ReportCadence = strawberry.field(description="How often a report is made.")
    send_time: str = strawberry.field(description="HH:MM in the subsidiary's time zone.")
    format: ReportFormat = strawberry.field(description="The file rendered.")
    delivery: ReportDelivery = strawberry.field(description="How it is delivered.")
    webhook_id: strawberry.ID | None = strawberry.field(
        description="A global id: tenants/{tenant}/webhooks/{webhook}, for REPORT_DELIVERY_WEBHOOK."
    )
    enabled: bool = strawberry.field(description="Whether it is in use.")
    etag: str = strawberry.field(
        description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )
    next_run_time: datetime | None = strawberry.field(
        description="Output only: when the next report is due, and the end of the last period "
        "reported."
    )
    last_period_end_time: datetime | None = strawberry.field(
        description="End of the last period reported on (UTC); null before the first."
    )

    @classmethod
    def of(cls, s: pb.ReportSchedule) -> "ReportSchedule":
        last = moment(s.last_period_end_time) if s.HasField("last_period_end_time") else None
        return cls(
            id=strawberry.ID(s.name), display_name=s.display_name, brand_id=_id(s.brand),
            subsidiary_id=_id(s.subsidiary), cadence=ReportCadence(s.cadence),
            send_time=s.send_time, format=ReportFormat(s.format),
            delivery=ReportDelivery(s.delivery), webhook_id=_id(s.webhook), enabled=s.enabled,
            etag=s.etag, next_run_time=moment(s.next_run_time), last_period_end_time=last,
        )  # fmt: skip


@strawberry.input(description="A schedule; on update, unset fields keep their value.")
class ReportScheduleInput:
    display_name: str | None = strawberry.field(
        default=None, description="Its name as people see it."
    )
    brand_id: strawberry.ID | None = strawberry.field(
        default=None, description="The brand reported on (global id), or give `subsidiaryId`."
    )
    subsidiary_id: strawberry.ID | None = strawberry.field(
        default=None, description="The subsidiary reported on (global id), or give `brandId`."
    )
    cadence: ReportCadence | None = strawberry.field(
        default=None, description="How often a report is made."
    )
    send_time: str | None = strawberry.field(
        default=None, description="Local time of day it is sent, HH:MM in the subsidiary's zone."
    )
    format: ReportFormat | None = strawberry.field(default=None, description="The file rendered.")
    delivery: ReportDelivery | None = strawberry.field(
        default=None, description="How it is delivered."
    )
    webhook_id: strawberry.ID | None = strawberry.field(
        default=None, description="The webhook it is sent to (global id), for WEBHOOK delivery."
    )
    enabled: bool | None = strawberry.field(default=None, description="Whether reports are made.")


@strawberry.input(description="A new report schedule (enabled unless told).")
class CreateReportScheduleInput(ReportScheduleInput):
    request_id: str | None = strawberry.field(
        default=None, description="Makes retries safe: the same id returns the same schedule."
    )


@strawberry.input(description="Changes to a report schedule; fields left out stay as they are.")
class UpdateReportScheduleInput(ReportScheduleInput):
    id: strawberry.ID = strawberry.field(description="The schedule's global id.")
    etag: str | None = strawberry.field(
        default=None, description="The etag it was read with; a stale one is a CONFLICT."
    )


@strawberry.input(description="A report to render of a brand or a subsidiary over a period.")
class GenerateReportInput:
    start_time: datetime = strawberry.field(description="Start of the period (inclusive).")
    end_time: datetime = strawberry.field(description="End of the period (exclusive).")
    format: ReportFormat = strawberry.field(description="The file to render.")
    brand_id: strawberry.ID | None = strawberry.field(
        default=None, description="The brand reported on (or give `subsidiaryId`)."
    )
    subsidiary_id: strawberry.ID | None = strawberry.field(
        default=None, description="The subsidiary reported on (or give `brandId`)."
    )
    request_id: str | None = strawberry.field(
        default=None, description="Makes retries safe: the same id returns the same report."
    )


_FIELDS = {"display_name": "display_name", "brand_id": "brand", "subsidiary_id": "subsidiary",
           "cadence": "cadence", "send_time": "send_time", "format": "format",
           "delivery": "delivery", "webhook_id": "webhook", "enabled": "enabled"}  # fmt: skip


def _schedule(source: ReportScheduleInput, schedule: pb.ReportSchedule) -> FieldMask:
    paths = []
    for attribute, path in _FIELDS.items():
        value = getattr(source, attribute)
        if value is not None:
            setattr(schedule, path, value.value if isinstance(value, Enum) else value)
            paths.append(path)
    return FieldMask(paths=paths)


@strawberry.input(description="Which reports to list.")
class ReportFilter:
    schedule_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only the reports of this schedule (global id)."
    )


@strawberry.type
class ReputationReportsQuery:
    @strawberry.field(description="One report (its file through `contentBase64`).")
    async def report(self, info: Info, id: NodeId) -> Report:
        ctx = info.context
        return Report.of(await ctx.call(_stub(ctx).GetReport, pb.GetReportRequest(name=str(id))))

    @strawberry.field(
        description="The group's reports, newest first unless `orderBy` says otherwise (a "
        "schedule's, if given)."
    )
    async def reports(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            ReportFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: ReportOrderBy = None,
    ) -> Connection[Report]:
        given = filter or ReportFilter()
        ctx = info.context
        page = page_request(first, after)
        request = pb.ListReportsRequest(
            parent=ctx.tenant_name, page_size=page.size, page_token=page.token,
            schedule=str(given.schedule_id or ""), **list_options(info, order_by),
        )  # fmt: skip
        return await listed(
            info, _stub(ctx).ListReports, request, page,
            lambda found: [Report.of(r) for r in found.reports],
        )  # fmt: skip

    @strawberry.field(description="One report schedule.")
    async def report_schedule(self, info: Info, id: NodeId) -> ReportSchedule:
        ctx = info.context
        request = pb.GetReportScheduleRequest(name=str(id))
        return ReportSchedule.of(await ctx.call(_stub(ctx).GetReportSchedule, request))

    @strawberry.field(
        description="The group's report schedules, oldest first unless `orderBy` says otherwise."
    )
    async def report_schedules(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        order_by: ReportScheduleOrderBy = None,
    ) -> Connection[ReportSchedule]:
        ctx = info.context
        page = page_request(first, after)
        request = pb.ListReportSchedulesRequest(
            parent=ctx.tenant_name, page_size=page.size, page_token=page.token,
            **list_options(info, order_by),
        )  # fmt: skip
        return await listed(
            info, _stub(ctx).ListReportSchedules, request, page,
            lambda found: [ReportSchedule.of(s) for s in found.report_schedules],
        )  # fmt: skip


@strawberry.input(description="The reportSchedule to delete.")
class DeleteReportScheduleInput(DeleteInput):
    pass


@strawberry.type
class ReputationReportsMutation:
    @payload_mutation(
        report=Report,
        description="Queues a report of a brand or a subsidiary over a period (at most 400 "
        "days); poll `report(id)` until READY.",
    )
    async def generate_report(self, info: Info, input: GenerateReportInput) -> Report:
        ctx = info.context
        request = pb.GenerateReportRequest(
            parent=ctx.tenant_name, brand=str(input.brand_id or ""),
            subsidiary=str(input.subsidiary_id or ""), start_time=stamp(input.start_time),
            end_time=stamp(input.end_time), format=wire(input.format),
            request_id=input.request_id or "",
        )  # fmt: skip
        return Report.of(await ctx.call(_stub(ctx).GenerateReport, request))

    @payload_mutation(
        report_schedule=ReportSchedule,
        description="Creates a report schedule (enabled unless told).",
    )
    async def create_report_schedule(
        self, info: Info, input: CreateReportScheduleInput
    ) -> ReportSchedule:
        ctx = info.context
        schedule = pb.ReportSchedule(enabled=True)
        _schedule(input, schedule)
        request = pb.CreateReportScheduleRequest(
            parent=ctx.tenant_name, report_schedule=schedule, request_id=input.request_id or ""
        )
        return ReportSchedule.of(await ctx.call(_stub(ctx).CreateReportSchedule, request))

    @payload_mutation(
        report_schedule=ReportSchedule, description="Changes the given fields of a report schedule."
    )
    async def update_report_schedule(
        self, info: Info, input: UpdateReportScheduleInput
    ) -> ReportSchedule:
        ctx = info.context
        schedule = pb.ReportSchedule(name=str(input.id), etag=input.etag or "")
        mask = _schedule(input, schedule)
        request = pb.UpdateReportScheduleRequest(report_schedule=schedule, update_mask=mask)
        return ReportSchedule.of(await ctx.call(_stub(ctx).UpdateReportSchedule, request))

    @payload_mutation(
        deleted_id=strawberry.ID, description="Deletes a report schedule (its reports stay)."
    )
    async def delete_report_schedule(
        self, info: Info, input: DeleteReportScheduleInput
    ) -> strawberry.ID:
        ctx = info.context
        request = pb.DeleteReportScheduleRequest(name=str(input.id), etag=input.etag or "")
        await ctx.call(_stub(ctx).DeleteReportSchedule, request)
        return input.id
