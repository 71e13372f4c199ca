"""An alert rule's fields checked and mapped to columns (bad input -> INVALID_ARGUMENT with its
field and reason); webhooks and brands named must be the caller's tenant's."""

from typing import Any

from sqlalchemy import select
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.principal import Principal
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import WebhookRow
from vigie_reputation.app.access import BRAND
from vigie_reputation.app.webhooks import SUBSIDIARY, WEBHOOK
from vigie_reputation.domain.alerts import DEFAULT_COOLDOWN_MINUTES, DEFAULT_WINDOW_MINUTES

TRIGGERS = set(pb.AlertTrigger.values()) - {pb.ALERT_TRIGGER_UNSPECIFIED}
SEVERITIES = set(pb.CrisisSeverity.values())
MAX_LISTED = 100
# Fields an update may name (AIP-134), each with the columns it sets.
UPDATABLE = {
    "display_name": ("display_name",),
    "brands": ("brand_ids",),
    "subsidiary": ("subsidiary_id",),
    "triggers": ("triggers",),
    "min_severity": ("min_severity",),
    "index_threshold": ("index_threshold",),
    "negative_share_threshold": ("negative_share_threshold",),
    "volume_threshold": ("volume_threshold",),
    "window_minutes": ("window_minutes",),
    "cooldown_minutes": ("cooldown_minutes",),
    "webhooks": ("webhook_ids",),
    "enabled": ("enabled",),
}


async def columns(uow: UnitOfWork, who: Principal, rule: pb.AlertRule) -> dict[str, Any]:
    """Every column of the rule, checked (an update keeps those its mask does not name)."""
    name = rule.display_name.strip()
    if not name or len(rule.display_name) > 100:
        raise InvalidArgument("alert_rule.display_name", "1 to 100 characters")
    triggers = _triggers(rule)
    _thresholds(rule, triggers)
    if rule.min_severity not in SEVERITIES:
        raise InvalidArgument("alert_rule.min_severity", "is not a crisis severity")
    window = rule.window_minutes or DEFAULT_WINDOW_MINUTES
    if not 5 <= window <= 1440:
        raise InvalidArgument("alert_rule.window_minutes", "5 to 1440", "INVALID_WINDOW")
    cooldown = rule.cooldown_minutes or DEFAULT_COOLDOWN_MINUTES
    if not 1 <= cooldown <= 10080:
        raise InvalidArgument("alert_rule.cooldown_minutes", "1 to 10080 (a week)")
    subsidiary = ""
    if rule.subsidiary:
        subsidiary = SUBSIDIARY.parse_in_tenant(
            rule.subsidiary, who.tenant, "alert_rule.subsidiary"
        )[1]
    return {
        "display_name": name,
        "brand_ids": _brands(rule, who),
        "subsidiary_id": subsidiary,
        "triggers": sorted(triggers),
        "min_severity": int(rule.min_severity),
        "index_threshold": rule.index_threshold,
        "negative_share_threshold": rule.negative_share_threshold,
        "volume_threshold": rule.volume_threshold,
        "window_minutes": window,
        "cooldown_minutes": cooldown,
        "webhook_ids": await _webhooks(uow, who, rule),
        "enabled": rule.enabled,
    }


def _triggers(rule: pb.AlertRule) -> set[int]:
    triggers: set[int] = {int(t) for t in rule.triggers}
    if not triggers:
        raise InvalidArgument("alert_rule.triggers", "at least one trigger", "NO_TRIGGER")
    if not triggers <= TRIGGERS:
        raise InvalidArgument("alert_rule.triggers", "unknown trigger")
    return triggers


def _thresholds(rule: pb.AlertRule, triggers: set[int]) -> None:
    if pb.ALERT_TRIGGER_INDEX_BELOW in triggers and not 0 < rule.index_threshold <= 100:
        raise InvalidArgument("alert_rule.index_threshold", "in (0, 100]", "INVALID_THRESHOLD")
    share = rule.negative_share_threshold
    if pb.ALERT_TRIGGER_NEGATIVE_SHARE_ABOVE in triggers and not 0 < share <= 1:
        reason = "INVALID_THRESHOLD"
        raise InvalidArgument("alert_rule.negative_share_threshold", "in (0, 1]", reason)
    if pb.ALERT_TRIGGER_VOLUME_ABOVE in triggers and rule.volume_threshold < 1:
        raise InvalidArgument("alert_rule.volume_threshold", "at least 1", "INVALID_THRESHOLD")


def _brands(rule: pb.AlertRule, who: Principal) -> list[str]:
    if len(rule.brands) > MAX_LISTED:
        raise InvalidArgument("alert_rule.brands", f"at most {MAX_LISTED}")
    ids = {BRAND.parse_in_tenant(b, who.tenant, "alert_rule.brands")[1] for b in rule.brands}
    return sorted(ids)


async def _webhooks(uow: UnitOfWork, who: Principal, rule: pb.AlertRule) -> list[str]:
    if not rule.webhooks or len(rule.webhooks) > MAX_LISTED:
        raise InvalidArgument("alert_rule.webhooks", f"1 to {MAX_LISTED} webhooks", "NO_WEBHOOK")
    ids = {WEBHOOK.parse_in_tenant(w, who.tenant, "alert_rule.webhooks")[1] for w in rule.webhooks}
    query = select(WebhookRow.id).where(WebhookRow.tenant == who.tenant, WebhookRow.id.in_(ids))
    found = set((await uow.session.execute(query)).scalars())
    if found != ids:
        raise InvalidArgument("alert_rule.webhooks", "names a webhook that does not exist")
    return sorted(ids)
