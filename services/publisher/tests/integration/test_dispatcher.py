"""The dispatcher's state machine with network doubles: the network's id stored on
confirmation, unknown outcomes reconciled and never resent, errors classified, one account's
failure never re-sending to another, held brands left alone."""

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.orm import PostRow, PublicationRow, SocialAccountRow
from vigie_publisher.app.events import ACCOUNT_DISCONNECTED, POST_FAILED, POST_PUBLISHED
from vigie_publisher.domain.publishing import AuthFailed, RateLimited, TransientFailure
from vigie_runtime.host import Plumbing
from vigie_runtime.testing.databases import backend
from vigie_runtime.uow import UnitOfWork

from .conftest import connect_account, emitted
from .dispatch_support import LATER, FakeNetwork, dispatcher, scheduled_post


async def states(uow: Callable[[], UnitOfWork]) -> dict[str, tuple[str, str, int]]:
    async with uow() as u:
        rows = (await u.session.execute(select(PublicationRow))).scalars()
        return {r.network: (r.state, r.external_id, r.attempts) for r in rows}


async def test_a_due_publication_is_published_and_its_network_id_stored(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    await scheduled_post(uow, [x])
    network = FakeNetwork("x")
    assert await dispatcher(uow, {"x": network}, LATER - timedelta(seconds=1)).tick() == 0
    assert await dispatcher(uow, {"x": network}).tick() == 1
    [(state, external_id, attempts)] = (await states(uow)).values()
    assert (state, attempts) == ("published", 1)
    assert external_id.startswith("x:")
    assert len(await emitted(plumbing, POST_PUBLISHED.ce_type)) == 1
    async with uow() as u:
        assert [p.status for p in (await u.session.execute(select(PostRow))).scalars()] == [
            "published"
        ]


async def test_an_unknown_outcome_is_reconciled_and_never_sent_again(
    uow: Callable[[], UnitOfWork],
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    await scheduled_post(uow, [x])
    network = FakeNetwork("x")
    network.lose_answers = 1
    await dispatcher(uow, {"x": network}).tick()
    assert (await states(uow))["x"][0] == "unknown"
    await dispatcher(uow, {"x": network}, LATER + timedelta(minutes=5)).tick()
    assert (await states(uow))["x"][0] == "published"
    assert network.sends == 1 and len(network.posts) == 1


async def test_a_refused_token_fails_only_that_account_and_disconnects_it(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    bsky = await connect_account(uow, pb.NETWORK_BLUESKY, "lumiere.bsky.social")
    await scheduled_post(uow, [x, bsky])
    refusing, working = FakeNetwork("x"), FakeNetwork("bluesky")
    refusing.failures = [AuthFailed("401 token revoked")]
    for minutes in (0, 10, 60):
        await dispatcher(
            uow, {"x": refusing, "bluesky": working}, LATER + timedelta(minutes=minutes)
        ).tick()
    found = await states(uow)
    assert (found["x"][0], found["bluesky"][0]) == ("failed", "published")
    assert working.sends == 1 and refusing.sends == 1
    assert len(await emitted(plumbing, ACCOUNT_DISCONNECTED.ce_type)) == 1
    assert len(await emitted(plumbing, POST_FAILED.ce_type)) == 1
    async with uow() as u:
        healths = {
            a.network: a.token_health
            for a in (await u.session.execute(select(SocialAccountRow))).scalars()
        }
    assert healths == {"x": "revoked", "bluesky": "ok"}


async def test_a_rate_limit_waits_until_the_networks_reset_then_publishes_once(
    uow: Callable[[], UnitOfWork],
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    await scheduled_post(uow, [x])
    network = FakeNetwork("x")
    network.failures = [RateLimited("429", LATER + timedelta(minutes=15))]
    await dispatcher(uow, {"x": network}).tick()
    assert (await states(uow))["x"][0] == "scheduled"
    assert await dispatcher(uow, {"x": network}, LATER + timedelta(minutes=14)).tick() == 0
    await dispatcher(uow, {"x": network}, LATER + timedelta(minutes=15)).tick()
    assert (await states(uow))["x"][:1] == ("published",)
    assert len(network.posts) == 1


async def test_a_transient_failure_is_retried_after_looking_for_the_post(
    uow: Callable[[], UnitOfWork],
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    await scheduled_post(uow, [x])
    network = FakeNetwork("x")
    network.failures = [TransientFailure("503")]
    await dispatcher(uow, {"x": network}).tick()
    await dispatcher(uow, {"x": network}, LATER + timedelta(minutes=5)).tick()
    assert (await states(uow))["x"] == ("published", "x:" + next(iter(network.posts)), 2)


async def test_a_dispatcher_that_died_mid_call_leaves_it_to_be_reconciled_after_the_lease(
    uow: Callable[[], UnitOfWork],
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    await scheduled_post(uow, [x])
    network = FakeNetwork("x")
    # The first worker published, then died before recording: the row stays `publishing`.
    from vigie_publisher.app.dispatch.claims import claim_due

    async with uow() as u:
        [claim] = await claim_due(u, LATER, 10, timedelta(minutes=2), backend() == "postgresql")
        await u.commit()
    from vigie_publisher.app.dispatch.dispatcher import outgoing

    await network.publish(outgoing(claim))
    assert await dispatcher(uow, {"x": network}, LATER + timedelta(minutes=1)).tick() == 0
    await dispatcher(uow, {"x": network}, LATER + timedelta(minutes=3)).tick()
    assert (await states(uow))["x"][0] == "published"
    assert network.sends == 1
