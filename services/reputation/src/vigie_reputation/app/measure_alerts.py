"""Measure triggers judged when a brand's 5-minute bucket closes: the reputation index, and
the volume and negative share over the rule's window ending with the bucket.

The bucket's end is the clock here (not the wall clock), so a replayed history fires the same
alerts.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import AlertRuleRow, CrisisWatchRow, MeasureBucketRow
from vigie_reputation.app import alerts
from vigie_reputation.domain.alerts import Direction, Threshold, judge_measure

MEASURE_TRIGGERS = {
    pb.ALERT_TRIGGER_INDEX_BELOW,
    pb.ALERT_TRIGGER_NEGATIVE_SHARE_ABOVE,
    pb.ALERT_TRIGGER_VOLUME_ABOVE,
}


async def judge(uow: UnitOfWork, watch: CrisisWatchRow, end: datetime, index: float) -> None:
    rules = await alerts.rules_for(
        uow, watch.tenant, watch.brand_id, watch.subsidiary_id, MEASURE_TRIGGERS
    )
    for rule in rules:
        volume, negative = await _window(uow, watch, rule, end)
        for trigger in (t for t in rule.triggers if t in MEASURE_TRIGGERS):
            measure, threshold = _measure(rule, trigger, index, volume, negative)
            row = await alerts.memory_row(uow, rule, watch.brand_id, trigger)
            fires, memory = judge_measure(
                alerts.recall(row), threshold, measure, end, alerts.cooldown(rule)
            )
            alerts.keep(row, memory)
            if fires:
                await alerts.fire(
                    uow, rule, watch.brand_id, watch.subsidiary_id, trigger,
                    measure, threshold.value,
                )  # fmt: skip


def _measure(
    rule: AlertRuleRow, trigger: int, index: float, volume: int, negative: int
) -> tuple[float, Threshold]:
    if trigger == pb.ALERT_TRIGGER_INDEX_BELOW:
        return index, Threshold(rule.index_threshold, Direction.BELOW)
    if trigger == pb.ALERT_TRIGGER_NEGATIVE_SHARE_ABOVE:
        share = negative / volume if volume else 0.0
        return share, Threshold(rule.negative_share_threshold, Direction.ABOVE)
    return float(volume), Threshold(float(rule.volume_threshold), Direction.ABOVE)


async def _window(
    uow: UnitOfWork, watch: CrisisWatchRow, rule: AlertRuleRow, end: datetime
) -> tuple[int, int]:
    t = MeasureBucketRow
    query = select(func.coalesce(func.sum(t.volume), 0), func.coalesce(func.sum(t.negative), 0))
    query = query.where(
        t.tenant == watch.tenant,
        t.brand_id == watch.brand_id,
        t.dimension == "none",
        t.minute >= end - timedelta(minutes=rule.window_minutes),
        t.minute < end,
    )
    volume, negative = (await uow.session.execute(query)).one()
    return int(volume), int(negative)
