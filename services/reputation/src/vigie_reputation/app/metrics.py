"""The reputation's latencies of the data path, for Prometheus (vigie_runtime.metrics).

Both are measured from the mention's capture by the listener (its `capture_time`), so they add
the relay, NATS and the consumer's wait to the scoring itself: what a watcher of the brand sees.
"""

from datetime import datetime

from vigie_runtime.metrics import pipeline_latency
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisRow

SERVICE = "reputation"

CAPTURE_TO_SCORE = pipeline_latency(
    "vigie_capture_to_score_seconds",
    "From a mention's capture by the listener to its sentiment scored and committed.",
)
CAPTURE_TO_ALERT = pipeline_latency(
    "vigie_capture_to_alert_seconds",
    "From the capture of the mention that opened a crisis to the crisis committed"
    " (its event and webhook deliveries in the outbox).",
)


def crises_opened(uow: UnitOfWork) -> int:
    """Crises opened in this transaction so far (rows added, not flushed: no autoflush)."""
    return sum(1 for row in uow.session.new if isinstance(row, CrisisRow))


def observe_after_commit(uow: UnitOfWork, captured: datetime, raised_alert: bool) -> None:
    """Records the mention's latencies once its transaction commits (never if it rolls back)."""

    def record() -> None:
        CAPTURE_TO_SCORE.observe_since(SERVICE, captured)
        if raised_alert:
            CAPTURE_TO_ALERT.observe_since(SERVICE, captured)

    uow.after_commit(record)


def observe_alert_after_commit(uow: UnitOfWork, captured: datetime) -> None:
    """Records the capture-to-alert latency of the mention that opened a crisis, once its
    transaction commits."""
    uow.after_commit(lambda: CAPTURE_TO_ALERT.observe_since(SERVICE, captured))
