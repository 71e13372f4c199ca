"""Playbook rows -> protos (and back, for the snapshot a crisis room keeps)."""

from vigie.reputation.v1 import crisis_response_pb2 as cr

from vigie_reputation.adapters.orm import PlaybookRow
from vigie_reputation.app.views import stamp

QUEUE_HOLDS = {"hold": cr.QUEUE_HOLD_HOLD, "keep_publishing": cr.QUEUE_HOLD_KEEP_PUBLISHING}
SCOPES = {"brand": "brands", "subsidiary": "subsidiaries"}


def playbook_name(row: PlaybookRow) -> str:
    return f"tenants/{row.tenant}/{SCOPES[row.scope]}/{row.scope_id}/playbooks/{row.id}"


def playbook(row: PlaybookRow) -> cr.Playbook:
    webhooks = f"tenants/{row.tenant}/webhooks/"
    return cr.Playbook(
        name=playbook_name(row),
        display_name=row.display_name,
        alert_steps=[
            cr.AlertStep(
                member=step.get("member", ""),
                webhook=webhooks + step["webhook"] if step.get("webhook") else "",
                delay_seconds=int(step.get("delay_seconds", 0)),
            )
            for step in row.alert_steps
        ],
        holding_statements=[
            cr.HoldingStatement(language=s["language"], text=s["text"])
            for s in row.holding_statements
        ],
        queue_hold=QUEUE_HOLDS[row.queue_hold],
        create_time=stamp(row.create_time),
        update_time=stamp(row.update_time),
        etag=str(row.version),
    )
