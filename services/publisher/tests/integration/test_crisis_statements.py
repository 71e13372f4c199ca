"""An approved crisis statement is published once on the brand's accounts, through the crisis
hold that keeps the brand's other posts back, and its `post.published` names the statement; a
playbook that keeps the queue publishing is honoured."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.publisher.v1 import resources_pb2 as pb
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie.reputation.v1 import events_pb2
from vigie_publisher.adapters.orm import PostRow
from vigie_publisher.app import queues
from vigie_publisher.app.events import POST_PUBLISHED
from vigie_publisher.entrypoints.nats.crises import CRISIS_OPENED
from vigie_publisher.entrypoints.nats.crisis_statements import (
    STATEMENT_APPROVED,
    on_statement_approved,
)
from vigie_runtime.events import IncomingEvent, cloudevent_headers
from vigie_runtime.host import Plumbing
from vigie_runtime.principal import Role
from vigie_runtime.uow import UnitOfWork

from .conftest import BRAND_NAME, TENANT, connect_account, emitted, person
from .dispatch_support import LATER, WRITER, FakeNetwork, dispatcher, scheduled_post
from .test_crisis_hold import CRISIS, QUEUE, crisis_event, deliver

STATEMENT = f"{CRISIS}/statements/s1"


def approved_event(event_id: str = "st1") -> IncomingEvent:
    message = events_pb2.StatementApproved(
        crisis=CRISIS,
        brand=BRAND_NAME,
        statement=STATEMENT,
        language="fr",
        text="Nous examinons la situation et revenons vers vous.",
        approver=f"tenants/{TENANT}/members/boss",
    )
    headers = cloudevent_headers(
        event_id, STATEMENT_APPROVED.ce_type, "reputation", TENANT, datetime.now(UTC)
    )
    return IncomingEvent.from_nats(
        STATEMENT_APPROVED.subject(TENANT), headers, message.SerializeToString()
    )


async def test_an_approved_statement_goes_out_once_through_the_crisis_hold(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    await scheduled_post(uow, [x])
    await deliver(uow, crisis_event())
    # A replayed approval, even re-published under another event id, publishes nothing more.
    for event_id in ("st1", "st1", "st1-again"):
        async with uow() as u:
            await on_statement_approved(u, approved_event(event_id))
            await u.commit()
    async with uow() as u:
        rows = (await u.session.execute(select(PostRow).order_by(PostRow.statement))).scalars()
        authors = [(r.statement, r.author) for r in rows]
    # The held post and the statement, which names its statement and its approving manager.
    assert authors == [("", WRITER.subject), (STATEMENT, f"tenants/{TENANT}/members/boss")]
    network = FakeNetwork("x")
    assert await dispatcher(uow, {"x": network}, LATER + timedelta(hours=1)).tick() == 1
    (sent,) = network.posts.values()
    assert "Nous examinons la situation" in str(sent)
    (published,) = await emitted(plumbing, POST_PUBLISHED.ce_type)
    assert publisher_events.PostPublished.FromString(published).statement == STATEMENT
    async with uow() as u:
        assert (await queues.get(u, person(Role.ANALYST), QUEUE)).held  # the rest stays held


async def test_a_playbook_that_keeps_publishing_leaves_the_queue_open(
    uow: Callable[[], UnitOfWork],
) -> None:
    event = crisis_event()
    message = CRISIS_OPENED.parse(event)
    message.queue_hold = cr.QUEUE_HOLD_KEEP_PUBLISHING
    kept = IncomingEvent.from_nats(event.subject, event.headers, message.SerializeToString())
    await deliver(uow, kept)
    async with uow() as u:
        assert not (await queues.get(u, person(Role.ANALYST), QUEUE)).held
