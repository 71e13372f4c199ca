"""Replies to inbox mentions: rendered from a saved reply in the mention's language, held for a
manager where the policy says, published once through the dispatcher, announced in the outbox."""

from collections.abc import Callable

import pytest
from sqlalchemy import select
from vigie.publisher.v1 import events_pb2
from vigie.publisher.v1 import replies_pb2 as rp
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.orm import PublicationRow, ReplyTargetRow
from vigie_publisher.app import policies, queues, replies, reply_reviews, reply_views
from vigie_publisher.app.events import REPLY_FAILED, REPLY_PUBLISHED
from vigie_publisher.app.posts import PostRejected
from vigie_publisher.domain.publishing import PermanentFailure
from vigie_runtime.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from vigie_runtime.host import Plumbing
from vigie_runtime.uow import UnitOfWork

from .conftest import BRAND_NAME, FRANCE, OTHER_TENANT, TENANT, connect_account, emitted
from .dispatch_support import FakeNetwork, dispatcher
from .reply_support import COMMUNITY, MANAGER, deliver, item_opened, saved_greeting

MENTION = f"{BRAND_NAME}/mentions/m1"
VALUES = {"name": "Alice", "hour": "9h"}


async def write(uow: Callable[[], UnitOfWork], request: rp.CreateReplyRequest, who=COMMUNITY):  # type: ignore[no-untyped-def]
    async with uow() as u:
        row = await replies.create(u, who, request)
        await u.commit()
    return row


def from_saved(saved: str, request_id: str = "", mention: str = MENTION) -> rp.CreateReplyRequest:
    return rp.CreateReplyRequest(
        parent=BRAND_NAME,
        in_reply_to=mention,
        saved_reply=saved,
        variables=VALUES,
        request_id=request_id,
    )


async def test_an_opened_inbox_item_is_kept_once_as_a_reply_target(
    uow: Callable[[], UnitOfWork],
) -> None:
    await deliver(uow, item_opened("m1", followers=10))
    await deliver(uow, item_opened("m1", followers=25))  # redelivered, reach recomputed
    async with uow() as u:
        rows = list((await u.session.execute(select(ReplyTargetRow))).scalars())
    assert [(r.mention_id, r.network, r.language, r.author_followers) for r in rows] == [
        ("m1", "bluesky", "fr", 25)
    ]
    assert rows[0].inbox_item == f"{BRAND_NAME}/inboxItems/im1"


async def test_another_tenants_mention_in_an_event_is_never_kept(
    uow: Callable[[], UnitOfWork],
) -> None:
    event = item_opened("m1", tenant=OTHER_TENANT)
    forged = type(event)(**{**event.__dict__, "tenant": TENANT})
    with pytest.raises(ValueError):
        await deliver(uow, forged)


async def test_a_reply_from_a_saved_reply_is_published_once_in_the_mentions_language(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    await connect_account(uow, pb.NETWORK_BLUESKY, "lumiere.bsky.social")
    await deliver(uow, item_opened("m1", language="fr-CA"))
    saved = await saved_greeting(uow)
    row = await write(uow, from_saved(saved, "r1"))
    again = await write(uow, from_saved(saved, "r1"))
    assert again.id == row.id and row.state == "queued" and row.approval_reason == ""
    assert row.text == "Bonjour Alice, on ouvre à 9h." and row.language == "fr"
    network = FakeNetwork("bluesky")
    run = dispatcher(uow, {"bluesky": network})
    assert await run.tick() == 1
    assert await run.tick() == 0
    (sent,) = network.posts.values()
    assert sent.in_reply_to == "at://did:plc:alice/app.bsky.feed.post/3abc"
    assert [p.text for p in sent.parts] == ["Bonjour Alice, on ouvre à 9h."]
    async with uow() as u:
        done = await reply_views.get(u, COMMUNITY, f"{BRAND_NAME}/replies/{row.id}")
    assert done.state == "published" and done.external_id == f"bluesky:{row.publication_id}"
    (payload,) = await emitted(plumbing, REPLY_PUBLISHED.ce_type)
    event = events_pb2.ReplyPublished.FromString(payload)
    assert event.mention == MENTION and event.inbox_item == f"{BRAND_NAME}/inboxItems/im1"
    assert event.author == COMMUNITY.subject and event.reply.state == rp.REPLY_STATE_PUBLISHED


async def test_a_reply_the_network_refuses_fails_with_an_event(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    await connect_account(uow, pb.NETWORK_BLUESKY, "lumiere.bsky.social")
    await deliver(uow, item_opened("m1"))
    row = await write(
        uow, rp.CreateReplyRequest(parent=BRAND_NAME, in_reply_to=MENTION, text="Oui")
    )
    network = FakeNetwork("bluesky")
    network.failures = [PermanentFailure("cannot reply: no post at at://...")]
    await dispatcher(uow, {"bluesky": network}).tick()
    (payload,) = await emitted(plumbing, REPLY_FAILED.ce_type)
    event = events_pb2.ReplyFailed.FromString(payload)
    assert event.reply.name.endswith(row.id) and event.reply.state == rp.REPLY_STATE_FAILED
    assert event.reason and not network.posts


async def high_reach_policy(uow: Callable[[], UnitOfWork], threshold: int) -> None:
    source = pb.ApprovalPolicy(
        display_name="replies", subsidiary=FRANCE, reply_reach_threshold=threshold
    )
    async with uow() as u:
        await policies.create(u, MANAGER, f"tenants/{TENANT}", source)
        await u.commit()


async def test_a_community_managers_reply_to_a_high_reach_mention_waits_for_a_manager(
    uow: Callable[[], UnitOfWork],
) -> None:
    await connect_account(uow, pb.NETWORK_BLUESKY, "lumiere.bsky.social")
    await high_reach_policy(uow, 1000)
    await deliver(uow, item_opened("m1", followers=5000))
    text = rp.CreateReplyRequest(parent=BRAND_NAME, in_reply_to=MENTION, text="Merci !")
    row = await write(uow, text)
    assert row.state == "pending_approval" and row.approval_reason == "HIGH_REACH"
    assert await dispatcher(uow, {"bluesky": FakeNetwork("bluesky")}).tick() == 0
    name = f"{BRAND_NAME}/replies/{row.id}"
    async with uow() as u:
        with pytest.raises(PermissionDenied):
            await reply_reviews.approve(u, COMMUNITY, rp.ApproveReplyRequest(name=name))
    async with uow() as u:
        approved = await reply_reviews.approve(u, MANAGER, rp.ApproveReplyRequest(name=name))
        await u.commit()
    assert approved.state == "queued" and approved.reviewer == MANAGER.subject
    network = FakeNetwork("bluesky")
    assert await dispatcher(uow, {"bluesky": network}).tick() == 1
    assert len(network.posts) == 1
    managers = await write(uow, text, who=MANAGER)
    assert managers.state == "queued"  # a manager's own reply never waits


async def test_a_rejected_reply_is_never_published(uow: Callable[[], UnitOfWork]) -> None:
    await connect_account(uow, pb.NETWORK_BLUESKY, "lumiere.bsky.social")
    await high_reach_policy(uow, 100)
    await deliver(uow, item_opened("m1", followers=100))
    row = await write(
        uow, rp.CreateReplyRequest(parent=BRAND_NAME, in_reply_to=MENTION, text="Non")
    )
    name = f"{BRAND_NAME}/replies/{row.id}"
    async with uow() as u:
        with pytest.raises(InvalidArgument):
            await reply_reviews.reject(u, MANAGER, rp.RejectReplyRequest(name=name))
        rejected = await reply_reviews.reject(
            u, MANAGER, rp.RejectReplyRequest(name=name, comment="Trop sec")
        )
        await u.commit()
    assert rejected.state == "rejected"
    assert await dispatcher(uow, {"bluesky": FakeNetwork("bluesky")}).tick() == 0


async def test_during_a_crisis_a_community_managers_reply_waits_then_goes_through_the_hold(
    uow: Callable[[], UnitOfWork],
) -> None:
    await connect_account(uow, pb.NETWORK_BLUESKY, "lumiere.bsky.social")
    await deliver(uow, item_opened("m1"))
    async with uow() as u:
        await queues.hold(u, TENANT, "lumiere", "france", f"{BRAND_NAME}/crises/c1", "crisis")
        await u.commit()
    row = await write(
        uow, rp.CreateReplyRequest(parent=BRAND_NAME, in_reply_to=MENTION, text="Oui")
    )
    assert row.state == "pending_approval" and row.approval_reason == "CRISIS"
    async with uow() as u:
        approved = await reply_reviews.approve(
            u, MANAGER, rp.ApproveReplyRequest(name=f"{BRAND_NAME}/replies/{row.id}")
        )
        await u.commit()
    network = FakeNetwork("bluesky")
    assert await dispatcher(uow, {"bluesky": network}).tick() == 1
    assert len(network.posts) == 1
    async with uow() as u:
        publication = await u.session.get(PublicationRow, approved.publication_id)
        assert publication is not None and publication.state == "published"


async def test_bad_replies_get_stable_reasons(uow: Callable[[], UnitOfWork]) -> None:
    await connect_account(uow, pb.NETWORK_BLUESKY, "lumiere.bsky.social")
    await deliver(uow, item_opened("m1"))
    saved = await saved_greeting(uow)
    cases = [
        (
            from_saved(saved, mention=f"{BRAND_NAME}/mentions/unknown"),
            NotFound,
            "MENTION_NOT_FOUND",
        ),
        (
            rp.CreateReplyRequest(
                parent=BRAND_NAME, in_reply_to=MENTION, saved_reply=saved, variables={"name": "A"}
            ),
            InvalidArgument,
            "MISSING_TEMPLATE_VARIABLE",
        ),
        (
            rp.CreateReplyRequest(parent=BRAND_NAME, in_reply_to=MENTION, text="x" * 400),
            PostRejected,
            "TOO_LONG",
        ),
        (
            rp.CreateReplyRequest(parent=BRAND_NAME, in_reply_to=MENTION),
            InvalidArgument,
            "TEXT_OR_SAVED_REPLY",
        ),
    ]
    await deliver(uow, item_opened("partner", kind=4))  # SOURCE_KIND_PARTNER: no network
    partner = rp.CreateReplyRequest(
        parent=BRAND_NAME, in_reply_to=f"{BRAND_NAME}/mentions/partner", text="Merci"
    )
    cases.append((partner, FailedPrecondition, "MENTION_NOT_REPLYABLE"))
    for request, error, reason in cases:
        async with uow() as u:
            with pytest.raises(error) as caught:
                await replies.create(u, COMMUNITY, request)
        assert caught.value.reason == reason, request
    missing = rp.CreateReplyRequest(
        parent=BRAND_NAME, in_reply_to=MENTION, saved_reply=saved, variables={"name": "A"}
    )
    async with uow() as u:
        with pytest.raises(InvalidArgument) as caught:
            await replies.create(u, COMMUNITY, missing)
    assert "hour" in caught.value.message and "name" not in caught.value.message.split("for")[1]


async def test_another_tenants_mention_is_not_found(uow: Callable[[], UnitOfWork]) -> None:
    await deliver(uow, item_opened("m1", tenant=OTHER_TENANT))
    other = f"tenants/{OTHER_TENANT}/brands/lumiere/mentions/m1"
    async with uow() as u:
        with pytest.raises(NotFound):
            await replies.create(
                u,
                COMMUNITY,
                rp.CreateReplyRequest(parent=BRAND_NAME, in_reply_to=other, text="Oui"),
            )
