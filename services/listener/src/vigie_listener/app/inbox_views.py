"""Inbox rows as the contract's messages (responses and event payloads alike)."""

from datetime import datetime

from vigie.listener.v1 import resources_pb2 as pb

from vigie_listener.adapters.orm import InboxItemRow, InboxNoteRow
from vigie_listener.app.common import utc
from vigie_listener.app.names import BRAND, INBOX_ITEM, INBOX_NOTE, MEMBER, MENTION, SUBSIDIARY
from vigie_listener.app.views import stamp
from vigie_listener.domain import urgency
from vigie_listener.domain.inbox_status import WAITING, Status

CRISIS = "tenants/{}/brands/{}/crises/{}"


def item_name(row: InboxItemRow) -> str:
    return INBOX_ITEM.format(row.tenant, row.brand_id, row.id)


def waiting_until(row: InboxItemRow, now: datetime) -> datetime:
    """The waiting part grows until the first reply, or the closing, or now."""
    if Status(row.status) in WAITING:
        return now
    ends = [utc(t) for t in (row.first_response_at, row.closed_at) if t is not None]
    return min(ends) if ends else now


def current_urgency(row: InboxItemRow, now: datetime) -> urgency.Urgency:
    opened = utc(row.opened_at)
    return urgency.urgency(
        row.followers, row.sentiment, bool(row.crisis_id), opened, waiting_until(row, now)
    )


def inbox_item(row: InboxItemRow, now: datetime) -> pb.InboxItem:
    found = current_urgency(row, now)
    breaches = [pb.RESPONSE_KIND_FIRST_RESPONSE] if row.first_response_breached else []
    breaches += [pb.RESPONSE_KIND_RESOLUTION] if row.resolution_breached else []
    item = pb.InboxItem(
        name=item_name(row),
        mention=MENTION.format(row.tenant, row.brand_id, row.mention_id),
        brand=BRAND.format(row.tenant, row.brand_id),
        subsidiary=SUBSIDIARY.format(row.tenant, row.subsidiary_id),
        reasons=row.reasons,  # type: ignore[arg-type]
        urgency=found.total,
        urgency_parts=[
            pb.UrgencyPart(factor=p.factor, score=p.score, explanation=p.explanation)
            for p in found.parts
        ],
        status=row.status,  # type: ignore[arg-type]
        assignee=MEMBER.format(row.tenant, row.assignee_id) if row.assignee_id else "",
        labels=row.labels,
        note_count=row.note_count,
        sentiment=row.sentiment,
        crisis=CRISIS.format(row.tenant, row.brand_id, row.crisis_id) if row.crisis_id else "",
        open_time=stamp(row.opened_at),
        update_time=stamp(row.updated_at),
        urgency_time=stamp(now),
        reply=row.reply,
        responder=row.responder,
        breaches=breaches,
        etag=str(row.version),
    )
    if row.first_response_at is not None:
        item.first_response_time.CopyFrom(stamp(row.first_response_at))
    if row.closed_at is not None:
        item.close_time.CopyFrom(stamp(row.closed_at))
    return item


def inbox_note(row: InboxNoteRow, brand_id: str) -> pb.InboxNote:
    return pb.InboxNote(
        name=INBOX_NOTE.format(row.tenant, brand_id, row.item_id, row.id),
        text=row.text,
        author=row.author,
        create_time=stamp(row.created_at),
    )
