"""Alert rules and webhook updates through GraphQL: who to tell, and when."""

from enum import Enum
from typing import Annotated, Any

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import (
    After,
    Connection,
    DeleteInput,
    First,
    NamedOrderBy,
    Node,
    NodeId,
    list_options,
    listed,
    page_request,
)
from vigie_gateway.schema.payloads import payload_mutation
from vigie_gateway.schema.reputation_types import CrisisSeverity, Webhook

Info = strawberry.Info[Context, None]


@strawberry.enum(description="What fires an alert rule.")
class AlertTrigger(Enum):
    CRISIS_OPENED = strawberry.enum_value(
        pb.ALERT_TRIGGER_CRISIS_OPENED, description="A crisis opened on one of the rule's brands."
    )
    CRISIS_ESCALATED = strawberry.enum_value(
        pb.ALERT_TRIGGER_CRISIS_ESCALATED,
        description="A crisis of one of the rule's brands grew more severe.",
    )
    CRISIS_RESOLVED = strawberry.enum_value(
        pb.ALERT_TRIGGER_CRISIS_RESOLVED, description="A crisis of one of the rule's brands ended."
    )
    INDEX_BELOW = strawberry.enum_value(
        pb.ALERT_TRIGGER_INDEX_BELOW,
        description="The reputation index fell below `index_threshold`.",
    )
    NEGATIVE_SHARE_ABOVE = strawberry.enum_value(
        pb.ALERT_TRIGGER_NEGATIVE_SHARE_ABOVE,
        description="The share of negative mentions over `window_minutes` rose above "
        "`negative_share_threshold`.",
    )
    VOLUME_ABOVE = strawberry.enum_value(
        pb.ALERT_TRIGGER_VOLUME_ABOVE,
        description="The mentions over `window_minutes` rose above `volume_threshold`.",
    )


@strawberry.type(description="Who to tell (webhooks), and when (triggers and thresholds).")
class AlertRule(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/alertRules/{alert_rule}."
    )
    display_name: str = strawberry.field(description="Its name as people see it.")
    brand_ids: list[strawberry.ID] = strawberry.field(description="Empty: every brand.")
    subsidiary_id: strawberry.ID | None = strawberry.field(
        description="Only brands of this subsidiary (tenants/{tenant}/subsidiaries/{subsidiary}), "
        "when set."
    )
    triggers: list[AlertTrigger] = strawberry.field(description="What makes the rule fire.")
    min_severity: CrisisSeverity = strawberry.field(
        description="Crises below this severity do not fire the rule."
    )
    index_threshold: float = strawberry.field(
        description="For ALERT_TRIGGER_INDEX_BELOW, in [0, 100]."
    )
    negative_share_threshold: float = strawberry.field(
        description="For ALERT_TRIGGER_NEGATIVE_SHARE_ABOVE, in (0, 1]."
    )
    volume_threshold: int = strawberry.field(
        description="For ALERT_TRIGGER_VOLUME_ABOVE, at least 1."
    )
    window_minutes: int = strawberry.field(
        description="The window the measure triggers look at, 5 to 1440 minutes (60 when unset)."
    )
    cooldown_minutes: int = strawberry.field(
        description="After firing for a brand, the rule stays quiet for it this long (30 when "
        "unset), and a measure trigger fires again only once its measure went back past the "
        "threshold."
    )
    webhook_ids: list[strawberry.ID] = strawberry.field(
        description="Webhooks to call (resource names)."
    )
    enabled: bool = strawberry.field(description="Whether it is in use.")
    etag: str = strawberry.field(
        description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )

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
    display_name: str | None = strawberry.field(
        default=None, description="Its name as people see it."
    )
    brand_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The brands it watches (global ids)."
    )
    subsidiary_id: strawberry.ID | None = strawberry.field(
        default=None, description="The subsidiary it belongs to (global id); none: group-wide."
    )
    triggers: list[AlertTrigger] | None = strawberry.field(
        default=None, description="What makes it fire."
    )
    min_severity: CrisisSeverity | None = strawberry.field(
        default=None, description="Crisis triggers fire from this severity on."
    )
    index_threshold: float | None = strawberry.field(
        default=None, description="INDEX_BELOW fires under this reputation index (0-100)."
    )
    negative_share_threshold: float | None = strawberry.field(
        default=None,
        description="NEGATIVE_SHARE_ABOVE fires over this share of negative mentions (0-1).",
    )
    volume_threshold: int | None = strawberry.field(
        default=None, description="VOLUME_ABOVE fires over this many mentions in the window."
    )
    window_minutes: int | None = strawberry.field(
        default=None, description="The window measures are taken over (60 when unset)."
    )
    cooldown_minutes: int | None = strawberry.field(
        default=None,
        description="How long it stays quiet for a brand after firing (30 when unset).",
    )
    webhook_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Who to tell (webhook global ids, 1 to 100)."
    )
    enabled: bool | None = strawberry.field(default=None, description="Whether it fires.")


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
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/webhooks/{webhook}."
    )
    etag: str | None = strawberry.field(
        default=None, description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )
    display_name: str | None = strawberry.field(
        default=None, description="Its name as people see it."
    )
    url: str | None = strawberry.field(default=None, description="The address.")
    secret: str | None = strawberry.field(
        default=None,
        description="Input only: the HMAC-SHA256 signing secret. Never returned; see `secret_set`.",
    )
    subsidiary_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The subsidiary whose alerts it receives: "
        "tenants/{tenant}/subsidiaries/{subsidiary}; empty for group-wide.",
    )
    enabled: bool | None = strawberry.field(default=None, description="Whether it is in use.")


@strawberry.input(description="Which alert rules to list.")
class AlertRuleFilter:
    brand_id: strawberry.ID | None = strawberry.field(
        default=None, description="The brand's global id (`tenants/{t}/brands/{b}`)."
    )


@strawberry.type
class ReputationAlertQuery:
    @strawberry.field(description="The group's alert rules (those covering a brand, if given).")
    async def alert_rules(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            AlertRuleFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: NamedOrderBy = None,
    ) -> Connection[AlertRule]:
        given = filter or AlertRuleFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListAlertRulesRequest(
            parent=ctx.tenant_name, page_size=page.size, page_token=page.token,
            brand=str(given.brand_id or ""), **list_options(info, order_by),
        )  # fmt: skip
        return await listed(
            info, ctx.clients.reputation.ListAlertRules, request, page,
            lambda found: [AlertRule.of(r) for r in found.alert_rules],
        )  # fmt: skip

    @strawberry.field(description="One alert rule.")
    async def alert_rule(self, info: Info, id: NodeId) -> AlertRule:
        ctx = info.context
        request = rpc.GetAlertRuleRequest(name=str(id))
        return AlertRule.of(await ctx.call(ctx.clients.reputation.GetAlertRule, request))


@strawberry.input(description="The alertRule to delete.")
class DeleteAlertRuleInput(DeleteInput):
    pass


@strawberry.input(description="A new alert rule (enabled unless told).")
class CreateAlertRuleInput(AlertRuleInput):
    request_id: str | None = strawberry.field(
        default=None, description="Makes retries safe: the same id returns the same rule."
    )


@strawberry.input(description="Changes to an alert rule; fields left out stay as they are.")
class UpdateAlertRuleInput(AlertRuleInput):
    id: strawberry.ID = strawberry.field(description="The rule's global id.")
    etag: str | None = strawberry.field(
        default=None, description="The etag it was read with; a stale one is a CONFLICT."
    )


@strawberry.type
class ReputationAlertMutation:
    @payload_mutation(alert_rule=AlertRule, description="Creates an alert rule.")
    async def create_alert_rule(self, info: Info, input: CreateAlertRuleInput) -> AlertRule:
        ctx = info.context
        rule = pb.AlertRule(enabled=True)
        _rule(input, rule)
        request = rpc.CreateAlertRuleRequest(
            parent=ctx.tenant_name, alert_rule=rule, request_id=input.request_id or ""
        )
        return AlertRule.of(await ctx.call(ctx.clients.reputation.CreateAlertRule, request))

    @payload_mutation(
        alert_rule=AlertRule, description="Changes the given fields of an alert rule."
    )
    async def update_alert_rule(self, info: Info, input: UpdateAlertRuleInput) -> AlertRule:
        ctx = info.context
        rule = pb.AlertRule(name=str(input.id), etag=input.etag or "")
        mask = _rule(input, rule)
        request = rpc.UpdateAlertRuleRequest(alert_rule=rule, update_mask=mask)
        return AlertRule.of(await ctx.call(ctx.clients.reputation.UpdateAlertRule, request))

    @payload_mutation(deleted_id=strawberry.ID, description="Deletes an alert rule.")
    async def delete_alert_rule(self, info: Info, input: DeleteAlertRuleInput) -> strawberry.ID:
        ctx = info.context
        request = rpc.DeleteAlertRuleRequest(name=str(input.id), etag=input.etag or "")
        await ctx.call(ctx.clients.reputation.DeleteAlertRule, request)
        return input.id

    @payload_mutation(
        webhook=Webhook, description="Changes the given fields of a webhook (a new secret too)."
    )
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
