"""Token health of the accounts: warned once before expiry, refreshed ahead of it, and
disconnected (with its cause, once) when the network refuses the credentials."""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from vigie.publisher.v1 import events_pb2
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.orm import SocialAccountRow
from vigie_publisher.app import events, views
from vigie_publisher.app.accounts import subsidiary_of
from vigie_publisher.app.common import utc
from vigie_publisher.domain import token_health as rules_of
from vigie_publisher.domain.publishing import PublishError
from vigie_publisher.domain.token_health import Cause, Health, HealthRules, assess, classify

# (network, stored credentials) -> (new credentials, new expiry); raises a PublishError.
Refresher = Callable[[str, dict[str, Any]], Awaitable[tuple[dict[str, Any], datetime | None]]]


async def watched_accounts(uow: UnitOfWork) -> list[SocialAccountRow]:
    """Every connected account with an expiry, across tenants (the worker's sweep)."""
    query = select(SocialAccountRow).where(
        SocialAccountRow.deleted.is_(False),
        SocialAccountRow.token_expires_at.is_not(None),
        SocialAccountRow.token_health != Health.REVOKED.value,
    )
    return list((await uow.session.execute(query)).scalars())


def note_expiry(
    uow: UnitOfWork,
    row: SocialAccountRow,
    now: datetime,
    rules: HealthRules,
    renewed_in_time: bool = False,
) -> None:
    """Moves the account's health with the clock; each expiry is announced once, unless the
    token is renewed automatically and its renewal is not overdue (`renewed_in_time`)."""
    if row.token_expires_at is None:
        return
    expires = utc(row.token_expires_at)
    health = assess(expires, now, rules)
    if health is Health.EXPIRING and renewed_in_time:
        return
    if health is Health.EXPIRING and (
        row.warned_for_expiry is None or utc(row.warned_for_expiry) != expires
    ):
        row.warned_for_expiry = expires
        row.token_health = health.value
        message = events_pb2.AccountTokenExpiring(
            account=views.account(row),
            subsidiary=subsidiary_of(row),
            expire_time=views.stamp(expires),
        )
        uow.emit(events.ACCOUNT_TOKEN_EXPIRING, row.tenant, message)
    elif health is Health.EXPIRED and row.token_health != Health.EXPIRED.value:
        disconnect(uow, row, Health.EXPIRED, "TOKEN_EXPIRED", now)


def disconnect(
    uow: UnitOfWork, row: SocialAccountRow, health: Health, reason: str, now: datetime
) -> None:
    row.token_health, row.health_cause, row.updated_at = health.value, reason[:500], now
    row.version += 1
    message = events_pb2.AccountDisconnected(
        account=views.account(row), subsidiary=subsidiary_of(row), reason=reason[:500]
    )
    uow.emit(events.ACCOUNT_DISCONNECTED, row.tenant, message)


def record_failure(
    uow: UnitOfWork, row: SocialAccountRow, error: PublishError, now: datetime
) -> Cause:
    """Classifies a network's refusal; only an auth failure disconnects the account (once)."""
    cause = classify(error)
    if cause is Cause.AUTH:
        if row.token_health != Health.REVOKED.value:
            disconnect(uow, row, Health.REVOKED, f"AUTH: {error.detail}", now)
    else:
        row.health_cause = f"{cause.value}: {error.detail}"[:500]
    return cause


def needs_refresh(
    row: SocialAccountRow, now: datetime, rules: HealthRules, lifetime: timedelta | None = None
) -> bool:
    expiry = utc(row.token_expires_at) if row.token_expires_at else None
    refreshable = row.token_health not in (Health.REVOKED.value, Health.EXPIRED.value)
    refreshable = refreshable and row.network != "bluesky"
    return rules_of.needs_refresh(expiry, now, rules, refreshable, lifetime)


def store_refreshed(
    vault: CredentialVault,
    row: SocialAccountRow,
    secrets: dict[str, Any],
    expiry: datetime | None,
    now: datetime,
) -> str:
    """The account healthy again with its new credentials; what is now sealed."""
    row.sealed_credentials, row.token_expires_at = vault.seal(secrets), expiry
    row.token_health, row.health_cause, row.updated_at = Health.OK.value, "", now
    return row.sealed_credentials
