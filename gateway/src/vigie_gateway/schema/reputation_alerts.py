"""Alert rules and webhook updates through GraphQL: who to tell, and when."""

from enum import Enum
from typing import Any

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import Connection, DeletePayload, page_info, page_size
from vigie_gateway.schema.reputation_types import CrisisSeverity, Webhook

Info = strawberry.Info[Context, None]


@strawberry.enum(description="What fires an alert rule.")
class AlertTrigger(Enum):
    CRISIS_OPENED = pb.ALERT_TRIGGER_CRISIS_OPENED
    CRISIS_ESCALATED = pb.ALERT_TRIGGER_CRISIS_ESCALATED
    CRISIS_RESOLVED = pb.ALERT_TRIGGER_CRISIS_RESOLVED
    INDEX_BELOW = pb.ALERT_TRIGGER_INDEX_BELOW
    NEGATIVE_SHARE_ABOVE = pb.ALERT_TRIGGER_NEGATIVE_SHARE_ABOVE
    VOLUME_ABOVE = pb.ALERT_TRIGGER_VOLUME_ABOVE


@strawberry.type(description="Who to tell (webhooks), and when (triggers and thresholds).")
class AlertRule:
    id: strawberry.ID
    display_name: str
    brand_ids: list[strawberry.ID] = strawberry.field(description="Empty: every brand.")
    subsidiary_id: strawberry.ID | None
    triggers: list[AlertTrigger]
    min_severity: CrisisSeverity
    index_threshold: float
    negative_share_threshold: float
    volume_threshold: int
    window_minutes: int
    cooldown_minutes: int
    webhook_ids: list[strawberry.ID]
    enabled: bool
    etag: str

    @classmethod
    def of(cls, r: pb.AlertRule) -> "AlertRule":
        return cls(
            id=strawberry.ID(r.name), display_name=r.display_name,
            brand_ids=[strawberry.ID(b) for b in r.brands],
            subsidiary_id=strawberry.ID(r.subsidiary) if r.subsidiary else None,
            triggers=[AlertTrigger(t) for t in r.triggers],
            min_severity=CrisisSeverity(r.min_severity), index_threshold=r.index_threshold,
            negative_share_threshold=r.negative_share_threshold,
            volume_threshold=r.volume_threshold, window_minutes=r.window_minutes,
            cooldown_minutes=r.cooldown_minutes,
            webhook_ids=[strawberry.ID(w) for w in r.webhooks], enabled=r.enabled, etag=r.etag,
        )  # fmt: skip


@strawberry.input(description="An alert rule; unset fields keep their value on update.")
class AlertRuleInput:
    display_name: str | None = None
    brand_ids: list[strawberry.ID] | None = None
    subsidiary_id: strawberry.ID | None = None
    triggers: list[AlertTrigger] | None = None
    min_severity: CrisisSeverity | None = None
    index_threshold: float | None = None
    negative_share_threshold: float | None = None
    volume_threshold: int | None = None
    window_minutes: int | None = None
    cooldown_minutes: int | None = None
    webhook_ids: list[strawberry.ID] | None = None
    enabled: bool | None = None


# Input field -> proto field, with how a GraphQL value becomes a proto value.
_FIELDS: dict[str, tuple[str, Any]] = {
    "display_name": ("display_name", str),
    "brand_ids": ("brands", lambda v: [str(b) for b in v]),
    "subsidiary_id": ("subsidiary", str),
    "triggers": ("triggers", lambda v: [t.value for t in v]),
    "min_severity": ("min_severity", lambda v: v.value),
    "index_threshold": ("index_threshold", float),
    "negative_share_threshold": ("negative_share_threshold", float),
    "volume_threshold": ("volume_threshold", int),
    "window_minutes": ("window_minutes", int),
    "cooldown_minutes": ("cooldown_minutes", int),
    "webhook_ids": ("webhooks", lambda v: [str(w) for w in v]),
    "enabled": ("enabled", bool),
}


def _rule(source: AlertRuleInput, rule: pb.AlertRule) -> FieldMask:
    """Fills the proto from the given input fields; the mask names them."""
    paths = []
    for attribute, (path, convert) in _FIELDS.items():
        value = getattr(source, attribute)
        if value is None:
            continue
        paths.append(path)
        converted = convert(value)
        if isinstance(converted, list):
            getattr(rule, path).extend(converted)
        else:
            setattr(rule, path, converted)
    return FieldMask(paths=paths)


@strawberry.input(description="The webhook fields to change; unset fields keep their value.")
class UpdateWebhookInput:
    id: strawberry.ID
    etag: str | None = None
    display_name: str | None = None
    url: str | None = None
    secret: str | None = None
    subsidiary_id: strawberry.ID | None = None
    enabled: bool | None = None


@strawberry.type
class ReputationAlertQuery:
    @strawberry.field(description="The group's alert rules (those covering a brand, if given).")
    async def alert_rules(
        self, info: Info, brand_id: strawberry.ID | None = None, first: int = 50,
        after: str | None = None,
    ) -> Connection[AlertRule]:  # fmt: skip
        ctx = info.context
        request = rpc.ListAlertRulesRequest(
            parent=ctx.tenant_name, page_size=page_size(first), page_token=after or "",
            brand=str(brand_id or ""),
        )  # fmt: skip
        response = await ctx.call(ctx.clients.reputation.ListAlertRules, request)
        return Connection(
            nodes=[AlertRule.of(r) for r in response.alert_rules],
            page_info=page_info(response.next_page_token),
        )

    @strawberry.field(description="One alert rule.")
    async def alert_rule(self, info: Info, id: strawberry.ID) -> AlertRule:
        ctx = info.context
        request = rpc.GetAlertRuleRequest(name=str(id))
        return AlertRule.of(await ctx.call(ctx.clients.reputation.GetAlertRule, request))


@strawberry.type
class ReputationAlertMutation:
    @strawberry.mutation(description="Creates an alert rule.")
    async def create_alert_rule(
        self, info: Info, input: AlertRuleInput, request_id: str | None = None
    ) -> AlertRule:
        ctx = info.context
        rule = pb.AlertRule(enabled=True)
        _rule(input, rule)
        request = rpc.CreateAlertRuleRequest(
            parent=ctx.tenant_name, alert_rule=rule, request_id=request_id or ""
        )
        return AlertRule.of(await ctx.call(ctx.clients.reputation.CreateAlertRule, request))

    @strawberry.mutation(description="Changes the given fields of an alert rule.")
    async def update_alert_rule(
        self, info: Info, id: strawberry.ID, input: AlertRuleInput, etag: str | None = None
    ) -> AlertRule:
        ctx = info.context
        rule = pb.AlertRule(name=str(id), etag=etag or "")
        mask = _rule(input, rule)
        request = rpc.UpdateAlertRuleRequest(alert_rule=rule, update_mask=mask)
        return AlertRule.of(await ctx.call(ctx.clients.reputation.UpdateAlertRule, request))

    @strawberry.mutation(description="Deletes an alert rule.")
    async def delete_alert_rule(
        self, info: Info, id: strawberry.ID, etag: str | None = None
    ) -> DeletePayload:
        ctx = info.context
        request = rpc.DeleteAlertRuleRequest(name=str(id), etag=etag or "")
        await ctx.call(ctx.clients.reputation.DeleteAlertRule, request)
        return DeletePayload(deleted_id=id)

    @strawberry.mutation(description="Changes the given fields of a webhook (a new secret too).")
    async def update_webhook(self, info: Info, input: UpdateWebhookInput) -> Webhook:
        ctx = info.context
        webhook = pb.Webhook(name=str(input.id), etag=input.etag or "")
        paths = []
        for path in ("display_name", "url", "secret", "subsidiary_id", "enabled"):
            value = getattr(input, path)
            if value is not None:
                field = "subsidiary" if path == "subsidiary_id" else path
                setattr(webhook, field, str(value) if field == "subsidiary" else value)
                paths.append(field)
        request = rpc.UpdateWebhookRequest(webhook=webhook, update_mask=FieldMask(paths=paths))
        return Webhook.of(await ctx.call(ctx.clients.reputation.UpdateWebhook, request))
