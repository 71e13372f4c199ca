"""What the dispatcher does after each answer of a network: the publication's state machine
`scheduled -> publishing -> published | failed | unknown`. Pure; time is given.

An answer that may have reached the network (`OutcomeUnknown`, a deadline passed, a crash
mid-call) leaves the publication `unknown`: the next attempt looks for the post on the network
before anything else, and never sends blindly.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from vigie_publisher.domain.publishing import (
    AuthFailed,
    OutcomeUnknown,
    PermanentFailure,
    PublishError,
    RateLimited,
)

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Next:
    state: str  # scheduled | failed | unknown
    not_before: datetime
    reason: str  # stable UPPER_SNAKE for `post.failed`, or the cause of a retry


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** max(attempts - 1, 0) * 5, 900))


def after_error(error: PublishError, attempts: int, now: datetime) -> Next:
    if isinstance(error, AuthFailed):
        return Next("failed", now, "ACCOUNT_DISCONNECTED")
    if isinstance(error, PermanentFailure):
        return Next("failed", now, "TEXT_REJECTED")
    if isinstance(error, OutcomeUnknown):
        # Reconciled on the next attempt, however many there were.
        return Next("unknown", now + backoff(1), "OUTCOME_UNKNOWN")
    if isinstance(error, RateLimited):
        # Deferred, never failed: the network said when to come back (or we back off).
        wait = error.retry_after if error.retry_after and error.retry_after > now else None
        return Next("scheduled", wait or now + backoff(attempts), "RATE_LIMITED")
    if attempts >= MAX_ATTEMPTS:
        return Next("failed", now, "TOO_MANY_ATTEMPTS")
    return Next("scheduled", now + backoff(attempts), "TRANSIENT")


def must_reconcile(state: str, attempts: int) -> bool:
    """A publication claimed again after `publishing` (its worker died) or `unknown` may
    already be on the network: look for it first."""
    return state in ("publishing", "unknown") or attempts > 1
