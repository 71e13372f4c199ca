"""A resolved crisis's room exported as a report (PDF or CSV) through the reports machinery:
the brand's report over the crisis, led by the room's timeline."""

from sqlalchemy import select
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie_runtime import idempotency
from vigie_runtime.errors import FailedPrecondition
from vigie_runtime.principal import current_principal
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisTimelineRow, ReportRow
from vigie_reputation.app import report_subjects
from vigie_reputation.app.crisis_rooms import crisis_window, room_crisis
from vigie_reputation.app.reports import REPORT, check_format, queued
from vigie_reputation.app.views import utc
from vigie_reputation.domain.reports.model import TimelineLine
from vigie_reputation.domain.reports.texts import language_of

MAX_LINES = 5000


async def export(uow: UnitOfWork, request: cr.ExportCrisisRoomRequest) -> ReportRow:
    who = current_principal()
    crisis = await room_crisis(uow, request.name)
    fmt = check_format(request.format)
    request_id = request.request_id
    if crisis.status != "resolved" or crisis.resolve_time is None:
        raise FailedPrecondition("CRISIS_NOT_RESOLVED", "a crisis room is exported once resolved")
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "ExportCrisisRoom")
    if earlier:
        _, report_id = REPORT.parse_in_tenant(earlier, who.tenant)
        row = await uow.session.get(ReportRow, (who.tenant, report_id))
        if row is not None:
            return row
    subject = await report_subjects.subject_of(
        uow, crisis.tenant, crisis.brand_id, crisis.subsidiary_id
    )
    row = queued(subject, crisis_window(crisis), fmt)
    row.crisis_id = crisis.id
    row.language = language_of(request.language) if request.language else row.language
    uow.session.add(row)
    report = REPORT.format(who.tenant, row.id)
    await idempotency.remember(uow, who.tenant, request_id, "ExportCrisisRoom", report)
    return row


async def timeline_lines(uow: UnitOfWork, tenant: str, crisis_id: str) -> list[TimelineLine]:
    t = CrisisTimelineRow
    query = (
        select(t)
        .where(t.tenant == tenant, t.crisis_id == crisis_id)
        .order_by(t.id)
        .limit(MAX_LINES)
    )
    return [
        TimelineLine(utc(r.time), r.kind, r.summary, r.subject)
        for r in (await uow.session.execute(query)).scalars()
    ]
