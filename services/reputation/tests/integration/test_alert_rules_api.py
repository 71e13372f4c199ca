"""Alert rules over gRPC: bad input refused with its reason, updates under a mask and an
etag, other tenants' rules invisible and their webhooks unusable (SQLite or PostgreSQL)."""

from typing import TYPE_CHECKING, Any

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.principal import Role

if TYPE_CHECKING:
    from conftest import Reputation

TENANT = "t_acme"
PARENT = f"tenants/{TENANT}"
SECRET = "a-shared-secret-of-32-characters"


def create() -> rpc.CreateWebhookRequest:
    webhook = pb.Webhook(display_name="room", url="https://hooks.example/x", secret=SECRET)
    return rpc.CreateWebhookRequest(parent=PARENT, webhook=webhook)


async def a_webhook(reputation: "Reputation", tenant: str = TENANT) -> str:
    request = create()
    request.parent = f"tenants/{tenant}"
    made = await reputation.stub.CreateWebhook(request, metadata=reputation.admin(tenant))
    return str(made.name)


def rule(webhook: str, **fields: Any) -> pb.AlertRule:
    values: dict[str, Any] = {
        "display_name": "negative wave",
        "triggers": [pb.ALERT_TRIGGER_NEGATIVE_SHARE_ABOVE],
        "negative_share_threshold": 0.4,
        "webhooks": [webhook],
        "enabled": True,
    }
    values.update(fields)
    return pb.AlertRule(**values)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"triggers": []}, "NO_TRIGGER"),
        ({"negative_share_threshold": 1.5}, "INVALID_THRESHOLD"),
        ({"triggers": [pb.ALERT_TRIGGER_INDEX_BELOW]}, "INVALID_THRESHOLD"),
        ({"triggers": [pb.ALERT_TRIGGER_VOLUME_ABOVE]}, "INVALID_THRESHOLD"),
        ({"window_minutes": 2}, "INVALID_WINDOW"),
        ({"webhooks": []}, "NO_WEBHOOK"),
        ({"webhooks": [f"{PARENT}/webhooks/01nope"]}, "INVALID_ARGUMENT"),
        ({"display_name": " "}, "INVALID_ARGUMENT"),
        ({"brands": ["brands/lumiere"]}, "INVALID_ARGUMENT"),
        ({"triggers": [99]}, "INVALID_ARGUMENT"),
    ],
)
async def test_a_bad_alert_rule_is_refused_with_its_reason(
    reputation: "Reputation", fields: dict[str, Any], reason: str, refused: Any
) -> None:
    hook = await a_webhook(reputation)
    request = rpc.CreateAlertRuleRequest(parent=PARENT, alert_rule=rule(hook, **fields))
    call = reputation.stub.CreateAlertRule(request, metadata=reputation.admin(TENANT))
    await refused(call, grpc.StatusCode.INVALID_ARGUMENT, reason)


async def test_an_alert_rule_is_created_once_read_listed_updated_and_deleted(
    reputation: "Reputation",
    refused: Any,
) -> None:
    stub, auth = reputation.stub, reputation.admin(TENANT)
    hook = await a_webhook(reputation)
    lumiere = f"{PARENT}/brands/lumiere"
    request = rpc.CreateAlertRuleRequest(
        parent=PARENT, alert_rule=rule(hook, brands=[lumiere]), request_id="rule-1"
    )
    made = await stub.CreateAlertRule(request, metadata=auth)
    again = await stub.CreateAlertRule(request, metadata=auth)
    assert again.name == made.name and made.window_minutes == 60 and made.cooldown_minutes == 30
    read = await stub.GetAlertRule(rpc.GetAlertRuleRequest(name=made.name), metadata=auth)
    assert read == made and list(read.brands) == [lumiere] and list(read.webhooks) == [hook]
    for brand, expected in [(lumiere, [made.name]), (f"{PARENT}/brands/rival", [])]:
        listed = await stub.ListAlertRules(
            rpc.ListAlertRulesRequest(parent=PARENT, brand=brand), metadata=auth
        )
        assert [r.name for r in listed.alert_rules] == expected
    change = pb.AlertRule(name=made.name, etag=made.etag, negative_share_threshold=0.6)
    updated = await stub.UpdateAlertRule(
        rpc.UpdateAlertRuleRequest(
            alert_rule=change, update_mask=FieldMask(paths=["negative_share_threshold"])
        ),
        metadata=auth,
    )
    assert updated.negative_share_threshold == 0.6 and updated.display_name == made.display_name
    assert updated.etag != made.etag
    stale = rpc.UpdateAlertRuleRequest(
        alert_rule=change, update_mask=FieldMask(paths=["negative_share_threshold"])
    )
    await refused(
        stub.UpdateAlertRule(stale, metadata=auth), grpc.StatusCode.ABORTED, "ETAG_MISMATCH"
    )
    await stub.DeleteAlertRule(
        rpc.DeleteAlertRuleRequest(name=made.name, etag=updated.etag), metadata=auth
    )
    await refused(
        stub.GetAlertRule(rpc.GetAlertRuleRequest(name=made.name), metadata=auth),
        grpc.StatusCode.NOT_FOUND,
        "ALERT_RULE_NOT_FOUND",
    )


async def test_an_update_may_not_name_a_field_it_cannot_change(
    reputation: "Reputation", refused: Any
) -> None:
    stub, auth = reputation.stub, reputation.admin(TENANT)
    made = await stub.CreateAlertRule(
        rpc.CreateAlertRuleRequest(parent=PARENT, alert_rule=rule(await a_webhook(reputation))),
        metadata=auth,
    )
    request = rpc.UpdateAlertRuleRequest(
        alert_rule=pb.AlertRule(name=made.name), update_mask=FieldMask(paths=["create_time"])
    )
    await refused(
        stub.UpdateAlertRule(request, metadata=auth),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
    )


async def test_another_tenant_can_neither_see_nor_change_a_rule_nor_use_a_webhook(
    reputation: "Reputation",
    refused: Any,
) -> None:
    stub = reputation.stub
    hook = await a_webhook(reputation)
    made = await stub.CreateAlertRule(
        rpc.CreateAlertRuleRequest(parent=PARENT, alert_rule=rule(hook)),
        metadata=reputation.admin(TENANT),
    )
    other = reputation.admin("t_other")
    for call in (
        stub.GetAlertRule(rpc.GetAlertRuleRequest(name=made.name), metadata=other),
        stub.DeleteAlertRule(rpc.DeleteAlertRuleRequest(name=made.name), metadata=other),
        stub.UpdateAlertRule(
            rpc.UpdateAlertRuleRequest(alert_rule=pb.AlertRule(name=made.name, enabled=False)),
            metadata=other,
        ),
    ):
        await refused(call, grpc.StatusCode.NOT_FOUND, "ALERT_RULE_NOT_FOUND")
    await refused(
        stub.ListAlertRules(rpc.ListAlertRulesRequest(parent=PARENT), metadata=other),
        grpc.StatusCode.NOT_FOUND,
        "TENANT_NOT_FOUND",
    )
    theirs = rpc.CreateAlertRuleRequest(parent="tenants/t_other", alert_rule=rule(hook))
    await refused(
        stub.CreateAlertRule(theirs, metadata=other), grpc.StatusCode.NOT_FOUND, "WEBHOOK_NOT_FOUND"
    )
    listed = await stub.ListAlertRules(
        rpc.ListAlertRulesRequest(parent="tenants/t_other"), metadata=other
    )
    assert list(listed.alert_rules) == []


async def test_an_analyst_may_read_but_not_create_a_rule(
    reputation: "Reputation", refused: Any
) -> None:
    hook = await a_webhook(reputation)
    analyst = reputation.as_role(TENANT, Role.ANALYST)
    request = rpc.CreateAlertRuleRequest(parent=PARENT, alert_rule=rule(hook))
    await refused(
        reputation.stub.CreateAlertRule(request, metadata=analyst),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )
    listed = await reputation.stub.ListAlertRules(
        rpc.ListAlertRulesRequest(parent=PARENT), metadata=analyst
    )
    assert list(listed.alert_rules) == []


async def test_a_webhook_update_changes_the_named_fields_and_reseals_a_new_secret(
    reputation: "Reputation",
    refused: Any,
) -> None:
    from sqlalchemy import select
    from vigie_reputation.adapters.orm import WebhookRow

    stub, auth = reputation.stub, reputation.admin(TENANT)
    made = await stub.CreateWebhook(create(), metadata=auth)
    (before,) = await reputation.store.rows(select(WebhookRow.secret))
    assert SECRET not in before.secret  # sealed at rest
    change = pb.Webhook(
        name=made.name, etag=made.etag, url="https://hooks.example/y", secret="x" * 20
    )
    updated = await stub.UpdateWebhook(
        rpc.UpdateWebhookRequest(webhook=change, update_mask=FieldMask(paths=["url", "secret"])),
        metadata=auth,
    )
    assert updated.url == "https://hooks.example/y" and updated.display_name == made.display_name
    (after,) = await reputation.store.rows(select(WebhookRow.secret))
    assert after.secret != before.secret and "x" * 20 not in after.secret
    stale = rpc.UpdateWebhookRequest(webhook=change, update_mask=FieldMask(paths=["url"]))
    await refused(
        stub.UpdateWebhook(stale, metadata=auth), grpc.StatusCode.ABORTED, "ETAG_MISMATCH"
    )
    weak = rpc.UpdateWebhookRequest(
        webhook=pb.Webhook(name=made.name, secret="short"), update_mask=FieldMask(paths=["secret"])
    )
    await refused(
        stub.UpdateWebhook(weak, metadata=auth), grpc.StatusCode.INVALID_ARGUMENT, "WEAK_SECRET"
    )
    theirs = rpc.UpdateWebhookRequest(webhook=pb.Webhook(name=made.name, enabled=False))
    await refused(
        stub.UpdateWebhook(theirs, metadata=reputation.admin("t_other")),
        grpc.StatusCode.NOT_FOUND,
        "WEBHOOK_NOT_FOUND",
    )
