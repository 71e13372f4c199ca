"""Alert rules and webhooks through GraphQL, as a front end uses them: a webhook and a rule
created, listed for a brand, updated under an etag, a bad threshold refused with its code,
another tenant seeing nothing (SQLite or PostgreSQL)."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front, refusal

WEBHOOK = """mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id enabled } errors { code reason message field } } }"""
RULE = """mutation($i: CreateAlertRuleInput!) {
  createAlertRule(input: $i) { alertRule { id triggers volumeThreshold windowMinutes webhookIds etag } errors { code reason message field } } }"""
UPDATE = """mutation($i: UpdateAlertRuleInput!) {
  updateAlertRule(input: $i) { alertRule { volumeThreshold displayName etag } errors { code reason message field } } }"""
RULES = """query($b: ID) { alertRules(filter: {brandId: $b}) { nodes { id } pageInfo { hasNextPage } } }"""


@pytest.fixture
async def front(behind_gateway: Any) -> AsyncIterator[tuple[Front, str]]:
    """A front end logged in as the group admin of a tenant (whose name comes with it)."""
    platform = await behind_gateway("reputation", mode="api")
    tenant = platform.tenants["Acme Group"]
    async with graphql_front(platform.app) as front:
        await front.log_in("admin@acme.test", ADMIN_PASSWORD)
        yield front, tenant


def code_of(result: dict[str, Any]) -> str:
    return refusal(result)  # type: ignore[arg-type]


async def test_an_alert_rule_is_created_listed_updated_and_refused_when_bad(
    front: tuple[Front, str],
) -> None:
    gateway, tenant = front
    hook = await gateway.ask(
        WEBHOOK, i={"displayName": "room", "url": "https://hooks.example/x", "secret": "s" * 24}
    )
    hook_id = hook["data"]["createWebhook"]["webhook"]["id"]
    brand = f"{tenant}/brands/lumiere"
    rule_input = {
        "displayName": "loud",
        "brandIds": [brand],
        "triggers": ["VOLUME_ABOVE"],
        "volumeThreshold": 50,
        "webhookIds": [hook_id],
    }
    created = await gateway.ask(RULE, i=rule_input)
    assert created.get("data"), created
    made = created["data"]["createAlertRule"]["alertRule"]
    assert made["triggers"] == ["VOLUME_ABOVE"] and made["webhookIds"] == [hook_id]
    assert made["windowMinutes"] == 60
    listed = await gateway.ask(RULES, b=brand)
    assert [n["id"] for n in listed["data"]["alertRules"]["nodes"]] == [made["id"]]
    updated = await gateway.ask(
        UPDATE, i={"id": made["id"], "volumeThreshold": 80, "etag": made["etag"]}
    )
    assert updated["data"]["updateAlertRule"]["alertRule"]["volumeThreshold"] == 80
    assert updated["data"]["updateAlertRule"]["alertRule"]["displayName"] == "loud"
    stale = await gateway.ask(
        UPDATE, i={"id": made["id"], "volumeThreshold": 90, "etag": made["etag"]}
    )
    assert code_of(stale) == "ETAG_MISMATCH"
    bad = await gateway.ask(RULE, i={**rule_input, "volumeThreshold": 0})
    assert code_of(bad) == "INVALID_THRESHOLD"
    disabled = await gateway.ask(
        "mutation($i: UpdateWebhookInput!) { updateWebhook(input: $i) { webhook { id enabled } errors { code reason message field } } }",
        i={"id": hook_id, "enabled": False},
    )
    assert disabled["data"]["updateWebhook"]["webhook"] == {"id": hook_id, "enabled": False}
    # crisis(id) reads through one BatchGetCrises per request: an unknown one is NOT_FOUND.
    missing = await gateway.ask(
        "query($a: ID!, $b: ID!) { a: crisis(id: $a) { id } b: crisis(id: $b) { id } }",
        a=f"{brand}/crises/01nope",
        b=f"{brand}/crises/01nope2",
    )
    assert code_of(missing) == "CRISIS_NOT_FOUND"
    await gateway.log_in("admin@rival.test", ADMIN_PASSWORD)
    theirs = await gateway.ask("query($id: ID!) { alertRule(id: $id) { id } }", id=made["id"])
    assert code_of(theirs) == "ALERT_RULE_NOT_FOUND"
    assert (await gateway.ask(RULES))["data"]["alertRules"]["nodes"] == []


async def test_creates_retried_with_their_request_id_return_the_first_object(
    front: tuple[Front, str],
) -> None:
    gateway, tenant = front
    hook_input = {"displayName": "room", "url": "https://hooks.example/x", "secret": "s" * 24}
    hooks = [
        (await gateway.ask(WEBHOOK, i={**hook_input, "requestId": "hook-1"}))["data"]
        for _ in range(2)
    ]
    assert hooks[0]["createWebhook"]["webhook"]["id"] == hooks[1]["createWebhook"]["webhook"]["id"]
    hook_id = hooks[0]["createWebhook"]["webhook"]["id"]
    rule_input = {"displayName": "loud", "brandIds": [f"{tenant}/brands/lumiere"],
                  "triggers": ["VOLUME_ABOVE"], "volumeThreshold": 50, "webhookIds": [hook_id],
                  "requestId": "rule-1"}  # fmt: skip
    rules = [(await gateway.ask(RULE, i=rule_input))["data"]["createAlertRule"] for _ in range(2)]
    assert rules[0]["alertRule"], rules
    assert rules[0]["alertRule"]["id"] == rules[1]["alertRule"]["id"] and not rules[1]["errors"]
    listed = await gateway.ask(RULES, b=f"{tenant}/brands/lumiere")
    assert len(listed["data"]["alertRules"]["nodes"]) == 1
