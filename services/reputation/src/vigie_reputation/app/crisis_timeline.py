"""A crisis room's timeline: each entry is a row and a `crisis_room.changed` event through the
outbox, in the same transaction as what it records (which feeds the live room)."""

from datetime import UTC, datetime

from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie.reputation.v1 import events_pb2
from vigie_runtime.ids import new_id
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisTimelineRow
from vigie_reputation.app.events import CRISIS_ROOM_CHANGED
from vigie_reputation.app.views import brand_name, stamp

KINDS = {
    "detected": cr.TIMELINE_ENTRY_KIND_DETECTED,
    "escalated": cr.TIMELINE_ENTRY_KIND_ESCALATED,
    "resolved": cr.TIMELINE_ENTRY_KIND_RESOLVED,
    "playbook_applied": cr.TIMELINE_ENTRY_KIND_PLAYBOOK_APPLIED,
    "alert_fired": cr.TIMELINE_ENTRY_KIND_ALERT_FIRED,
    "person_notified": cr.TIMELINE_ENTRY_KIND_PERSON_NOTIFIED,
    "webhook_notified": cr.TIMELINE_ENTRY_KIND_WEBHOOK_NOTIFIED,
    "queue_held": cr.TIMELINE_ENTRY_KIND_QUEUE_HELD,
    "queue_released": cr.TIMELINE_ENTRY_KIND_QUEUE_RELEASED,
    # One entry per post the hold stopped or the release let go (subject: the post).
    "post_held": cr.TIMELINE_ENTRY_KIND_QUEUE_HELD,
    "post_released": cr.TIMELINE_ENTRY_KIND_QUEUE_RELEASED,
    "statement_proposed": cr.TIMELINE_ENTRY_KIND_STATEMENT_PROPOSED,
    "statement_approved": cr.TIMELINE_ENTRY_KIND_STATEMENT_APPROVED,
    "statement_published": cr.TIMELINE_ENTRY_KIND_STATEMENT_PUBLISHED,
}
_last_id = [""]


def _ordered_id() -> str:
    """ULIDs only sort by the millisecond: entries written in the same one keep their order."""
    candidate = new_id()
    if candidate <= _last_id[0]:
        candidate = _increment(_last_id[0])
    _last_id[0] = candidate
    return candidate


def _increment(ulid: str) -> str:
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    digits = [alphabet.index(c) for c in ulid]
    position = len(digits) - 1
    while digits[position] == 31:
        digits[position] = 0
        position -= 1
    digits[position] += 1
    return "".join(alphabet[d] for d in digits)


def crisis_name(tenant: str, brand_id: str, crisis_id: str) -> str:
    return f"{brand_name(tenant, brand_id)}/crises/{crisis_id}"


def entry(row: CrisisTimelineRow, brand_id: str) -> cr.TimelineEntry:
    return cr.TimelineEntry(
        name=f"{crisis_name(row.tenant, brand_id, row.crisis_id)}/timeline/{row.id}",
        kind=KINDS[row.kind],
        time=stamp(row.time),
        summary=row.summary,
        subject=row.subject,
        actor=row.actor,
    )


def record(
    uow: UnitOfWork,
    room: tuple[str, str, str, str],
    kind: str,
    summary: str,
    subject: str = "",
    actor: str = "",
    at: datetime | None = None,
) -> CrisisTimelineRow:
    """`room` is (tenant, brand id, subsidiary id, crisis id)."""
    tenant, brand_id, subsidiary_id, crisis_id = room
    row = CrisisTimelineRow(
        tenant=tenant,
        id=_ordered_id(),
        crisis_id=crisis_id,
        kind=kind,
        time=at or datetime.now(UTC),
        summary=summary,
        subject=subject,
        actor=actor,
    )
    uow.session.add(row)
    changed = events_pb2.CrisisRoomChanged(
        crisis=crisis_name(tenant, brand_id, crisis_id),
        brand=brand_name(tenant, brand_id),
        subsidiary=f"tenants/{tenant}/subsidiaries/{subsidiary_id}" if subsidiary_id else "",
        entry=entry(row, brand_id),
    )
    uow.emit(CRISIS_ROOM_CHANGED, tenant, changed)
    return row
