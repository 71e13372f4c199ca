"""The dispatcher publishing to every network through its adapter, chosen from the account's
network, against the networks' contract doubles: exactly once (the network's idempotency, or
a lookup before any resend), rate limits deferring and slowing the account, refused tokens
refreshed or the account disconnected, one account's failure never re-sending to another."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from vigie_publisher.adapters.orm import PublicationRow
from vigie_publisher.app.dispatch.claims import claim_due
from vigie_publisher.app.dispatch.dispatcher import outgoing
from vigie_runtime.testing.databases import backend
from vigie_runtime.uow import UnitOfWork

from .network_doubles import KINDS, dispatcher, one_post_due, served


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
