"""Whether an account's credentials still work, and why not: pure rules, no I/O."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from vigie_publisher.domain.publishing import (
    AuthFailed,
    OutcomeUnknown,
    PermanentFailure,
    PublishError,
    RateLimited,
    TransientFailure,
)


class Health(StrEnum):
    OK = "ok"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Cause(StrEnum):
    """What kind of failure a network answer is: it decides what happens to the account."""

    AUTH = "AUTH"  # credentials refused: the account is disconnected
    RATE_LIMIT = "RATE_LIMIT"  # wait; the account is fine
    TRANSIENT = "TRANSIENT"  # try again later; the account is fine
    PERMANENT = "PERMANENT"  # the request was wrong; the account is fine
    UNKNOWN_OUTCOME = "UNKNOWN_OUTCOME"  # reconcile before anything else


def classify(error: PublishError) -> Cause:
    if isinstance(error, AuthFailed):
        return Cause.AUTH
    if isinstance(error, RateLimited):
        return Cause.RATE_LIMIT
    if isinstance(error, TransientFailure):
        return Cause.TRANSIENT
    if isinstance(error, OutcomeUnknown):
        return Cause.UNKNOWN_OUTCOME
    if isinstance(error, PermanentFailure):
        return Cause.PERMANENT
    return Cause.TRANSIENT


@dataclass(frozen=True)
class HealthRules:
    warn_before: timedelta
    refresh_before: timedelta


def assess(expires_at: datetime | None, now: datetime, rules: HealthRules) -> Health:
    """Health from the expiry date alone (a revocation is learned from the network)."""
    if expires_at is None:
        return Health.OK
    if expires_at <= now:
        return Health.EXPIRED
    if expires_at - now <= rules.warn_before:
        return Health.EXPIRING
    return Health.OK


def needs_refresh(
    expires_at: datetime | None,
    now: datetime,
    rules: HealthRules,
    refreshable: bool,
    lifetime: timedelta | None = None,
) -> bool:
    """Refresh ahead of expiry, so a publication never meets an expired token; a short-lived
    token (X's last two hours) is refreshed in the second half of its life, not at every sweep."""
    if expires_at is None or not refreshable:
        return False
    ahead = min(rules.refresh_before, lifetime / 2) if lifetime else rules.refresh_before
    return expires_at - now <= ahead
