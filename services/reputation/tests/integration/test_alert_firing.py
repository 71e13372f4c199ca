"""Alert rules firing as mentions are scored: a volume rule fires when its measure crosses the
threshold and not again until it went back below, only for its own tenant; the index is
announced per bucket, not per mention (SQLite or PostgreSQL)."""

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from vigie.reputation.v1 import events_pb2
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_reputation.app.events import ALERT_FIRED, INDEX_UPDATED, MENTION_SCORED
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Received, Receiver, Reputation

TENANT, OTHER = "t_acme", "t_other"
SECRET = "a-shared-secret-of-32-characters"
# Mentions per 5-minute bucket, oldest first: above 5 at buckets 1, 2 and 4; back to 2 at 3.
VOLUMES = [2, 8, 8, 2, 8, 1]


async def volume_rule(reputation: "Reputation", tenant: str, url: str) -> str:
    auth = reputation.admin(tenant)
    hook = await reputation.stub.CreateWebhook(
        rpc.CreateWebhookRequest(
            parent=f"tenants/{tenant}",
            webhook=pb.Webhook(display_name="volume", url=url, secret=SECRET),
        ),
        metadata=auth,
    )
    rule = pb.AlertRule(
        display_name="loud",
        brands=[f"tenants/{tenant}/brands/lumiere"],
        triggers=[pb.ALERT_TRIGGER_VOLUME_ABOVE],
        volume_threshold=5,
        window_minutes=5,
        cooldown_minutes=1,
        webhooks=[hook.name],
        enabled=True,
    )
    made = await reputation.stub.CreateAlertRule(
        rpc.CreateAlertRuleRequest(parent=f"tenants/{tenant}", alert_rule=rule), metadata=auth
    )
    return str(made.name)


async def test_a_volume_rule_fires_on_crossing_and_again_only_after_going_back_below(
    reputation: "Reputation", reputation_events: "Received", receivers: Any
) -> None:
    receiver: Receiver = await receivers()
    rule = await volume_rule(reputation, TENANT, receiver.url)
    await volume_rule(reputation, OTHER, receiver.url)  # never fires: no mention of its own
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=2)
    start -= timedelta(minutes=start.minute % 5)
    total = 0
    for bucket, volume in enumerate(VOLUMES):
        at = start + timedelta(minutes=5 * bucket, seconds=30)
        for i in range(volume):
            text = "awful, I hate it" if i % 2 else "love it, great"
            await reputation.listener.capture(TENANT, f"m{bucket}-{i}", text, published=at)
            total += 1
    await eventually(lambda: _count(reputation_events, MENTION_SCORED.ce_type, total), 60)
    # Buckets 0 to 4 closed (the last one stays open): the rule fired at 1, re-armed at 3,
    # fired again at 4.
    await eventually(lambda: _count(reputation_events, ALERT_FIRED.ce_type, 2), 30)
    fired = [
        events_pb2.AlertFired.FromString(m.data)
        for m in reputation_events.of_type(ALERT_FIRED.ce_type)
    ]
    assert [(f.alert_rule, f.value) for f in fired] == [(rule, 8.0), (rule, 8.0)]
    assert all(f.trigger == pb.ALERT_TRIGGER_VOLUME_ABOVE and f.threshold == 5 for f in fired)
    # Each firing reached the rule's webhook, signed with its secret.
    await eventually(lambda: _answered(receiver, 2), 30)
    for headers, body in receiver.requests:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers["x-vigie-signature"] == expected
        assert json.loads(body)["data"]["alertRule"] == rule
    # The index is announced per closed bucket that moved it, never per mention.
    updates = reputation_events.of_type(INDEX_UPDATED.ce_type)
    assert 1 <= len(updates) <= len(VOLUMES) - 1
    index = events_pb2.IndexUpdated.FromString(updates[0].data).index
    assert index.brand == f"tenants/{TENANT}/brands/lumiere" and 0 <= index.value <= 100


async def test_a_redelivered_mention_fires_no_rule_twice(
    reputation: "Reputation", reputation_events: "Received", receivers: Any
) -> None:
    receiver: Receiver = await receivers()
    await volume_rule(reputation, TENANT, receiver.url)
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)
    start -= timedelta(minutes=start.minute % 5)
    for bucket, volume in enumerate([8, 1]):
        at = start + timedelta(minutes=5 * bucket, seconds=30)
        for i in range(volume):
            await reputation.listener.capture(TENANT, f"r{bucket}-{i}", "meh", published=at)
    # The closing mention published again under another message id: skipped by the inbox;
    # a mention after it shows it was handled.
    later = start + timedelta(minutes=5, seconds=30)
    await reputation.listener.capture(TENANT, "r1-0", "meh", published=later, msg_id="again")
    await reputation.listener.capture(TENANT, "r1-1", "meh", published=later)
    await eventually(lambda: reputation.processed(10), 60)
    await eventually(lambda: _count(reputation_events, ALERT_FIRED.ce_type, 1), 30)
    assert len(reputation_events.of_type(ALERT_FIRED.ce_type)) == 1


async def _count(received: "Received", ce_type: str, count: int) -> bool:
    return len(received.of_type(ce_type)) >= count


async def _answered(receiver: "Receiver", count: int) -> bool:
    return receiver.answered >= count
