"""The periodic token-health job against the networks' token endpoints (contract doubles):
tokens renewed ahead of expiry, one `account.token_expiring` per expiry that nobody renews in
time, one `account.disconnected` with its cause when the network refuses the renewal."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from vigie.publisher.v1 import events_pb2
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.orm import SocialAccountRow
from vigie_publisher.adapters.token_refreshers import refreshers
from vigie_publisher.app.dispatch.refresh import TokenRefresh
from vigie_publisher.app.events import ACCOUNT_DISCONNECTED, ACCOUNT_TOKEN_EXPIRING
from vigie_publisher.domain.token_health import HealthRules
from vigie_publisher.entrypoints.background.token_sweep import sweep
from vigie_runtime.host import Plumbing
from vigie_runtime.uow import UnitOfWork

from ..contract.conftest import Network
from ..contract.test_token_refreshers_contract import APP, OAuthTokens
from .conftest import TEST_KEY, connect_source, emitted

RULES = HealthRules(warn_before=timedelta(days=3), refresh_before=timedelta(days=1))
VAULT = CredentialVault([TEST_KEY])


def account(
    network: "pb.Network.ValueType", expires_in: timedelta, refresh: str
) -> pb.SocialAccount:
    oauth = pb.OAuthCredentials(access_token="a0", refresh_token=refresh, network_account_id="n1")
    oauth.expire_time.FromDatetime(datetime.now(UTC) + expires_in)
    return pb.SocialAccount(
        network=network,
        handle="lumiere",
        time_zone="Europe/Paris",
        credentials=pb.SocialAccountCredentials(oauth=oauth),
    )


@asynccontextmanager
async def token_endpoint() -> AsyncIterator[tuple[OAuthTokens, str]]:
    network = Network()
    tokens = OAuthTokens(network, rotate=True, secret_in="basic")
    try:
        yield tokens, await network.serve([tokens.route("/2/oauth2/token")])
    finally:
        await network.close()
    assert network.problems == []


def renewing_x(uow: Callable[[], UnitOfWork], url: str) -> TokenRefresh:
    """X renewed (its OAuth client configured); LinkedIn not (no client configured)."""
    only_x = {"x": refreshers(x=APP, api_urls={"x": url})["x"]}
    return TokenRefresh(uow, VAULT, only_x, 5.0, lambda: datetime.now(UTC))


async def rows(uow: Callable[[], UnitOfWork]) -> dict[str, SocialAccountRow]:
    async with uow() as u:
        return {r.network: r for r in (await u.session.execute(select(SocialAccountRow))).scalars()}


async def test_a_token_is_renewed_ahead_of_expiry_and_one_nobody_renews_is_announced_once(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    await connect_source(uow, account(pb.NETWORK_X, timedelta(hours=12), "r1"))
    await connect_source(uow, account(pb.NETWORK_LINKEDIN, timedelta(days=2), "r1"))
    async with token_endpoint() as (tokens, url):
        for _ in range(3):
            await sweep(uow, renewing_x(uow, url), RULES)
    assert tokens.calls == 1  # a fresh two-hour token is not renewed at every sweep
    found = await rows(uow)
    assert VAULT.open(found["x"].sealed_credentials)["refresh_token"] == "r2"
    assert found["x"].token_health == "ok"
    warned = await emitted(plumbing, ACCOUNT_TOKEN_EXPIRING.ce_type)
    networks = [events_pb2.AccountTokenExpiring.FromString(w).account.network for w in warned]
    assert networks == [pb.NETWORK_LINKEDIN]


async def test_a_refused_renewal_disconnects_the_account_once_with_its_cause(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    await connect_source(uow, account(pb.NETWORK_X, timedelta(hours=12), "revoked"))
    async with token_endpoint() as (tokens, url):
        for _ in range(2):
            await sweep(uow, renewing_x(uow, url), RULES)
    assert tokens.calls == 1
    [event] = await emitted(plumbing, ACCOUNT_DISCONNECTED.ce_type)
    reason = events_pb2.AccountDisconnected.FromString(event).reason
    assert reason.startswith("AUTH: 400: invalid_request")
    assert (await rows(uow))["x"].token_health == "revoked"


async def test_a_token_endpoint_that_is_down_warns_once_and_is_tried_again(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    await connect_source(uow, account(pb.NETWORK_X, timedelta(hours=12), "r1"))
    async with token_endpoint() as (tokens, url):
        tokens.network.refuse_next(503, {"title": "Service Unavailable"})
        tokens.network.refuse_next(503, {"title": "Service Unavailable"})
        for _ in range(3):
            await sweep(uow, renewing_x(uow, url), RULES)
    assert tokens.calls == 3
    assert (await rows(uow))["x"].token_health == "ok"
    assert len(await emitted(plumbing, ACCOUNT_TOKEN_EXPIRING.ce_type)) == 1
    assert await emitted(plumbing, ACCOUNT_DISCONNECTED.ce_type) == []
