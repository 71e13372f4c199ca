"""Applying a playbook when a crisis opens, in the transaction that opens it: the brand's
playbook (else its subsidiary's) is copied into the crisis room, its alert steps are scheduled
(those due at once are sent), its holding statements are proposed.

The room row is the guard: a crisis that already has one applies nothing again."""

from datetime import datetime
from typing import Any

from google.protobuf import json_format
from sqlalchemy import and_, or_, select
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie_runtime.ids import new_id
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import (
    CrisisNotificationRow,
    CrisisRoomRow,
    CrisisRow,
    CrisisStatementRow,
    PlaybookRow,
)
from vigie_reputation.app import crisis_notifications, crisis_timeline
from vigie_reputation.app.playbook_views import playbook, playbook_name
from vigie_reputation.domain.playbooks import (
    AlertStep,
    PlaybookCandidate,
    choose_playbook,
    plan_notifications,
)

NO_HOLD = cr.QUEUE_HOLD_UNSPECIFIED


def room_key(crisis: CrisisRow) -> tuple[str, str, str, str]:
    return crisis.tenant, crisis.brand_id, crisis.subsidiary_id, crisis.id


async def _chosen(uow: UnitOfWork, crisis: CrisisRow) -> PlaybookRow | None:
    t = PlaybookRow
    query = select(t).where(
        t.tenant == crisis.tenant,
        or_(
            and_(t.scope == "brand", t.scope_id == crisis.brand_id),
            and_(t.scope == "subsidiary", t.scope_id == crisis.subsidiary_id),
        ),
    )
    rows = {row.id: row for row in (await uow.session.execute(query)).scalars()}
    candidates = [PlaybookCandidate(r.id, r.scope, r.create_time) for r in rows.values()]
    chosen = choose_playbook(candidates)
    return rows[chosen.id] if chosen else None


async def crisis_opened(uow: UnitOfWork, crisis: CrisisRow) -> "cr.QueueHold.ValueType":
    """Applies the crisis's playbook once; returns what to do with the brand's queue."""
    room = await uow.session.get(CrisisRoomRow, (crisis.tenant, crisis.id))
    if room is not None:
        return _hold(room.playbook)
    chosen = await _chosen(uow, crisis)
    snapshot = json_format.MessageToDict(playbook(chosen)) if chosen else {}
    uow.session.add(
        CrisisRoomRow(
            tenant=crisis.tenant,
            crisis_id=crisis.id,
            brand_id=crisis.brand_id,
            subsidiary_id=crisis.subsidiary_id,
            playbook=snapshot,
            held_posts=[],
            open_time=crisis.open_time,
        )
    )
    key = room_key(crisis)
    summary = f"crisis detected ({crisis.severity})"
    crisis_timeline.record(uow, key, "detected", summary, at=crisis.open_time)
    if chosen is not None:
        summary = f"playbook {chosen.display_name} applied"
        crisis_timeline.record(uow, key, "playbook_applied", summary, playbook_name(chosen))
        await _notify(uow, crisis, chosen, crisis.open_time)
        _propose(uow, crisis, chosen)
    return _hold(snapshot)


def _hold(snapshot: dict[str, Any]) -> "cr.QueueHold.ValueType":
    """What the applied playbook says about the queue (unspecified, i.e. hold, without one)."""
    return cr.QueueHold.Value(str(snapshot.get("queueHold", "QUEUE_HOLD_UNSPECIFIED")))


async def _notify(
    uow: UnitOfWork, crisis: CrisisRow, chosen: PlaybookRow, open_time: datetime
) -> None:
    steps = [
        AlertStep(s.get("member", ""), s.get("webhook", ""), int(s.get("delay_seconds", 0)))
        for s in chosen.alert_steps
    ]
    due_now = []
    for planned in plan_notifications(steps, open_time):
        row = CrisisNotificationRow(
            tenant=crisis.tenant,
            crisis_id=crisis.id,
            step=planned.step,
            brand_id=crisis.brand_id,
            subsidiary_id=crisis.subsidiary_id,
            member=planned.member,
            webhook_id=planned.webhook_id,
            state="pending",
            due_time=planned.due_time,
        )
        uow.session.add(row)
        if planned.due_time <= open_time:
            due_now.append(row)
    # Steps with no delay go out in this transaction; the others wait for the loop.
    await crisis_notifications.send(uow, due_now, open_time)


def _propose(uow: UnitOfWork, crisis: CrisisRow, chosen: PlaybookRow) -> None:
    for statement in chosen.holding_statements:
        row = CrisisStatementRow(
            tenant=crisis.tenant,
            id=new_id(),
            crisis_id=crisis.id,
            brand_id=crisis.brand_id,
            language=statement["language"],
            text=statement["text"],
            state="proposed",
            social_accounts=[],
            approver="",
            posts=[],
            propose_time=crisis.open_time,
        )
        uow.session.add(row)
        room = crisis_timeline.crisis_name(crisis.tenant, crisis.brand_id, crisis.id)
        name = f"{room}/statements/{row.id}"
        summary = f"holding statement proposed ({row.language})"
        crisis_timeline.record(uow, room_key(crisis), "statement_proposed", summary, name)
