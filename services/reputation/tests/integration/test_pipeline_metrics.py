"""The reputation's data-path histograms as Prometheus reads them: each mention scored once
counts once in capture-to-score, from its capture time; the mention that opens a crisis counts
in capture-to-alert (SQLite or PostgreSQL). The registry is the process's: deltas, no timings."""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from prometheus_client import REGISTRY
from vigie_reputation.app.events import CRISIS_OPENED, MENTION_SCORED
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Received, Reputation

TENANT = "t_metrics"
SCORE = "vigie_capture_to_score_seconds"
ALERT = "vigie_capture_to_alert_seconds"


def observed(name: str, bucket: str | None = None) -> float:
    labels = {"service": "reputation"}
    if bucket is None:
        return REGISTRY.get_sample_value(f"{name}_count", labels) or 0.0
    return REGISTRY.get_sample_value(f"{name}_bucket", {**labels, "le": bucket}) or 0.0


def duplicates() -> float:
    labels = {"service": "reputation", "durable": "reputation-mentions", "outcome": "duplicate"}
    return REGISTRY.get_sample_value("vigie_consumer_events_total", labels) or 0.0


async def _count(received: "Received", ce_type: str, count: int) -> bool:
    return len(received.of_type(ce_type)) >= count


async def test_a_mention_counts_once_from_its_capture_time_even_redelivered(
    reputation: "Reputation", reputation_events: "Received"
) -> None:
    before = observed(SCORE), observed(SCORE, "300.0"), observed(SCORE, "900.0")
    duplicates_before = duplicates()
    captured = datetime.now(UTC) - timedelta(minutes=10)
    await reputation.listener.capture(TENANT, "m1", "love it", published=captured)
    # The same event published again past JetStream's de-duplication: scored once.
    await reputation.listener.capture(TENANT, "m1", "love it", published=captured, msg_id="again")
    await eventually(lambda: _count(reputation_events, MENTION_SCORED.ce_type, 1), 60)

    async def copy_skipped() -> bool:
        return duplicates() - duplicates_before == 1

    await eventually(copy_skipped, 60)
    after = observed(SCORE), observed(SCORE, "300.0"), observed(SCORE, "900.0")
    assert after[0] - before[0] == 1
    # Captured ten minutes ago: past the 5-minute bucket, within the 15-minute one.
    assert after[1] - before[1] == 0
    assert after[2] - before[2] == 1


async def test_the_mention_that_opens_a_crisis_counts_in_capture_to_alert(
    reputation_with_crisis_settings: "Reputation", reputation_events: "Received"
) -> None:
    reputation = reputation_with_crisis_settings
    now = datetime.now(UTC)
    bucket = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
    texts = ["awful, I hate it", "love it, great", "wonderful, love it"]
    for back in range(48, 0, -1):
        at = bucket - timedelta(minutes=5 * back) + timedelta(seconds=10)
        for i, text in enumerate(texts):
            await reputation.listener.capture(TENANT, f"h{back}-{i}", text, published=at)
    await eventually(lambda: _count(reputation_events, MENTION_SCORED.ce_type, 48 * 3), 60)
    alerts_before = observed(ALERT)
    for i in range(80):
        await reputation.listener.capture(
            TENANT,
            f"b{i}",
            "worst brand ever, disgusting, awful, I hate them",
            published=bucket + timedelta(seconds=20),
            author=f"@angry{i % 3}.bsky.social",
        )
    await eventually(lambda: _count(reputation_events, CRISIS_OPENED.ce_type, 1), 60)
    await eventually(lambda: _count(reputation_events, MENTION_SCORED.ce_type, 48 * 3 + 80), 60)
    assert observed(ALERT) - alerts_before == len(reputation_events.of_type(CRISIS_OPENED.ce_type))
