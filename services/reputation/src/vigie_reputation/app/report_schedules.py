"""Report schedules within the caller's tenant: who may change them (writers of their subject),
what they deliver and where, and when they next run (stored, see domain/reports/periods.py)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import select
from vigie.reputation.v1 import reports_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag, paths_to_update
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, current_principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import Listed, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import ReportScheduleRow, WebhookRow
from vigie_reputation.app import report_subjects, report_views
from vigie_reputation.app.access import WRITE_ROLES, readable_only, subsidiary_name
from vigie_reputation.app.reports import SCHEDULE, check_format
from vigie_reputation.app.webhooks import WEBHOOK
from vigie_reputation.domain.reports.periods import Cadence, PeriodError, next_run, parse_send_time

UPDATABLE = (
    "display_name",
    "brand",
    "subsidiary",
    "cadence",
    "send_time",
    "format",
    "delivery",
    "webhook",
    "enabled",
)


async def _apply(
    uow: UnitOfWork, who: Principal, row: ReportScheduleRow, source: pb.ReportSchedule
) -> None:
    """Checks every field of `source` and copies it onto `row` (with the next run time)."""
    field = "report_schedule."
    if not source.display_name.strip() or len(source.display_name) > 100:
        raise InvalidArgument(field + "display_name", "1 to 100 characters")
    if source.cadence not in report_views.CADENCES:
        raise InvalidArgument(
            field + "cadence", "REPORT_CADENCE_WEEKLY or _MONTHLY", "UNKNOWN_CADENCE"
        )
    if source.delivery not in report_views.DELIVERIES:
        raise InvalidArgument(
            field + "delivery", "REPORT_DELIVERY_STORED or _WEBHOOK", "UNKNOWN_DELIVERY"
        )
    try:
        send = parse_send_time(source.send_time)
    except PeriodError as error:
        raise InvalidArgument(field + "send_time", str(error), error.reason) from None
    fmt = check_format(source.format, field + "format")
    subject = await report_subjects.resolve(
        uow, who, source.brand, source.subsidiary, WRITE_ROLES, field
    )
    delivery = report_views.DELIVERIES[source.delivery]
    row.webhook_id = await _webhook(uow, who, source.webhook) if delivery == "webhook" else ""
    cadence = report_views.CADENCES[source.cadence]
    row.display_name = source.display_name.strip()
    row.brand_id, row.subsidiary_id = subject.brand_id, subject.subsidiary_id
    row.cadence, row.send_time, row.format, row.delivery = cadence, f"{send:%H:%M}", fmt, delivery
    row.enabled = source.enabled
    row.next_run_time = next_run(
        datetime.now(UTC), Cadence(cadence), send, ZoneInfo(subject.time_zone)
    )


async def _webhook(uow: UnitOfWork, who: Principal, name: str) -> str:
    if not name:
        raise InvalidArgument(
            "report_schedule.webhook", "a webhook delivery names its webhook", "WEBHOOK_REQUIRED"
        )
    _, webhook_id = WEBHOOK.parse_in_tenant(name, who.tenant, "report_schedule.webhook")
    if await uow.session.get(WebhookRow, (who.tenant, webhook_id)) is None:
        raise NotFound("webhook", name)
    return webhook_id


async def create(
    uow: UnitOfWork, parent: str, source: pb.ReportSchedule, request_id: str
) -> ReportScheduleRow:
    who = current_principal()
    require_parent(parent, who.tenant)
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateReportSchedule")
    if earlier:
        return await get(uow, earlier)
    now = datetime.now(UTC)
    row = ReportScheduleRow(
        tenant=who.tenant, id=new_id(), version=1, create_time=now, update_time=now
    )
    await _apply(uow, who, row, source)
    uow.session.add(row)
    await idempotency.remember(
        uow, who.tenant, request_id, "CreateReportSchedule", SCHEDULE.format(who.tenant, row.id)
    )
    return row


def _where(row: ReportScheduleRow) -> str | None:
    return subsidiary_name(row.tenant, row.subsidiary_id) if row.subsidiary_id else None


async def _load(
    uow: UnitOfWork, who: Principal, name: str, field: str = "name"
) -> ReportScheduleRow:
    _, schedule_id = SCHEDULE.parse_in_tenant(name, who.tenant, field)
    row = await uow.session.get(ReportScheduleRow, (who.tenant, schedule_id))
    if row is None or not who.holds(READ_ROLES, _where(row)):
        raise NotFound("report_schedule", name)
    return row


async def get(uow: UnitOfWork, name: str) -> ReportScheduleRow:
    return await _load(uow, current_principal(), name)


async def update(uow: UnitOfWork, source: pb.ReportSchedule, mask: FieldMask) -> ReportScheduleRow:
    """Changes the fields the mask names (all when empty) after the etag check."""
    who = current_principal()
    row = await _load(uow, who, source.name, "report_schedule.name")
    who.require(WRITE_ROLES, _where(row))
    check_etag(source.etag, row.version)
    merged = report_views.schedule(row)
    for path in paths_to_update(mask, UPDATABLE):
        setattr(merged, path, getattr(source, path))
    if "brand" in mask.paths and merged.brand:
        merged.subsidiary = ""  # a new subject replaces the old one
    elif "subsidiary" in mask.paths and merged.subsidiary:
        merged.brand = ""
    await _apply(uow, who, row, merged)
    row.version += 1
    row.update_time = datetime.now(UTC)
    return row


async def delete(uow: UnitOfWork, name: str, etag: str) -> None:
    who = current_principal()
    row = await _load(uow, who, name)
    who.require(WRITE_ROLES, _where(row))
    check_etag(etag, row.version)
    await uow.session.delete(row)


# A tenant has few schedules: no index beyond the tenant's.
SCHEDULE_ORDERS = {
    "next_run_time": ReportScheduleRow.next_run_time,
    "display_name": ReportScheduleRow.display_name,
    "create_time": ReportScheduleRow.create_time,
}


async def list_schedules(
    uow: UnitOfWork, request: pb.ListReportSchedulesRequest
) -> Listed[ReportScheduleRow]:
    """By id (creation order) unless asked otherwise, only those whose subject the caller
    may read."""
    who = current_principal()
    require_parent(request.parent, who.tenant)
    t = ReportScheduleRow
    query = readable_only(select(t).where(t.tenant == who.tenant), t.subsidiary_id, who)
    fingerprint = ["reportSchedules", who.tenant]
    return await list_page(uow, query, t, request, fingerprint, SCHEDULE_ORDERS)
