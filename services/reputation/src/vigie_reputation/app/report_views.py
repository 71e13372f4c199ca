"""Report and schedule rows -> protos, and the enum names both ways."""

from vigie.reputation.v1 import reports_pb2 as pb

from vigie_reputation.adapters.orm import ReportRow, ReportScheduleRow
from vigie_reputation.app.access import BRAND, subsidiary_name
from vigie_reputation.app.views import stamp

FORMATS = {pb.REPORT_FORMAT_PDF: "pdf", pb.REPORT_FORMAT_CSV: "csv"}
FORMAT_OF = {v: k for k, v in FORMATS.items()}
CONTENT_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
STATES = {
    "pending": pb.REPORT_STATE_PENDING,
    "ready": pb.REPORT_STATE_READY,
    "failed": pb.REPORT_STATE_FAILED,
}
CADENCES = {pb.REPORT_CADENCE_WEEKLY: "weekly", pb.REPORT_CADENCE_MONTHLY: "monthly"}
CADENCE_OF = {v: k for k, v in CADENCES.items()}
DELIVERIES = {pb.REPORT_DELIVERY_STORED: "stored", pb.REPORT_DELIVERY_WEBHOOK: "webhook"}
DELIVERY_OF = {v: k for k, v in DELIVERIES.items()}


def report_name(tenant: str, report_id: str) -> str:
    return f"tenants/{tenant}/reports/{report_id}"


def schedule_name(tenant: str, schedule_id: str) -> str:
    return f"tenants/{tenant}/reportSchedules/{schedule_id}"


def _subject(tenant: str, brand_id: str, subsidiary_id: str) -> tuple[str, str]:
    if brand_id:
        return BRAND.format(tenant, brand_id), ""
    return "", subsidiary_name(tenant, subsidiary_id)


def report(row: ReportRow) -> pb.Report:
    brand, subsidiary = _subject(row.tenant, row.brand_id, row.subsidiary_id)
    return pb.Report(
        name=report_name(row.tenant, row.id),
        brand=brand,
        subsidiary=subsidiary,
        start_time=stamp(row.start_time),
        end_time=stamp(row.end_time),
        format=FORMAT_OF[row.format],
        state=STATES[row.state],
        failure_reason=row.failure_reason,
        language=row.language,
        schedule=schedule_name(row.tenant, row.schedule_id) if row.schedule_id else "",
        size_bytes=row.size_bytes,
        content_type=row.content_type,
        filename=row.filename,
        sha256=row.sha256,
        create_time=stamp(row.create_time),
        ready_time=stamp(row.ready_time),
    )


def schedule(row: ReportScheduleRow) -> pb.ReportSchedule:
    brand, subsidiary = _subject(row.tenant, row.brand_id, row.subsidiary_id)
    return pb.ReportSchedule(
        name=schedule_name(row.tenant, row.id),
        display_name=row.display_name,
        brand=brand,
        subsidiary=subsidiary,
        cadence=CADENCE_OF[row.cadence],
        send_time=row.send_time,
        format=FORMAT_OF[row.format],
        delivery=DELIVERY_OF[row.delivery],
        webhook=f"tenants/{row.tenant}/webhooks/{row.webhook_id}" if row.webhook_id else "",
        enabled=row.enabled,
        etag=str(row.version),
        next_run_time=stamp(row.next_run_time),
        last_period_end_time=stamp(row.last_period_end),
        create_time=stamp(row.create_time),
        update_time=stamp(row.update_time),
    )
