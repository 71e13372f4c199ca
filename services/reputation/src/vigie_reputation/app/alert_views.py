"""Alert rule rows -> protos."""

from vigie.reputation.v1 import resources_pb2 as pb

from vigie_reputation.adapters.orm import AlertRuleRow
from vigie_reputation.app.access import subsidiary_name
from vigie_reputation.app.views import brand_name, stamp


def alert_rule_name(row: AlertRuleRow) -> str:
    return f"tenants/{row.tenant}/alertRules/{row.id}"


def alert_rule(row: AlertRuleRow) -> pb.AlertRule:
    return pb.AlertRule(
        name=alert_rule_name(row),
        display_name=row.display_name,
        brands=[brand_name(row.tenant, b) for b in row.brand_ids],
        subsidiary=subsidiary_name(row.tenant, row.subsidiary_id) if row.subsidiary_id else "",
        triggers=[pb.AlertTrigger.ValueType(t) for t in row.triggers],
        min_severity=pb.CrisisSeverity.ValueType(row.min_severity),
        index_threshold=row.index_threshold,
        negative_share_threshold=row.negative_share_threshold,
        volume_threshold=row.volume_threshold,
        window_minutes=row.window_minutes,
        cooldown_minutes=row.cooldown_minutes,
        webhooks=[f"tenants/{row.tenant}/webhooks/{w}" for w in row.webhook_ids],
        enabled=row.enabled,
        create_time=stamp(row.create_time),
        update_time=stamp(row.update_time),
        etag=str(row.version),
    )
