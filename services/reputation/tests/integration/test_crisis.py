"""Crisis detection as it runs: a burst of negative mentions after a steady history opens a
crisis whose event and signed webhook arrive; a steady stream opens nothing; a receiver that
fails is retried, one that hangs never blocks scoring (SQLite or PostgreSQL)."""

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import grpc
from vigie.reputation.v1 import events_pb2
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_reputation.app.events import ALERT_FIRED, CRISIS_OPENED, MENTION_SCORED
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Received, Receiver, Reputation

TENANT = "t_acme"
SECRET = "a-shared-secret-of-32-characters"
HISTORY_BUCKETS = 48  # 4 hours of 5-minute buckets, after a 2-hour warm-up
BURST = 80  # negative mentions in one 5-minute bucket, against about 1 usually


async def feed_history(reputation: "Reputation", now_bucket: datetime) -> int:
    """3 mentions per bucket (1 negative, 2 positive) for 4 hours before `now_bucket`."""
    listener, count = reputation.listener, 0
    for bucket in range(HISTORY_BUCKETS, 0, -1):
        at = now_bucket - timedelta(minutes=5 * bucket) + timedelta(seconds=10)
        for i, text in enumerate(["awful, I hate it", "love it, great", "wonderful, love it"]):
            await listener.capture(TENANT, f"h{bucket}-{i}", text, published=at)
            count += 1
    return count


async def webhook(reputation: "Reputation", receiver: "Receiver", subsidiary: str = "") -> str:
    request = rpc.CreateWebhookRequest(
        parent=f"tenants/{TENANT}",
        webhook=pb.Webhook(
            display_name="crisis room", url=receiver.url, secret=SECRET, subsidiary=subsidiary
        ),
    )
    created = await reputation.stub.CreateWebhook(request, metadata=reputation.admin(TENANT))
    return str(created.name)


async def crisis_rule(reputation: "Reputation", hook: str) -> str:
    rule = pb.AlertRule(
        display_name="crisis opened",
        triggers=[pb.ALERT_TRIGGER_CRISIS_OPENED],
        min_severity=pb.CRISIS_SEVERITY_LOW,
        webhooks=[hook],
        enabled=True,
    )
    request = rpc.CreateAlertRuleRequest(parent=f"tenants/{TENANT}", alert_rule=rule)
    made = await reputation.stub.CreateAlertRule(request, metadata=reputation.admin(TENANT))
    return str(made.name)


def now_bucket() -> datetime:
    now = datetime.now(UTC)
    return now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)


async def test_a_burst_of_negative_mentions_opens_a_crisis_whose_event_and_webhook_arrive(
    reputation_with_crisis_settings: "Reputation",
    reputation_events: "Received",
    receivers: Any,
    refused: Any,
) -> None:
    reputation = reputation_with_crisis_settings
    flaky: Receiver = await receivers(fail_first=2)
    hanging: Receiver = await receivers(hang=True)
    flaky_hook = await webhook(reputation, flaky, f"tenants/{TENANT}/subsidiaries/france")
    hanging_hook = await webhook(reputation, hanging)
    alerted: Receiver = await receivers()
    # Another subsidiary's webhook: it hears of this crisis only through the rule naming it.
    brasil = f"tenants/{TENANT}/subsidiaries/brasil"
    rule = await crisis_rule(reputation, await webhook(reputation, alerted, brasil))
    bucket = now_bucket()
    total = await feed_history(reputation, bucket)
    for i in range(BURST):
        text = "worst brand ever, disgusting, awful, I hate them"
        await reputation.listener.capture(
            TENANT,
            f"b{i}",
            text,
            published=bucket + timedelta(seconds=20),
            language="fr",
            author=f"@angry{i % 3}.bsky.social",
        )
    total += BURST
    await eventually(lambda: _count(reputation_events, CRISIS_OPENED.ce_type, 1), 60)
    # The hanging receiver never held scoring back: every mention was scored.
    await eventually(lambda: _count(reputation_events, MENTION_SCORED.ce_type, total), 60)
    opened = events_pb2.CrisisOpened.FromString(
        reputation_events.of_type(CRISIS_OPENED.ce_type)[0].data
    )
    crisis = opened.crisis
    assert crisis.status == pb.CRISIS_STATUS_OPENED
    assert opened.subsidiary == f"tenants/{TENANT}/subsidiaries/france"
    explanation = crisis.explanation
    assert explanation.signal in {"volume", "negative_volume"}
    assert explanation.observed > explanation.baseline
    assert explanation.top_languages[0].value == "fr"
    assert explanation.top_authors[0].value.startswith("@angry")
    assert explanation.top_mentions[0].label == pb.SENTIMENT_LABEL_NEGATIVE
    # The failing receiver got it on its third try, signed with the shared secret.
    await eventually(lambda: _answered(flaky, 3), 30)
    headers, body = flaky.requests[-1]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-vigie-signature"] == expected
    assert json.loads(body)["data"]["crisis"]["name"] == crisis.name
    stub, auth = reputation.stub, reputation.admin(TENANT)
    await eventually(lambda: _delivered(reputation, flaky_hook), 30)
    log = await stub.ListWebhookDeliveries(
        rpc.ListWebhookDeliveriesRequest(parent=flaky_hook), metadata=auth
    )
    (delivery,) = log.deliveries
    assert delivery.attempts == 3 and delivery.last_status_code == 204
    await eventually(lambda: _attempted(reputation, hanging_hook), 30)
    read = await stub.GetCrisis(rpc.GetCrisisRequest(name=crisis.name), metadata=auth)
    assert read.explanation.summary == explanation.summary
    listed = await stub.ListCrises(rpc.ListCrisesRequest(parent=f"tenants/{TENANT}"), metadata=auth)
    assert [c.name for c in listed.crises] == [crisis.name]
    batch = rpc.BatchGetCrisesRequest(parent=f"tenants/{TENANT}", names=[crisis.name])
    assert [c.name for c in (await stub.BatchGetCrises(batch, metadata=auth)).crises] == [
        crisis.name
    ]
    batch.parent = "tenants/t_other"
    await refused(
        stub.BatchGetCrises(batch, metadata=reputation.admin("t_other")),
        grpc.StatusCode.NOT_FOUND,
        "CRISIS_NOT_FOUND",
    )
    # The rule watching openings fired once, and its webhook was told.
    await eventually(lambda: _count(reputation_events, ALERT_FIRED.ce_type, 1), 30)
    (fired,) = reputation_events.of_type(ALERT_FIRED.ce_type)
    alert = events_pb2.AlertFired.FromString(fired.data)
    assert (alert.alert_rule, alert.crisis) == (rule, crisis.name)
    assert alert.trigger == pb.ALERT_TRIGGER_CRISIS_OPENED
    await eventually(lambda: _answered(alerted, 1), 30)
    (_, body), *_ = alerted.requests
    assert json.loads(body)["type"] == ALERT_FIRED.ce_type


async def test_a_steady_stream_opens_no_crisis(
    reputation_with_crisis_settings: "Reputation", reputation_events: "Received", receivers: Any
) -> None:
    reputation = reputation_with_crisis_settings
    receiver: Receiver = await receivers()
    await webhook(reputation, receiver)
    bucket = now_bucket()
    total = await feed_history(reputation, bucket)
    for i, text in enumerate(["awful, I hate it", "love it, great", "wonderful, love it"]):
        await reputation.listener.capture(
            TENANT, f"now-{i}", text, published=bucket + timedelta(seconds=20)
        )
    await eventually(lambda: _count(reputation_events, MENTION_SCORED.ce_type, total + 3), 60)
    assert reputation_events.of_type(CRISIS_OPENED.ce_type) == []
    listed = await reputation.stub.ListCrises(
        rpc.ListCrisesRequest(parent=f"tenants/{TENANT}"), metadata=reputation.admin(TENANT)
    )
    assert list(listed.crises) == [] and receiver.requests == []


async def _count(received: "Received", ce_type: str, count: int) -> bool:
    return len(received.of_type(ce_type)) >= count


async def _answered(receiver: "Receiver", count: int) -> bool:
    return receiver.answered >= count


async def _delivered(reputation: "Reputation", hook: str) -> bool:
    log = await reputation.stub.ListWebhookDeliveries(
        rpc.ListWebhookDeliveriesRequest(parent=hook), metadata=reputation.admin(TENANT)
    )
    return any(d.state == pb.WEBHOOK_DELIVERY_STATE_DELIVERED for d in log.deliveries)


async def _attempted(reputation: "Reputation", hook: str) -> bool:
    log = await reputation.stub.ListWebhookDeliveries(
        rpc.ListWebhookDeliveriesRequest(parent=hook), metadata=reputation.admin(TENANT)
    )
    return any(d.attempts >= 1 and "no answer" in d.last_error for d in log.deliveries)
