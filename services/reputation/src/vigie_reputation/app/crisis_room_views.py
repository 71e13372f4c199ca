"""Crisis room rows -> protos."""

from google.protobuf import json_format
from vigie.reputation.v1 import crisis_response_pb2 as cr

from vigie_reputation.adapters.orm import CrisisNotificationRow, CrisisStatementRow
from vigie_reputation.app.crisis_timeline import crisis_name
from vigie_reputation.app.views import stamp

STATEMENT_STATES = {
    "proposed": cr.STATEMENT_STATE_PROPOSED,
    "approved": cr.STATEMENT_STATE_APPROVED,
    "published": cr.STATEMENT_STATE_PUBLISHED,
}
NOTIFICATION_STATES = {
    "pending": cr.NOTIFICATION_STATE_PENDING,
    "sent": cr.NOTIFICATION_STATE_SENT,
}


def statement_name(row: CrisisStatementRow) -> str:
    return f"{crisis_name(row.tenant, row.brand_id, row.crisis_id)}/statements/{row.id}"


def statement(row: CrisisStatementRow) -> cr.Statement:
    return cr.Statement(
        name=statement_name(row),
        language=row.language,
        text=row.text,
        state=STATEMENT_STATES[row.state],
        social_accounts=list(row.social_accounts),
        approver=row.approver,
        propose_time=stamp(row.propose_time),
        approve_time=stamp(row.approve_time),
        publish_time=stamp(row.publish_time),
        posts=list(row.posts),
    )


def notification(row: CrisisNotificationRow) -> cr.CrisisNotification:
    return cr.CrisisNotification(
        step=row.step,
        member=row.member,
        webhook=f"tenants/{row.tenant}/webhooks/{row.webhook_id}" if row.webhook_id else "",
        state=NOTIFICATION_STATES[row.state],
        due_time=stamp(row.due_time),
        send_time=stamp(row.send_time),
    )


def applied_playbook(snapshot: dict[str, object]) -> cr.Playbook:
    result = cr.Playbook()
    json_format.ParseDict(snapshot or {}, result, ignore_unknown_fields=True)
    return result
