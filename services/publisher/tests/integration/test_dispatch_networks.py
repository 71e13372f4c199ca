"""The dispatcher publishing to every network through its adapter, chosen from the account's
network, against the networks' contract doubles: exactly once (the network's idempotency, or
a lookup before any resend), rate limits deferring and slowing the account, refused tokens
refreshed or the account disconnected, one account's failure never re-sending to another."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from vigie.publisher.v1 import events_pb2
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.orm import PublicationRow, SocialAccountRow
from vigie_publisher.adapters.token_refreshers import refreshers
from vigie_publisher.app.common import utc
from vigie_publisher.app.dispatch.claims import claim_due
from vigie_publisher.app.dispatch.dispatcher import outgoing
from vigie_publisher.app.events import ACCOUNT_DISCONNECTED, POST_FAILED
from vigie_publisher.app.token_health import Refresher
from vigie_runtime.host import Plumbing
from vigie_runtime.testing.databases import backend
from vigie_runtime.uow import UnitOfWork

from ..contract import test_x_contract as x_contract
from ..contract.conftest import Network
from ..contract.test_token_refreshers_contract import APP, OAuthTokens
from .conftest import TEST_KEY, emitted
from .network_doubles import (
    KINDS,
    Served,
    connect,
    dispatcher,
    one_post_due,
    scheduled,
    served,
    soon,
)


async def publications(uow: Callable[[], UnitOfWork]) -> dict[str, PublicationRow]:
    async with uow() as u:
        rows = (await u.session.execute(select(PublicationRow))).scalars()
        return {r.network: r for r in rows}


@pytest.mark.parametrize("name", sorted(KINDS))
async def test_each_network_gets_the_post_once_through_its_own_adapter(
    uow: Callable[[], UnitOfWork], name: str
) -> None:
    async with served(name) as network:
        at = await one_post_due(uow, network, f"Hello from Lumière on {name}")
        assert await dispatcher(uow, [network], at).tick() == 1
        row = (await publications(uow))[name]
        assert (row.state, row.attempts) == ("published", 1)
        [post] = network.published
        assert row.external_id == str(post["id"])


@pytest.mark.parametrize("name", sorted(KINDS))
async def test_a_post_out_before_the_worker_died_is_found_on_the_network_not_resent(
    uow: Callable[[], UnitOfWork], name: str
) -> None:
    async with served(name) as network:
        at = await one_post_due(uow, network, f"Out before the crash {name}")
        # A first worker claims and publishes, then dies before recording anything.
        async with uow() as u:
            [claim] = await claim_due(u, at, 10, timedelta(minutes=2), backend() == "postgresql")
            await u.commit()
        first = dispatcher(uow, [network], at)
        adapter = await first._pool.adapter(claim.account_id, name, claim.sealed_credentials)
        sent = await adapter.publish(outgoing(claim))
        await first._pool.aclose()
        # After its lease, another worker looks on the network before anything else.
        await dispatcher(uow, [network], at + timedelta(minutes=3)).tick()
        row = (await publications(uow))[name]
        assert (row.state, row.external_id) == ("published", sent.external_id)
        assert len(network.published) == 1


@pytest.mark.parametrize("name", sorted(KINDS))
async def test_an_answer_lost_after_the_network_published_is_reconciled_never_resent(
    uow: Callable[[], UnitOfWork], name: str
) -> None:
    async with served(name) as network:
        at = await one_post_due(uow, network, f"Lost answer on {name}")
        network.network.hold_create()  # the network publishes; its answer never arrives
        await dispatcher(uow, [network], at).tick()
        assert (await publications(uow))[name].state == "unknown"
        await dispatcher(uow, [network], at + timedelta(minutes=5)).tick()
        row = (await publications(uow))[name]
        [post] = network.published
        assert (row.state, row.external_id, row.attempts) == ("published", str(post["id"]), 2)


async def test_mastodon_gets_an_idempotency_key_from_the_publication_and_a_lost_answer_is_found(
    uow: Callable[[], UnitOfWork],
) -> None:
    async with served("mastodon") as network:
        at = await one_post_due(uow, network, "Bonjour le fédivers")
        network.network.hold_create()  # the instance creates the status; its answer is lost
        await dispatcher(uow, [network], at).tick()
        row = (await publications(uow))["mastodon"]
        assert row.state == "unknown"
        assert list(network.double.by_key) == [row.id]
        await dispatcher(uow, [network], at + timedelta(minutes=5)).tick()
        row = (await publications(uow))["mastodon"]
        assert (row.state, row.external_id) == ("published", network.double.statuses[0]["id"])
        assert len(network.published) == 1


def x_rate_limited(reset: datetime) -> dict[str, str]:
    """X's rate-limit headers of an exhausted 15-minute window."""
    epoch = str(int(reset.timestamp()))
    return {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0", "x-rate-limit-reset": epoch}


async def test_a_429_defers_the_publication_to_the_reset_and_slows_the_account(
    uow: Callable[[], UnitOfWork],
) -> None:
    async with served("x") as network:
        account = await connect(uow, network)
        at = soon()
        await scheduled(uow, {account: pb.NETWORK_X}, "First in line", at)
        reset = at.replace(microsecond=0) + timedelta(minutes=15)
        body = x_contract.problem(429, "Too Many Requests", "Too Many Requests")
        network.network.refuse_next(429, body, x_rate_limited(reset))
        running = dispatcher(uow, [network], at)
        await running.tick()
        [first] = (await publications(uow)).values()
        assert (first.state, utc(first.not_before)) == ("scheduled", reset)
        assert first.last_error.startswith("RATE_LIMITED")
        # The same account's next post waits for the reset too, without calling X.
        await scheduled(uow, {account: pb.NETWORK_X}, "Second in line", at)
        assert await running.tick() == 1
        assert network.published == []
        async with uow() as u:
            states = {r.state for r in (await u.session.execute(select(PublicationRow))).scalars()}
        assert states == {"scheduled"}
        await dispatcher(uow, [network], reset).tick()
        assert {r.state for r in (await publications_by_id(uow)).values()} == {"published"}
        assert len(network.published) == 2


async def publications_by_id(uow: Callable[[], UnitOfWork]) -> dict[str, PublicationRow]:
    async with uow() as u:
        return {r.id: r for r in (await u.session.execute(select(PublicationRow))).scalars()}


async def test_an_expired_token_is_refreshed_and_the_post_goes_out_once(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    async with served_x_with_tokens() as (network, tokens):
        account = await connect(uow, network, token="expired", refresh_token="r1")
        at = soon()
        for text in ("One", "Two", "Three"):  # three 401s at once: one refresh
            await scheduled(uow, {account: pb.NETWORK_X}, text, at)
        await dispatcher(uow, [network], at, refreshers=x_refresher(network)).tick()
        assert {r.state for r in (await publications_by_id(uow)).values()} == {"published"}
        assert len(network.published) == 3 and tokens.calls == 1
        [row] = await accounts_rows(uow)
        stored = CredentialVault([TEST_KEY]).open(row.sealed_credentials)
        assert (stored["access_token"], stored["refresh_token"]) == (x_contract.TOKEN, "r2")
        assert row.token_health == "ok" and row.token_expires_at is not None
        assert await emitted(plumbing, ACCOUNT_DISCONNECTED.ce_type) == []


async def test_a_refused_refresh_disconnects_the_account_once_and_fails_with_the_cause(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    async with served_x_with_tokens() as (x, tokens), served("mastodon") as mastodon:
        refused = await connect(uow, x, token="expired", refresh_token="revoked")
        working = await connect(uow, mastodon)
        at = soon()
        await scheduled(uow, {refused: pb.NETWORK_X, working: pb.NETWORK_MASTODON}, "Both", at)
        for minutes in (0, 10, 60):
            await dispatcher(
                uow, [x, mastodon], at + timedelta(minutes=minutes), x_refresher(x)
            ).tick()
        found = await publications(uow)
        assert (found["x"].state, found["mastodon"].state) == ("failed", "published")
        assert "Value passed for the token was invalid" in found["x"].last_error
        assert len(mastodon.published) == 1 and x.published == []
        assert tokens.calls == 1  # a disconnected account is not asked again
        [event] = await emitted(plumbing, ACCOUNT_DISCONNECTED.ce_type)
        disconnected = events_pb2.AccountDisconnected.FromString(event)
        assert "refresh refused" in disconnected.reason
        [failed] = await emitted(plumbing, POST_FAILED.ce_type)
        assert events_pb2.PostFailed.FromString(failed).reason == "ACCOUNT_DISCONNECTED"
        healths = {r.network: r.token_health for r in await accounts_rows(uow)}
        assert healths == {"x": "revoked", "mastodon": "ok"}


async def test_an_instance_on_a_private_address_fails_with_the_reason_and_gets_nothing(
    uow: Callable[[], UnitOfWork],
) -> None:
    # Production's guard: the double listens on loopback, as an internal service would.
    async with served("mastodon") as mastodon:
        at = await one_post_due(uow, mastodon, "To an instance inside our network")
        await dispatcher(uow, [mastodon], at, allow_private=False).tick()
        row = (await publications(uow))["mastodon"]
        assert row.state == "failed"
        assert "address refused" in row.last_error and "not a public address" in row.last_error
        assert mastodon.published == []
        assert mastodon.network.problems == []


@asynccontextmanager
async def served_x_with_tokens() -> AsyncIterator[tuple[Served, OAuthTokens]]:
    """X's API and its OAuth token endpoint on one double; refresh tokens rotate."""
    tokens = OAuthTokens(Network(), rotate=True, secret_in="basic", issue=x_contract.TOKEN)
    async with served("x", [tokens.route("/2/oauth2/token")]) as network:
        tokens.network = network.network
        yield network, tokens


def x_refresher(network: Served) -> dict[str, Refresher]:
    return refreshers(x=APP, api_urls={"x": network.double.base_url})


async def accounts_rows(uow: Callable[[], UnitOfWork]) -> list[SocialAccountRow]:
    async with uow() as u:
        return list((await u.session.execute(select(SocialAccountRow))).scalars())
