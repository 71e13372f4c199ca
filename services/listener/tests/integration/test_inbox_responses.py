"""Replies, response times against the subsidiary's targets, breaches, and the conversation
view of the engagement inbox."""

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, timedelta

import pytest
from vigie.listener.v1 import inbox_pb2 as rpc
from vigie.listener.v1 import listener_pb2 as listener_rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie_listener.adapters.orm import RUNTIME_TABLES
from vigie_listener.app.events import POST_PUBLISHED
from vigie_listener.app.inbox_breaches import BreachWatch
from vigie_listener.config import Settings
from vigie_listener.testing import FEED, FRANCE, LUMIERE, TENANT, Pipeline, post, query
from vigie_listener.testing_inbox import Inbox, inbox_running, send_reply
from vigie_runtime.host import Plumbing
from vigie_runtime.principal import Role
from vigie_runtime.testing.events import publish_as_producer
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

ALICE = f"tenants/{TENANT}/members/alice"
BOB = f"tenants/{TENANT}/members/bob"


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[tuple[Inbox, Pipeline]]:
    async with inbox_running(settings, TestKeys(settings.platform.jwks_file)) as inbox:
        await query(inbox.listener, LUMIERE, "lumiere")
        plumbing = Plumbing("listener", settings, RUNTIME_TABLES)
        try:
            yield inbox, Pipeline(plumbing, settings)
        finally:
            await plumbing.close()


async def opened(inbox: Inbox, pipeline: Pipeline, *texts: str) -> list[pb.InboxItem]:
    items = [post(f"r-{i}-{len(text)}", text, language="fr") for i, text in enumerate(texts)]
    result = await pipeline.run(FEED, items)
    names = [f"{LUMIERE}/mentions/{m.id}" for m in result.stored]
    return [await inbox.item_of(FRANCE, name) for name in names]


async def targets(inbox: Inbox, first: int, resolution: int) -> None:
    given = pb.ResponseTargets(
        name=f"{FRANCE}/responseTargets",
        first_response_seconds=first,
        resolution_seconds=resolution,
    )
    await inbox.stub.SetResponseTargets(
        rpc.SetResponseTargetsRequest(response_targets=given),
        metadata=inbox.as_role(Role.SOCIAL_MEDIA_MANAGER),
    )


async def answered(inbox: Inbox, item: pb.InboxItem) -> pb.InboxItem:
    found: list[pb.InboxItem] = []

    async def has_reply() -> bool:
        found[:] = [await inbox.get(item.name)]
        return found[0].status == pb.INBOX_STATUS_ANSWERED

    await eventually(has_reply)
    return found[0]


async def test_replies_mark_items_answered_and_response_times_come_out_by_hand(
    world: tuple[Inbox, Pipeline],
) -> None:
    inbox, pipeline = world
    await targets(inbox, first=60, resolution=0)
    quick, late, later, waiting = await opened(
        inbox, pipeline, "Lumiere ?", "Lumiere ouvre ?", "Lumiere livre ?", "Lumiere, où ?"
    )
    # First responses after 30 s (Alice), 90 s and 150 s (Bob): by hand, nearest rank,
    # p50 = 2nd of 3 = 90, p90 = 3rd = 150, mean = 270 / 3 = 90; two over the 60 s target.
    for item, seconds, author in ((quick, 30, ALICE), (late, 90, BOB), (later, 150, BOB)):
        when = item.open_time.ToDatetime(tzinfo=UTC) + timedelta(seconds=seconds)
        await send_reply(inbox.nats_url, TENANT, item, author, when)
    done = [await answered(inbox, item) for item in (quick, late, later)]
    assert [d.responder for d in done] == [ALICE, BOB, BOB]
    assert [list(d.breaches) for d in done] == [[], [1], [1]]
    first = done[0].first_response_time.ToDatetime() - done[0].open_time.ToDatetime()
    assert first == timedelta(seconds=30)
    window = rpc.GetResponseTimesRequest(parent=FRANCE)
    window.start_time.FromDatetime(quick.open_time.ToDatetime() - timedelta(hours=1))
    window.end_time.FromDatetime(quick.open_time.ToDatetime() + timedelta(hours=1))
    analyst = inbox.as_role(Role.ANALYST)
    answer = await inbox.stub.GetResponseTimes(window, metadata=analyst)
    (group,) = answer.groups
    stats = group.first_response
    assert (group.key, group.opened_count) == (FRANCE, 4)
    assert (stats.count, stats.p50_seconds, stats.p90_seconds, stats.mean_seconds) == (
        3, 90, 150, 90
    )  # fmt: skip
    assert (stats.target_seconds, stats.breach_count) == (60, 2)  # the waiting one: not yet
    window.group_by = rpc.RESPONSE_GROUPING_PERSON
    people = await inbox.stub.GetResponseTimes(window, metadata=analyst)
    by_person = {g.key: g.first_response for g in people.groups}
    assert (by_person[ALICE].count, by_person[ALICE].mean_seconds) == (1, 30)
    assert (by_person[BOB].count, by_person[BOB].p50_seconds, by_person[BOB].mean_seconds) == (
        2, 90, 120
    )  # fmt: skip
    assert by_person[""].count == 0  # the one nobody handled yet
    assert waiting.status == pb.INBOX_STATUS_NEW


async def test_a_second_or_redelivered_reply_keeps_the_first_response(
    world: tuple[Inbox, Pipeline],
) -> None:
    inbox, pipeline = world
    (item,) = await opened(inbox, pipeline, "Lumiere, un conseil ?")
    at = item.open_time.ToDatetime(tzinfo=UTC)
    event_id = await send_reply(inbox.nats_url, TENANT, item, ALICE, at + timedelta(seconds=40))
    once = await answered(inbox, item)
    await send_reply(inbox.nats_url, TENANT, item, ALICE, at + timedelta(seconds=40), event_id)
    await send_reply(inbox.nats_url, TENANT, item, BOB, at + timedelta(seconds=400))
    (marker,) = await opened(inbox, pipeline, "Lumiere, une autre question ?")
    await send_reply(inbox.nats_url, TENANT, marker, BOB, at + timedelta(seconds=5))
    await answered(inbox, marker)  # applied in order: the two before it were too
    twice = await inbox.get(item.name)
    assert (twice.etag, twice.responder) == (once.etag, ALICE)
    assert twice.first_response_time == once.first_response_time


async def test_the_breach_sweep_reports_each_item_once(
    world: tuple[Inbox, Pipeline], settings: Settings
) -> None:
    inbox, pipeline = world
    await targets(inbox, first=600, resolution=3600)
    (item,) = await opened(inbox, pipeline, "Lumiere, vous êtes là ?")
    plumbing = Plumbing("listener", settings, RUNTIME_TABLES)
    try:
        watch = BreachWatch(plumbing.uow, every_s=60)
        opened_at = item.open_time.ToDatetime(tzinfo=UTC)
        assert await watch.sweep_once(opened_at + timedelta(seconds=599)) == 0
        assert await watch.sweep_once(opened_at + timedelta(seconds=700)) == 1
        assert await watch.sweep_once(opened_at + timedelta(hours=2)) == 1  # resolution only
        assert await watch.sweep_once(opened_at + timedelta(hours=3)) == 0
    finally:
        await plumbing.close()
    breached = await inbox.get(item.name)
    assert list(breached.breaches) == [
        pb.RESPONSE_KIND_FIRST_RESPONSE,
        pb.RESPONSE_KIND_RESOLUTION,
    ]


async def test_the_conversation_shows_the_brands_post_the_item_and_its_replies(
    world: tuple[Inbox, Pipeline],
) -> None:
    inbox, pipeline = world
    ours = f"{LUMIERE}/posts/01ourpost"
    uri = "at://did:plc:lumiere/app.bsky.feed.post/3our"
    message = publisher_events.PostPublished(
        post=publisher.Post(name=ours, brand=LUMIERE),
        publication=publisher.Publication(
            name=f"{ours}/publications/01pub", post=ours, network=publisher.NETWORK_BLUESKY,
            external_id=uri,
        ),
    )  # fmt: skip
    await publish_as_producer(inbox.nats_url, POST_PUBLISHED, TENANT, message)

    async def known() -> bool:  # the listener learns the post through its consumer
        found = await inbox.listener.stub.GetPostEngagement(
            listener_rpc.GetPostEngagementRequest(name=f"{ours}/engagement"),
            metadata=inbox.admin(),
        )
        return bool(found.references)

    await eventually(known)
    comment = replace(post("c-1", "lumiere, super nouvelle", language="fr"), reply_to=(uri, ""))
    answer = replace(post("c-2", "lumiere oui !", language="fr"), reply_to=("c-1", ""))
    result = await pipeline.run(FEED, [comment])
    await pipeline.run(FEED, [answer])
    mention = f"{LUMIERE}/mentions/{result.stored[0].id}"
    item = await inbox.item_of(FRANCE, mention)
    assert list(item.reasons) == [pb.INBOX_REASON_REPLY_TO_OWN_POST]

    async def threaded() -> bool:
        found = await inbox.stub.GetConversation(
            rpc.GetConversationRequest(name=item.name), metadata=inbox.admin()
        )
        return len(found.entries) == 3

    await eventually(threaded)
    thread = await inbox.stub.GetConversation(
        rpc.GetConversationRequest(name=item.name), metadata=inbox.admin()
    )
    roles = [e.role for e in thread.entries]
    assert roles == [
        rpc.CONVERSATION_ROLE_ANCESTOR,
        rpc.CONVERSATION_ROLE_ITEM,
        rpc.CONVERSATION_ROLE_REPLY,
    ]
    assert (thread.entries[0].own_post.post, thread.entries[0].own_post.network) == (
        ours,
        "bluesky",
    )
    assert thread.entries[2].mention.external_id == "c-2"
