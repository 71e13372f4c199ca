"""Alert rules at work: which rules cover a brand, their memory, and firing one (an
`alert.fired` event through the outbox, and a delivery to each of the rule's webhooks).

Crisis triggers are judged on each crisis transition; measure triggers when a brand's 5-minute
bucket closes (app/measure_alerts.py). Rules and memories are read and written in the
transaction that changed the crisis or closed the bucket, so a redelivered mention, skipped by
the inbox, never fires a rule twice.
"""

from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from vigie.reputation.v1 import events_pb2
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import AlertMemoryRow, AlertRuleRow, CrisisRow
from vigie_reputation.app import crisis_timeline, crisis_views, deliveries
from vigie_reputation.app.access import subsidiary_name
from vigie_reputation.app.alert_views import alert_rule_name
from vigie_reputation.app.events import ALERT_FIRED
from vigie_reputation.app.views import brand_name, stamp, utc
from vigie_reputation.domain.alerts import AlertMemory, judge_event
from vigie_reputation.domain.crisis import TransitionKind

CRISIS_TRIGGERS = {
    TransitionKind.OPENED: pb.ALERT_TRIGGER_CRISIS_OPENED,
    TransitionKind.ESCALATED: pb.ALERT_TRIGGER_CRISIS_ESCALATED,
    TransitionKind.RESOLVED: pb.ALERT_TRIGGER_CRISIS_RESOLVED,
}
MemoryKey = tuple[str, str, str, int]


async def rules_for(
    uow: UnitOfWork, tenant: str, brand_id: str, subsidiary_id: str, triggers: Collection[int]
) -> list[AlertRuleRow]:
    """The tenant's enabled rules that cover this brand and watch one of `triggers`."""
    query = select(AlertRuleRow).where(
        AlertRuleRow.tenant == tenant, AlertRuleRow.enabled.is_(True)
    )
    return [
        rule
        for rule in (await uow.session.execute(query)).scalars()
        if (not rule.brand_ids or brand_id in rule.brand_ids)
        and (not rule.subsidiary_id or rule.subsidiary_id == subsidiary_id)
        and any(t in triggers for t in rule.triggers)
    ]


async def memory_row(
    uow: UnitOfWork, rule: AlertRuleRow, brand_id: str, trigger: int
) -> AlertMemoryRow:
    key: MemoryKey = (rule.tenant, rule.id, brand_id, trigger)
    # Rows added in this batch are not flushed yet (no autoflush): they are remembered here.
    added: dict[MemoryKey, AlertMemoryRow] = uow.session.info.setdefault("alert_memories", {})
    row = added.get(key) or await uow.session.get(AlertMemoryRow, key)
    if row is None:
        row = AlertMemoryRow(
            tenant=rule.tenant, rule_id=rule.id, brand_id=brand_id, trigger=trigger, armed=True
        )
        uow.session.add(row)
        added[key] = row
    return row


def recall(row: AlertMemoryRow) -> AlertMemory:
    last = utc(row.last_fire_time) if row.last_fire_time else None
    return AlertMemory(armed=row.armed, last_fire=last)


def keep(row: AlertMemoryRow, memory: AlertMemory) -> None:
    row.armed, row.last_fire_time = memory.armed, memory.last_fire


def cooldown(rule: AlertRuleRow) -> timedelta:
    return timedelta(minutes=rule.cooldown_minutes)


async def fire(
    uow: UnitOfWork,
    rule: AlertRuleRow,
    brand_id: str,
    subsidiary_id: str,
    trigger: int,
    value: float,
    threshold: float,
    crisis: str = "",
) -> None:
    fired = events_pb2.AlertFired(
        alert_rule=alert_rule_name(rule),
        brand=brand_name(rule.tenant, brand_id),
        subsidiary=subsidiary_name(rule.tenant, subsidiary_id) if subsidiary_id else "",
        trigger=pb.AlertTrigger.ValueType(trigger),
        value=value,
        threshold=threshold,
        crisis=crisis,
        fire_time=stamp(datetime.now(UTC)),
    )
    event_id = uow.emit(ALERT_FIRED, rule.tenant, fired)
    await deliveries.enqueue(
        uow, rule.tenant, event_id, ALERT_FIRED.ce_type, fired, webhook_ids=rule.webhook_ids
    )


async def on_crisis(uow: UnitOfWork, crisis: CrisisRow, kind: TransitionKind) -> None:
    trigger = CRISIS_TRIGGERS[kind]
    severity = crisis_views.SEVERITIES[crisis.severity]
    rules = await rules_for(uow, crisis.tenant, crisis.brand_id, crisis.subsidiary_id, {trigger})
    now = datetime.now(UTC)
    for rule in rules:
        if severity < rule.min_severity:
            continue
        row = await memory_row(uow, rule, crisis.brand_id, trigger)
        fires, memory = judge_event(recall(row), now, cooldown(rule))
        keep(row, memory)
        if fires:
            name = crisis_views.crisis_name(crisis)
            await fire(
                uow, rule, crisis.brand_id, crisis.subsidiary_id, trigger,
                severity, rule.min_severity, name,
            )  # fmt: skip
            room = (crisis.tenant, crisis.brand_id, crisis.subsidiary_id, crisis.id)
            summary = f"alert rule {rule.display_name} fired"
            crisis_timeline.record(uow, room, "alert_fired", summary, alert_rule_name(rule))
