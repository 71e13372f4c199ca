"""What the dispatcher does after each kind of answer, and how an account's bucket paces it."""

from datetime import UTC, datetime, timedelta

from vigie_publisher.domain.dispatch_rules import MAX_ATTEMPTS, after_error, must_reconcile
from vigie_publisher.domain.publishing import (
    AuthFailed,
    OutcomeUnknown,
    PermanentFailure,
    RateLimited,
    TransientFailure,
)
from vigie_publisher.domain.token_bucket import TokenBucket

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def test_a_refused_token_or_a_refused_text_fails_for_good() -> None:
    assert after_error(AuthFailed("401"), 1, NOW).reason == "ACCOUNT_DISCONNECTED"
    assert after_error(PermanentFailure("400"), 1, NOW).state == "failed"


def test_an_unknown_outcome_is_left_to_reconcile_however_many_attempts() -> None:
    decided = after_error(OutcomeUnknown("timeout"), MAX_ATTEMPTS + 5, NOW)
    assert (decided.state, decided.reason) == ("unknown", "OUTCOME_UNKNOWN")


def test_a_rate_limit_waits_for_the_networks_reset_and_transient_errors_back_off() -> None:
    reset = NOW + timedelta(minutes=15)
    assert after_error(RateLimited("429", reset), 1, NOW).not_before == reset
    first = after_error(TransientFailure("503"), 1, NOW).not_before
    third = after_error(TransientFailure("503"), 3, NOW).not_before
    assert NOW < first < third
    assert after_error(TransientFailure("503"), MAX_ATTEMPTS, NOW).state == "failed"


def test_a_publication_that_may_be_out_already_is_looked_for_first() -> None:
    assert not must_reconcile("scheduled", 1)
    assert must_reconcile("publishing", 1) and must_reconcile("unknown", 1)
    assert must_reconcile("scheduled", 2)


def test_an_accounts_bucket_lets_a_burst_through_then_paces_calls() -> None:
    bucket = TokenBucket(rate_per_s=2.0, burst=3)
    assert [bucket.take(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(0.0) == 0.5
    assert bucket.take(0.5) == 0.0


def test_a_rate_limit_defers_and_never_fails_however_many_attempts() -> None:
    decided = after_error(RateLimited("429", None), MAX_ATTEMPTS + 3, NOW)
    assert (decided.state, decided.reason) == ("scheduled", "RATE_LIMITED")
    assert decided.not_before > NOW


def test_a_429_empties_the_bucket_until_the_reset_then_halves_its_pace() -> None:
    bucket = TokenBucket(rate_per_s=2.0, burst=3)
    assert bucket.take(0.0) == 0.0
    bucket.slow_down(0.0, wait_s=30.0)
    assert bucket.take(0.0) == 30.0
    assert bucket.take(30.0) == 0.0
    assert bucket.take(30.0) == 1.0  # one token a second now, not two


def test_successes_bring_a_slowed_bucket_back_to_its_pace_and_no_further() -> None:
    bucket = TokenBucket(rate_per_s=2.0, burst=3)
    bucket.slow_down(0.0, wait_s=0.0)
    for _ in range(20):
        bucket.succeeded()
    assert bucket.rate_per_s == 2.0
