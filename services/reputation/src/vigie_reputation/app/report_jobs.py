"""The report worker's two jobs: turn due schedules into pending reports (once per period, the
next run stored in the same transaction), and render pending reports (READY or FAILED), posting
a scheduled one to its webhook through the signed deliveries."""

import asyncio
import hashlib
import logging
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from vigie.reputation.v1 import reports_pb2 as pb
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import ReportRow, ReportScheduleRow
from vigie_reputation.adapters.reports.csv_file import render_csv
from vigie_reputation.adapters.reports.pdf import render_pdf
from vigie_reputation.app import (
    crisis_export,
    deliveries,
    report_data,
    report_subjects,
    report_views,
)
from vigie_reputation.app.reports import queued
from vigie_reputation.domain.reports import model
from vigie_reputation.domain.reports.periods import (
    Cadence,
    next_run,
    parse_send_time,
    period_before,
)

log = logging.getLogger(__name__)
RENDERERS = {"pdf": render_pdf, "csv": render_csv}
# A report larger than this fails rather than filling the database.
MAX_BYTES = 20 * 1024 * 1024
# Webhook bodies carry the file up to this size; above it the receiver downloads it.
MAX_INLINE = 5 * 1024 * 1024
REPORT_READY = "report.ready"


async def fire_due_schedules(uow: UnitOfWork, now: datetime, limit: int = 50) -> int:
    """Queues the report of every enabled schedule whose run is due; returns how many. A
    schedule late by several periods (the worker was down) reports the latest whole period."""
    t = ReportScheduleRow
    query = (
        select(t)
        .where(t.enabled.is_(True), t.next_run_time <= now)
        .order_by(t.next_run_time)
        .limit(limit)
    )
    fired = 0
    for row in (await uow.session.execute(query)).scalars().all():
        subject = await report_subjects.subject_of(uow, row.tenant, row.brand_id, row.subsidiary_id)
        zone, cadence = ZoneInfo(subject.time_zone), Cadence(row.cadence)
        following = next_run(now, cadence, parse_send_time(row.send_time), zone)
        # Claimed by moving next_run_time on: another worker's identical update then finds
        # nothing to change and queues nothing.
        claimed = await uow.session.execute(
            update(t)
            .where(t.tenant == row.tenant, t.id == row.id, t.next_run_time == row.next_run_time)
            .values(next_run_time=following)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        period = period_before(now, cadence, zone)
        webhook_id = row.webhook_id if row.delivery == "webhook" else ""
        uow.session.add(queued(subject, period, row.format, row.id, webhook_id))
        await uow.session.execute(
            update(t)
            .where(t.tenant == row.tenant, t.id == row.id)
            .values(last_period_end=period[1])
        )
        fired += 1
    return fired


async def next_pending(uow: UnitOfWork) -> tuple[ReportRow, model.Report] | None:
    """The oldest pending report with its gathered figures, or None."""
    t = ReportRow
    query = select(t).where(t.state == "pending").order_by(t.create_time, t.id).limit(1)
    row = (await uow.session.execute(query)).scalars().first()
    if row is None:
        return None
    subject = await report_subjects.subject_of(uow, row.tenant, row.brand_id, row.subsidiary_id)
    figures = await report_data.gather(uow, subject, (_utc(row.start_time), _utc(row.end_time)))
    if row.crisis_id:
        timeline = await crisis_export.timeline_lines(uow, row.tenant, row.crisis_id)
        figures = replace(figures, crisis_room=timeline)
    return row, figures


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def render(row: ReportRow, figures: model.Report) -> tuple[bytes | None, str]:
    """(content, failure reason); rendering is CPU work, done off the event loop."""
    try:
        content = await asyncio.to_thread(RENDERERS[row.format], figures)
    except Exception as error:  # a broken report must not stop the others
        log.warning("report %s/%s failed to render", row.tenant, row.id, exc_info=True)
        return None, f"rendering failed: {type(error).__name__}"
    if len(content) > MAX_BYTES:
        return None, f"the report is {len(content)} bytes, more than {MAX_BYTES}"
    return content, ""


async def store(
    uow: UnitOfWork, row: ReportRow, figures: model.Report, content: bytes | None, failure: str
) -> None:
    """Records the outcome (only if the report is still pending: a second worker's copy is
    dropped) and queues the webhook delivery of a scheduled report."""
    now = datetime.now(UTC)
    values: dict[str, object] = {"state": "failed", "failure_reason": failure, "ready_time": now}
    if content is not None:
        values = {
            "state": "ready",
            "content": content,
            "size_bytes": len(content),
            "content_type": report_views.CONTENT_TYPES[row.format],
            "filename": _filename(row, figures),
            "sha256": hashlib.sha256(content).hexdigest(),
            "ready_time": now,
        }
    t = ReportRow
    done = await uow.session.execute(
        update(t)
        .where(t.tenant == row.tenant, t.id == row.id, t.state == "pending")
        .values(**values)
    )
    if done.rowcount != 1 or content is None or not row.webhook_id:  # type: ignore[attr-defined]
        return
    stored = await uow.session.get(ReportRow, (row.tenant, row.id), populate_existing=True)
    assert stored is not None
    message = pb.ReportReady(report=report_views.report(stored))
    if len(content) <= MAX_INLINE:
        message.content = content
    await deliveries.enqueue(
        uow, row.tenant, f"report-{row.id}", REPORT_READY, message, webhook_ids=[row.webhook_id]
    )


def _filename(row: ReportRow, figures: model.Report) -> str:
    subject = row.brand_id or row.subsidiary_id
    slug = "".join(c if c.isalnum() else "-" for c in subject).strip("-")
    days = f"{figures.first_day.isoformat()}-{figures.last_day.isoformat()}"
    return f"{slug or 'report'}-{days}.{row.format}"
