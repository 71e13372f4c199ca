"""Social accounts: several per network per brand, credentials sealed at rest and rotatable,
token health announced once with its cause, and other tenants' accounts out of reach."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from vigie.publisher.v1 import events_pb2
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.credentials import CredentialsUnreadable, CredentialVault
from vigie_publisher.adapters.orm import SocialAccountRow
from vigie_publisher.app import accounts, token_health
from vigie_publisher.app.events import ACCOUNT_DISCONNECTED, ACCOUNT_TOKEN_EXPIRING
from vigie_publisher.domain.publishing import AuthFailed, RateLimited
from vigie_publisher.domain.token_health import HealthRules
from vigie_runtime.errors import InvalidArgument, NotFound, PermissionDenied
from vigie_runtime.host import Plumbing
from vigie_runtime.principal import Role
from vigie_runtime.uow import UnitOfWork

from .conftest import OTHER_TENANT, TENANT, emitted, person

BRAND = f"tenants/{TENANT}/brands/lumiere"
MANAGER = person(Role.SOCIAL_MEDIA_MANAGER)
RULES = HealthRules(warn_before=timedelta(days=3), refresh_before=timedelta(days=1))
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def oauth_account(handle: str, expires: datetime | None = None) -> pb.SocialAccount:
    credentials = pb.SocialAccountCredentials(
        oauth=pb.OAuthCredentials(access_token=f"secret-{handle}", refresh_token="r")
    )
    if expires:
        credentials.oauth.expire_time.FromDatetime(expires)
    return pb.SocialAccount(
        network=pb.NETWORK_X, handle=handle, time_zone="America/New_York", credentials=credentials
    )


async def connect(
    uow: Callable[[], UnitOfWork], vault: CredentialVault, source: pb.SocialAccount
) -> SocialAccountRow:
    async with uow() as u:
        row = await accounts.create(u, vault, MANAGER, BRAND, source, "")
        await u.commit()
        return row


def listed(brand: str) -> rpc.ListSocialAccountsRequest:
    return rpc.ListSocialAccountsRequest(parent=brand)


@pytest.fixture
def vault() -> CredentialVault:
    return CredentialVault([Fernet.generate_key().decode()])


async def test_a_brand_holds_several_accounts_of_one_network_with_their_own_zones(
    uow: Callable[[], UnitOfWork], vault: CredentialVault
) -> None:
    await connect(uow, vault, oauth_account("@lumiere_us"))
    second = oauth_account("@lumiere_jp")
    second.time_zone = "Asia/Tokyo"
    await connect(uow, vault, second)
    async with uow() as u:
        rows = (await accounts.list_for_brand(u, MANAGER, listed(BRAND))).rows
    assert sorted((r.handle, r.time_zone) for r in rows) == [
        ("@lumiere_jp", "Asia/Tokyo"),
        ("@lumiere_us", "America/New_York"),
    ]


async def test_credentials_are_stored_encrypted_and_opened_only_with_a_configured_key(
    uow: Callable[[], UnitOfWork], vault: CredentialVault
) -> None:
    row = await connect(uow, vault, oauth_account("@lumiere"))
    async with uow() as u:
        stored = (await u.session.execute(select(SocialAccountRow.sealed_credentials))).scalar_one()
    assert "secret-@lumiere" not in stored
    assert vault.open(stored)["access_token"] == "secret-@lumiere"
    with pytest.raises(CredentialsUnreadable):
        CredentialVault([Fernet.generate_key().decode()]).open(row.sealed_credentials)


async def test_bad_accounts_are_refused_with_the_field_at_fault(
    uow: Callable[[], UnitOfWork], vault: CredentialVault
) -> None:
    wrong_zone = oauth_account("@lumiere")
    wrong_zone.time_zone = "Europe/Atlantis"
    bluesky_with_oauth = oauth_account("@lumiere")
    bluesky_with_oauth.network = pb.NETWORK_BLUESKY
    for source, field in ((wrong_zone, "time_zone"), (bluesky_with_oauth, "credentials")):
        with pytest.raises(InvalidArgument) as caught:
            await connect(uow, vault, source)
        assert caught.value.field == field


async def test_a_community_manager_cannot_connect_an_account(
    uow: Callable[[], UnitOfWork], vault: CredentialVault
) -> None:
    async with uow() as u:
        with pytest.raises(PermissionDenied):
            await accounts.create(
                u, vault, person(Role.COMMUNITY_MANAGER), BRAND, oauth_account("@x"), ""
            )


async def test_another_tenants_accounts_are_not_found(
    uow: Callable[[], UnitOfWork], vault: CredentialVault
) -> None:
    row = await connect(uow, vault, oauth_account("@lumiere"))
    name = f"tenants/{TENANT}/brands/lumiere/socialAccounts/{row.id}"
    stranger = person(Role.GROUP_ADMIN, tenant=OTHER_TENANT, where=None)
    async with uow() as u:
        with pytest.raises(NotFound):
            await accounts.get(u, stranger, name)
        forged = f"tenants/{OTHER_TENANT}/brands/lumiere/socialAccounts/{row.id}"
        with pytest.raises(NotFound):
            await accounts.get(u, stranger, forged)
        assert (
            await accounts.list_for_brand(
                u, stranger, listed(f"tenants/{OTHER_TENANT}/brands/lumiere")
            )
        ).rows == []


async def sweep(uow: Callable[[], UnitOfWork], now: datetime) -> None:
    async with uow() as u:
        for row in await token_health.watched_accounts(u):
            token_health.note_expiry(u, row, now, RULES)
        await u.commit()


async def test_an_expiring_token_is_announced_once_then_its_expiry_disconnects_once(
    uow: Callable[[], UnitOfWork], vault: CredentialVault, plumbing: Plumbing
) -> None:
    await connect(uow, vault, oauth_account("@lumiere", NOW + timedelta(days=2)))
    for hours in (0, 1, 2):
        await sweep(uow, NOW + timedelta(hours=hours))
    warnings = await emitted(plumbing, ACCOUNT_TOKEN_EXPIRING.ce_type)
    assert len(warnings) == 1
    assert events_pb2.AccountTokenExpiring.FromString(warnings[0]).account.handle == "@lumiere"
    for days in (3, 4):
        await sweep(uow, NOW + timedelta(days=days))
    disconnected = await emitted(plumbing, ACCOUNT_DISCONNECTED.ce_type)
    assert [events_pb2.AccountDisconnected.FromString(d).reason for d in disconnected] == [
        "TOKEN_EXPIRED"
    ]


async def test_a_refused_token_disconnects_with_its_cause_but_a_rate_limit_does_not(
    uow: Callable[[], UnitOfWork], vault: CredentialVault, plumbing: Plumbing
) -> None:
    row = await connect(uow, vault, oauth_account("@lumiere"))
    async with uow() as u:
        account = await u.session.get(SocialAccountRow, row.id)
        assert account is not None
        token_health.record_failure(u, account, RateLimited("429 slow down", None), NOW)
        assert account.token_health == "ok"
        for _ in range(2):
            token_health.record_failure(u, account, AuthFailed("401 ExpiredToken"), NOW)
        await u.commit()
    disconnected = await emitted(plumbing, ACCOUNT_DISCONNECTED.ce_type)
    reasons = [events_pb2.AccountDisconnected.FromString(d).reason for d in disconnected]
    assert reasons == ["AUTH: 401 ExpiredToken"]
