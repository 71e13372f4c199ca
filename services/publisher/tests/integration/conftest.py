"""A migrated publisher database with brands in its replica, and callers of any role."""

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from vigie_publisher.adapters.orm import RUNTIME_TABLES, KnownBrandRow
from vigie_publisher.bootstrap import MIGRATIONS
from vigie_publisher.config import Settings
from vigie_runtime.host import Plumbing
from vigie_runtime.migrations import upgrade
from vigie_runtime.principal import Principal, Role, RoleGrant
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.uow import UnitOfWork

if TYPE_CHECKING:
    from .api_support import Api

TENANT, OTHER_TENANT = "t_acme", "t_rival"
# One credentials key for the session: what `connect_account` seals, dispatchers open.
TEST_KEY = "8l6nUIlx6X5oKxmd6p2oEFXGk3SfE5xPC0Tt0jL5Arc="
FRANCE = f"tenants/{TENANT}/subsidiaries/france"


def person(
    role: Role, member: str = "m1", tenant: str = TENANT, where: str | None = FRANCE
) -> Principal:
    return Principal(
        subject=f"tenants/{tenant}/members/{member}",
        tenant=tenant,
        grants=(RoleGrant(role, where),),
    )


@pytest.fixture
def db_settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        platform=PlatformSettings(jwks_file=tmp_path / "jwks.json", environment="test"),
    )


@pytest.fixture
async def plumbing(db_settings: Settings) -> AsyncIterator[Plumbing]:
    await asyncio.to_thread(upgrade, MIGRATIONS, db_settings.database_url)
    plumbing = Plumbing("publisher", db_settings, RUNTIME_TABLES)
    async with plumbing.uow() as uow:
        for tenant in (TENANT, OTHER_TENANT):
            uow.session.add(
                KnownBrandRow(
                    tenant=tenant,
                    id="lumiere",
                    subsidiary_id="france",
                    display_name="Lumière",
                    kind="own",
                    aliases=[],
                    competitors=[],
                    deleted=False,
                    updated_at=datetime(2026, 1, 1, tzinfo=UTC),
                )
            )
        await uow.commit()
    try:
        yield plumbing
    finally:
        await plumbing.close()


@pytest.fixture
def uow(plumbing: Plumbing) -> Callable[[], UnitOfWork]:
    return plumbing.uow


async def emitted(plumbing: Plumbing, event_type: str) -> list[bytes]:
    """Payloads of the events of one CloudEvents type written to the outbox, oldest first."""
    from sqlalchemy import select

    outbox = RUNTIME_TABLES.outbox
    query = select(outbox.c.payload).where(outbox.c.type == event_type).order_by(outbox.c.seq)
    async with plumbing.engine.connect() as connection:
        return [bytes(p) for p in (await connection.execute(query)).scalars()]


BRAND_NAME = f"tenants/{TENANT}/brands/lumiere"


def account_source(network: int, handle: str, time_zone: str = "Europe/Paris") -> object:
    from vigie.publisher.v1 import resources_pb2 as pb

    credentials = pb.SocialAccountCredentials()
    if network == pb.NETWORK_BLUESKY:
        credentials.bluesky.CopyFrom(
            pb.BlueskyCredentials(service_url="http://pds", identifier=handle, app_password="p")
        )
    elif network == pb.NETWORK_MASTODON:
        credentials.mastodon.CopyFrom(
            pb.MastodonCredentials(instance_url="http://m", access_token="t")
        )
    else:
        credentials.oauth.CopyFrom(pb.OAuthCredentials(access_token="t", network_account_id="a1"))
    return pb.SocialAccount(
        network=network,
        handle=handle,
        time_zone=time_zone,
        credentials=credentials,  # type: ignore[arg-type]
    )


async def connect_account(
    uow: Callable[[], UnitOfWork], network: int, handle: str, time_zone: str = "Europe/Paris"
) -> str:
    """Connects an account to the brand; its resource name."""
    return await connect_source(uow, account_source(network, handle, time_zone))


async def connect_source(uow: Callable[[], UnitOfWork], source: object) -> str:
    """Connects the account described by `source` (a `SocialAccount`) to the brand."""
    from vigie_publisher.adapters.credentials import CredentialVault
    from vigie_publisher.app import accounts

    vault = CredentialVault([TEST_KEY])
    manager = person(Role.SOCIAL_MEDIA_MANAGER)
    async with uow() as u:
        row = await accounts.create(u, vault, manager, BRAND_NAME, source, "")  # type: ignore[arg-type]
        await u.commit()
    return f"{BRAND_NAME}/socialAccounts/{row.id}"


@pytest.fixture
async def api(plumbing: Plumbing, db_settings: Settings) -> AsyncIterator["Api"]:
    """The publisher served on loopback, and a client (see `api_support`)."""
    from .api_support import serve_api

    async for client in serve_api(db_settings):
        yield client
