"""A crisis opened on a brand holds its queue before the next due post goes out; only a social
media manager releases it, and both steps are audited and announced."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import nats
import pytest
from sqlalchemy import select
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.publisher.v1 import resources_pb2 as pb
from vigie.reputation.v1 import events_pb2, resources_pb2
from vigie_publisher.adapters.orm import AuditEntryRow, PublicationRow
from vigie_publisher.app import queues
from vigie_publisher.app.events import QUEUE_HELD, QUEUE_RELEASED
from vigie_publisher.bootstrap import build
from vigie_publisher.config import Settings
from vigie_publisher.entrypoints.nats.crises import CRISIS_OPENED, on_crisis_event
from vigie_runtime.errors import NotFound, PermissionDenied
from vigie_runtime.events import IncomingEvent, cloudevent_headers
from vigie_runtime.host import Plumbing
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.principal import Role
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually
from vigie_runtime.uow import UnitOfWork

from .conftest import BRAND_NAME, FRANCE, OTHER_TENANT, TENANT, connect_account, emitted, person
from .dispatch_support import LATER, FakeNetwork, dispatcher, scheduled_post

QUEUE = f"{BRAND_NAME}/queue"
CRISIS = f"{BRAND_NAME}/crises/c1"


def crisis_event(tenant: str = TENANT, crisis: str = CRISIS) -> IncomingEvent:
    message = events_pb2.CrisisOpened(
        crisis=resources_pb2.Crisis(
            name=crisis,
            brand=BRAND_NAME,
            explanation=resources_pb2.CrisisExplanation(signal="negative_volume"),
        ),
        subsidiary=FRANCE,
    )
    headers = cloudevent_headers(
        "ev1", CRISIS_OPENED.ce_type, "reputation", tenant, datetime.now(UTC)
    )
    return IncomingEvent.from_nats(
        CRISIS_OPENED.subject(tenant), headers, message.SerializeToString()
    )


async def deliver(uow: Callable[[], UnitOfWork], event: IncomingEvent) -> None:
    async with uow() as u:
        await on_crisis_event(u, event)
        await u.commit()


async def test_a_crisis_holds_the_queue_before_the_next_due_post(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    post = await scheduled_post(uow, [x])
    network = FakeNetwork("x")
    await deliver(uow, crisis_event())
    await deliver(uow, crisis_event())  # a second event changes nothing
    assert await dispatcher(uow, {"x": network}, LATER + timedelta(hours=1)).tick() == 0
    assert network.sends == 0
    [held] = await emitted(plumbing, QUEUE_HELD.ce_type)
    event = publisher_events.QueueHeld.FromString(held)
    assert (event.queue.held, event.queue.held_by) == (True, CRISIS)
    assert list(event.held_posts) == [post]  # which posts the crisis stopped, for its room
    async with uow() as u:
        states = list((await u.session.execute(select(PublicationRow.state))).scalars())
    assert states == ["scheduled"]


async def test_a_post_scheduled_into_a_held_queue_is_announced_as_held(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    before = await scheduled_post(uow, [x])
    await deliver(uow, crisis_event())
    after = await scheduled_post(uow, [x])
    held = [
        publisher_events.QueueHeld.FromString(m)
        for m in await emitted(plumbing, QUEUE_HELD.ce_type)
    ]
    assert [(list(e.held_posts), e.queue.held_by) for e in held] == [
        ([before], CRISIS),
        ([after], CRISIS),
    ]


async def test_only_a_manager_releases_the_queue_and_it_is_audited(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    post = await scheduled_post(uow, [x])
    await deliver(uow, crisis_event())
    async with uow() as u:
        with pytest.raises(PermissionDenied):
            await queues.release(u, person(Role.COMMUNITY_MANAGER), QUEUE)
        with pytest.raises(NotFound):
            await queues.release(
                u, person(Role.GROUP_ADMIN, tenant=OTHER_TENANT, where=None), QUEUE
            )
        released = await queues.release(u, person(Role.SOCIAL_MEDIA_MANAGER, "boss"), QUEUE)
        await u.commit()
    assert not released.held
    network = FakeNetwork("x")
    assert await dispatcher(uow, {"x": network}).tick() == 1
    assert len(network.posts) == 1
    [released_event] = await emitted(plumbing, QUEUE_RELEASED.ce_type)
    event = publisher_events.QueueReleased.FromString(released_event)
    assert (list(event.released_posts), event.held_by) == ([post], CRISIS)
    async with uow() as u:
        trail = (
            (
                await u.session.execute(
                    select(AuditEntryRow)
                    .where(AuditEntryRow.subject == QUEUE)
                    .order_by(AuditEntryRow.at)
                )
            )
            .scalars()
            .all()
        )
    assert [(e.action, e.actor) for e in trail] == [
        ("held", CRISIS),
        ("released", f"tenants/{TENANT}/members/boss"),
    ]


async def test_another_tenants_crisis_cannot_hold_this_tenants_brand(
    uow: Callable[[], UnitOfWork],
) -> None:
    with pytest.raises(ValueError, match="names"):
        await deliver(uow, crisis_event(tenant=OTHER_TENANT))
    async with uow() as u:
        assert not (await queues.get(u, person(Role.ANALYST), QUEUE)).held


async def test_the_worker_holds_the_queue_from_the_reputation_stream(
    uow: Callable[[], UnitOfWork], db_settings: Settings, nats_url: str
) -> None:
    settings = db_settings.model_copy(
        update={"platform": db_settings.platform.model_copy(update={"nats_url": nats_url})}
    )
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        await ensure_stream(js, "reputation")
        async with serving(build(settings), mode="worker"):
            event = crisis_event()
            headers = {**event.headers, "Nats-Msg-Id": event.id + datetime.now(UTC).isoformat()}
            await js.publish(event.subject, event.payload, headers=headers)

            async def held() -> bool:
                async with uow() as u:
                    return (await queues.get(u, person(Role.ANALYST), QUEUE)).held

            await eventually(held)
    finally:
        await connection.close()
