"""Reports on demand: queued by GenerateReport, rendered by the report worker, read back and
downloaded within the caller's tenant by the readers of their subject."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import undefer
from vigie.reputation.v1 import reports_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.errors import FailedPrecondition, InvalidArgument, NotFound
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, current_principal
from vigie_runtime.resource_names import ResourcePattern, require_parent
from vigie_runtime.tenant_rows import Listed, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import ReportRow
from vigie_reputation.app import report_subjects
from vigie_reputation.app.access import readable_only, subsidiary_name
from vigie_reputation.app.report_views import FORMATS, STATES
from vigie_reputation.app.views import by_number
from vigie_reputation.domain.reports.periods import PeriodError, check_period
from vigie_reputation.domain.reports.texts import language_of

REPORT = ResourcePattern("report", ("tenants", "reports"))
SCHEDULE = ResourcePattern("report_schedule", ("tenants", "reportSchedules"))
CHUNK = 64 * 1024


def check_format(value: pb.ReportFormat.ValueType, field: str = "format") -> str:
    if value not in FORMATS:
        raise InvalidArgument(field, "REPORT_FORMAT_PDF or REPORT_FORMAT_CSV", "UNKNOWN_FORMAT")
    return FORMATS[value]


def _period(request: pb.GenerateReportRequest) -> tuple[datetime, datetime]:
    if not request.HasField("start_time") or not request.HasField("end_time"):
        raise InvalidArgument(
            "start_time", "start_time and end_time are required", "PERIOD_REQUIRED"
        )
    start = request.start_time.ToDatetime(tzinfo=UTC)
    end = request.end_time.ToDatetime(tzinfo=UTC)
    try:
        check_period(start, end)
    except PeriodError as error:
        raise InvalidArgument("end_time", str(error), error.reason) from None
    return start, end


def queued(
    subject: report_subjects.Subject,
    period: tuple[datetime, datetime],
    fmt: str,
    schedule_id: str = "",
    webhook_id: str = "",
) -> ReportRow:
    """A pending report; the worker renders it."""
    return ReportRow(
        tenant=subject.tenant,
        id=new_id(),
        brand_id=subject.brand_id,
        subsidiary_id=subject.subsidiary_id,
        start_time=period[0],
        end_time=period[1],
        format=fmt,
        state="pending",
        failure_reason="",
        language=language_of(subject.locale),
        schedule_id=schedule_id,
        webhook_id=webhook_id,
        size_bytes=0,
        content_type="",
        filename="",
        sha256="",
        create_time=datetime.now(UTC),
    )


async def generate(uow: UnitOfWork, request: pb.GenerateReportRequest) -> ReportRow:
    who = current_principal()
    require_parent(request.parent, who.tenant)
    fmt = check_format(request.format)
    period = _period(request)
    subject = await report_subjects.resolve(uow, who, request.brand, request.subsidiary, READ_ROLES)
    earlier = await idempotency.created_before(
        uow, who.tenant, request.request_id, "GenerateReport"
    )
    if earlier:
        return await get(uow, earlier)
    row = queued(subject, period, fmt)
    uow.session.add(row)
    await idempotency.remember(
        uow, who.tenant, request.request_id, "GenerateReport", REPORT.format(who.tenant, row.id)
    )
    return row


def _where(row: ReportRow) -> str | None:
    return subsidiary_name(row.tenant, row.subsidiary_id) if row.subsidiary_id else None


async def _load(uow: UnitOfWork, who: Principal, name: str, content: bool = False) -> ReportRow:
    _, report_id = REPORT.parse_in_tenant(name, who.tenant)
    options = [undefer(ReportRow.content)] if content else []
    row = await uow.session.get(ReportRow, (who.tenant, report_id), options=options)
    if row is None or not who.holds(READ_ROLES, _where(row)):
        raise NotFound("report", name)
    return row


async def get(uow: UnitOfWork, name: str) -> ReportRow:
    return await _load(uow, current_principal(), name)


# Reports pile up (one per schedule and period): (tenant, create_time, id) is indexed; the
# state order reads the caller's reports (ranked, not alphabetical: pending, ready, failed).
REPORT_ORDERS = {
    "create_time": ReportRow.create_time,
    "state": by_number(ReportRow.state, STATES),
}


async def list_reports(uow: UnitOfWork, request: pb.ListReportsRequest) -> Listed[ReportRow]:
    """Newest first (ids are ULIDs) unless asked otherwise, only those whose subject the
    caller may read."""
    who = current_principal()
    require_parent(request.parent, who.tenant)
    t, schedule = ReportRow, request.schedule
    query = select(t).where(t.tenant == who.tenant)
    if schedule:
        query = query.where(
            t.schedule_id == SCHEDULE.parse_in_tenant(schedule, who.tenant, "schedule")[1]
        )
    query = readable_only(query, t.subsidiary_id, who)
    fingerprint = ["reports", who.tenant, schedule]
    return await list_page(uow, query, t, request, fingerprint, REPORT_ORDERS, newest_first=True)


async def content(uow: UnitOfWork, name: str) -> bytes:
    row = await _load(uow, current_principal(), name, content=True)
    if row.state != "ready" or row.content is None:
        raise FailedPrecondition(
            "REPORT_NOT_READY", f"the report is {row.state}: wait until it is ready"
        )
    return row.content


async def chunks(data: bytes) -> AsyncIterator[bytes]:
    for offset in range(0, len(data), CHUNK):
        yield data[offset : offset + CHUNK]
