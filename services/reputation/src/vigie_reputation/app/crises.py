"""A crisis's life as stored and announced: each detector transition becomes a row change, an
event through the outbox, and a webhook delivery for the brand's subsidiary."""

from datetime import UTC, datetime

from google.protobuf.message import Message
from vigie.reputation.v1 import events_pb2
from vigie_runtime.ids import new_id
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisRow, CrisisWatchRow
from vigie_reputation.app import (
    alerts,
    crisis_timeline,
    crisis_views,
    deliveries,
    playbook_apply,
)
from vigie_reputation.app.crisis_explanation import explain
from vigie_reputation.app.events import CRISIS_ESCALATED, CRISIS_OPENED, CRISIS_RESOLVED
from vigie_reputation.app.views import utc
from vigie_reputation.domain.crisis import Transition, TransitionKind

__all__ = ["apply", "utc", "withdraw"]


async def apply(uow: UnitOfWork, watch: CrisisWatchRow, transition: Transition) -> None:
    now = datetime.now(UTC)
    if transition.kind is TransitionKind.OPENED:
        if watch.crisis_id is not None:
            return  # opened early in this bucket; the full bucket confirms it
        crisis = CrisisRow(
            tenant=watch.tenant,
            id=new_id(),
            brand_id=watch.brand_id,
            subsidiary_id=watch.subsidiary_id,
            status="opened",
            severity=transition.severity.name.lower(),
            open_time=now,
            explanation={},
            update_time=now,
        )
        crisis.explanation = await explain(uow, crisis, transition)
        uow.session.add(crisis)
        watch.crisis_id = crisis.id
        await _announce(uow, crisis, TransitionKind.OPENED)
        return
    current = await _current(uow, watch)
    if current is None:
        return
    if transition.kind is TransitionKind.ESCALATED:
        previous = current.severity
        current.status, current.severity = "escalated", transition.severity.name.lower()
        current.escalate_time = current.update_time = now
        current.explanation = await explain(uow, current, transition)
        await _announce(uow, current, TransitionKind.ESCALATED, previous)
    else:
        await _resolve(uow, watch, current, now)


async def withdraw(uow: UnitOfWork, watch: CrisisWatchRow) -> None:
    """Resolves a crisis opened early that the whole bucket did not confirm."""
    crisis = await _current(uow, watch)
    if crisis is not None:
        await _resolve(uow, watch, crisis, datetime.now(UTC))
    watch.crisis_id = None


async def _resolve(
    uow: UnitOfWork, watch: CrisisWatchRow, crisis: CrisisRow, now: datetime
) -> None:
    crisis.status = "resolved"
    crisis.resolve_time = crisis.update_time = now
    watch.crisis_id = None
    await _announce(uow, crisis, TransitionKind.RESOLVED)


async def _current(uow: UnitOfWork, watch: CrisisWatchRow) -> CrisisRow | None:
    if watch.crisis_id is None:
        return None
    return await uow.session.get(CrisisRow, (watch.tenant, watch.crisis_id))


async def _announce(
    uow: UnitOfWork, crisis: CrisisRow, kind: TransitionKind, previous: str = ""
) -> None:
    # The playbook applies in the opening's transaction (its room exists with the crisis),
    # before the alert rules fire, so the room's timeline starts with the detection.
    opening = kind is TransitionKind.OPENED
    hold = await playbook_apply.crisis_opened(uow, crisis) if opening else playbook_apply.NO_HOLD
    await alerts.on_crisis(uow, crisis, kind)
    proto, tenant = crisis_views.crisis(crisis), crisis.tenant
    subsidiary = crisis_views.subsidiary(crisis)
    if kind is TransitionKind.OPENED:
        opened = events_pb2.CrisisOpened(crisis=proto, subsidiary=subsidiary, queue_hold=hold)
        event_id = uow.emit(CRISIS_OPENED, tenant, opened)
        await _deliver(uow, crisis, event_id, CRISIS_OPENED.ce_type, opened)
    elif kind is TransitionKind.ESCALATED:
        before = crisis_views.SEVERITIES[previous]
        escalated = events_pb2.CrisisEscalated(
            crisis=proto, subsidiary=subsidiary, previous_severity=before
        )
        event_id = uow.emit(CRISIS_ESCALATED, tenant, escalated)
        summary = f"crisis escalated ({previous} to {crisis.severity})"
        crisis_timeline.record(uow, playbook_apply.room_key(crisis), "escalated", summary)
        await _deliver(uow, crisis, event_id, CRISIS_ESCALATED.ce_type, escalated)
    else:
        resolved = events_pb2.CrisisResolved(crisis=proto, subsidiary=subsidiary)
        event_id = uow.emit(CRISIS_RESOLVED, tenant, resolved)
        crisis_timeline.record(uow, playbook_apply.room_key(crisis), "resolved", "crisis resolved")
        await _deliver(uow, crisis, event_id, CRISIS_RESOLVED.ce_type, resolved)


async def _deliver(
    uow: UnitOfWork, crisis: CrisisRow, event_id: str, event_type: str, message: Message
) -> None:
    await deliveries.enqueue(
        uow, crisis.tenant, event_id, event_type, message, subsidiary_id=crisis.subsidiary_id
    )
