"""Engagement on the brands' published posts: the publisher's `post.published` through the
real consumer, replies, quotes and reposts through the capture pipeline, counts through gRPC; each item
counted once, redeliveries and re-captures changing nothing, tenants kept apart."""

import asyncio
import secrets
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import grpc
import pytest
from atproto import Client, models
from sqlalchemy import update
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie_listener.adapters.orm import RUNTIME_TABLES, SourceRow
from vigie_listener.app.events import POST_PUBLISHED
from vigie_listener.config import Settings
from vigie_listener.domain.items import SourceItem
from vigie_listener.testing import (
    FEED,
    FIREHOSE,
    LUMIERE,
    OTHER_BRAND,
    OTHER_TENANT,
    TENANT,
    Listener,
    Pipeline,
    captured,
    post,
    query,
    running,
    seed_brands,
    seed_source,
)
from vigie_runtime.database import create_engine, session_factory
from vigie_runtime.host import Plumbing
from vigie_runtime.ids import new_id
from vigie_runtime.testing.bluesky_pds import BlueskyPds
from vigie_runtime.testing.events import publish_as_producer
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

OUR_POST = f"{LUMIERE}/posts/01ourpost000000000000000000"
OUR_URI = "at://did:plc:lumiere/app.bsky.feed.post/3ourpost"
OUR_LINK = "https://bsky.app/profile/lumiere.test/post/3ourpost"
THEIR_POST = f"{OTHER_BRAND}/posts/01theirpost00000000000000000"
THEIR_URI = "at://did:plc:other/app.bsky.feed.post/3theirpost"


async def send(
    nats_url: str, tenant: str, post_name: str, uri: str, link: str, event_id: str
) -> None:
    message = publisher_events.PostPublished(
        post=publisher.Post(name=post_name, brand=post_name.rsplit("/posts/", 1)[0]),
        publication=publisher.Publication(
            name=f"{post_name}/publications/01pub", post=post_name,
            network=publisher.NETWORK_BLUESKY, external_id=uri, external_uri=link,
        ),
    )  # fmt: skip
    await publish_as_producer(nats_url, POST_PUBLISHED, tenant, message, event_id)


async def engagement(
    listener: Listener, post_name: str, tenant: str = TENANT
) -> rpc.PostEngagement:
    request = rpc.GetPostEngagementRequest(name=f"{post_name}/engagement")
    answer: rpc.PostEngagement = await listener.stub.GetPostEngagement(
        request, metadata=listener.admin(tenant)
    )
    return answer


def reply(external_id: str, text: str, to: str) -> SourceItem:
    return replace(post(external_id, text), reply_to=(to, ""))


def quote(external_id: str, text: str, of: str) -> SourceItem:
    return replace(post(external_id, text), quote_of=(of, ""))


def repost(external_id: str, of: str) -> SourceItem:
    return replace(post(external_id, ""), repost_of=(of, ""))


@pytest.fixture
async def worker(settings: Settings) -> AsyncIterator[tuple[Listener, Pipeline]]:
    """The listener with its consumers running, and the capture pipeline on its database."""
    async with running(settings, TestKeys(settings.platform.jwks_file)) as listener:
        await seed_brands(settings.database_url)
        plumbing = Plumbing("listener", settings, RUNTIME_TABLES)
        try:
            yield listener, Pipeline(plumbing, settings)
        finally:
            await plumbing.close()


async def known(
    listener: Listener, nats_url: str, tenant: str, post_name: str, uri: str, link: str = ""
) -> str:
    """Announces a post until the listener knows it; returns the event id. Sent again under
    the same id (which the inbox applies once): on a NATS server that other suites share, a
    stream can vanish under a test, since every suite starts by deleting them."""
    event_id = new_id()
    for _ in range(10):
        await send(nats_url, tenant, post_name, uri, link, event_id)
        for _ in range(30):
            if (await engagement(listener, post_name, tenant)).references:
                return event_id
            await asyncio.sleep(0.1)
    raise AssertionError(f"{post_name} was never announced to the listener")


async def test_a_reply_and_a_quote_are_counted_once_each_even_captured_again(
    worker: tuple[Listener, Pipeline], nats_url: str
) -> None:
    listener, pipeline = worker
    await known(listener, nats_url, TENANT, OUR_POST, OUR_URI, OUR_LINK)
    items = [
        reply("at://fan/1", "so true", OUR_URI),  # names no brand: counted all the same
        quote("at://fan/2", "look at this", OUR_LINK),
        reply("at://fan/3", "unrelated thread", "at://someone/else"),
    ]
    first = await pipeline.run(FIREHOSE, items)
    again = await pipeline.run(FIREHOSE, items)  # a firehose replayed from an older cursor
    counted = await engagement(listener, OUR_POST)
    assert (counted.reply_count, counted.quote_count, counted.repost_count) == (1, 1, 0)
    assert list(counted.references) == sorted([OUR_URI, OUR_LINK])
    assert (first.engaged, again.engaged) == (2, 0)


async def test_a_repost_is_counted_once_and_never_stored_as_a_mention(
    worker: tuple[Listener, Pipeline], nats_url: str
) -> None:
    listener, pipeline = worker
    await known(listener, nats_url, TENANT, OUR_POST, OUR_URI)
    await known(listener, nats_url, OTHER_TENANT, THEIR_POST, THEIR_URI)
    await query(listener, LUMIERE, "source:bluesky")  # would match any Bluesky item at all
    items = [repost("at://fan/app.bsky.feed.repost/1", OUR_URI)]
    first = await pipeline.run(FIREHOSE, items)
    again = await pipeline.run(FIREHOSE, items)  # the same repost record, replayed
    await pipeline.run(FEED, [repost("guid-r", THEIR_URI)])  # our feed, their post: not ours
    counted = await engagement(listener, OUR_POST)
    assert (counted.reply_count, counted.quote_count, counted.repost_count) == (0, 0, 1)
    assert (first.engaged, again.engaged, first.stored, first.unmatched) == (1, 0, [], 0)
    assert (await engagement(listener, THEIR_POST, OTHER_TENANT)).repost_count == 0
    assert await captured(listener.database_url) == []


async def test_a_redelivered_post_published_changes_nothing(
    worker: tuple[Listener, Pipeline], nats_url: str
) -> None:
    listener, pipeline = worker
    event_id = await known(listener, nats_url, TENANT, OUR_POST, OUR_URI)
    await send(nats_url, TENANT, OUR_POST, OUR_URI, OUR_LINK, event_id)  # same event again
    await send(nats_url, TENANT, OUR_POST, OUR_URI, "", new_id())  # or the fact told twice
    await pipeline.run(FIREHOSE, [reply("at://fan/1", "yes", OUR_URI)])
    # Events are applied in order: once this one is, the ones before it were.
    await known(listener, nats_url, TENANT, f"{LUMIERE}/posts/01later", "at://x/later")
    counted = await engagement(listener, OUR_POST)
    assert counted.reply_count == 1
    assert list(counted.references) == [OUR_URI]  # the redelivery's link was never applied


async def test_engagement_stays_in_its_tenant(
    worker: tuple[Listener, Pipeline], nats_url: str
) -> None:
    listener, pipeline = worker
    await known(listener, nats_url, OTHER_TENANT, THEIR_POST, THEIR_URI)
    # A tenant's own feed replying to another tenant's post does not count for that tenant.
    await pipeline.run(FEED, [reply("guid-1", "hello", THEIR_URI)])
    assert (await engagement(listener, THEIR_POST, OTHER_TENANT)).reply_count == 0
    await pipeline.run(FIREHOSE, [reply("at://fan/9", "hello", THEIR_URI)])
    assert (await engagement(listener, THEIR_POST, OTHER_TENANT)).reply_count == 1
    with pytest.raises(grpc.aio.AioRpcError) as crossing:
        await engagement(listener, THEIR_POST, TENANT)  # asked with our tenant's token
    assert crossing.value.code() == grpc.StatusCode.NOT_FOUND


async def test_a_malformed_engagement_name_is_refused_with_its_field(
    worker: tuple[Listener, Pipeline],
) -> None:
    listener, _ = worker
    for name in (OUR_POST, f"{LUMIERE}/engagement", "garbage/engagement", ""):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await listener.stub.GetPostEngagement(
                rpc.GetPostEngagementRequest(name=name), metadata=listener.admin()
            )
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT, name


class Account:
    """An account on the local PDS (no AppView: posts name their author's DID themselves)."""

    def __init__(self, pds: BlueskyPds) -> None:
        self.did, handle, password = pds.create_account(f"eng{secrets.token_hex(4)}")
        self.client = Client(base_url=pds.url)
        self.client.login(handle, password, fetch_bsky_profile=False)

    async def post(self, text: str, **extra: Any) -> models.ComAtprotoRepoStrongRef.Main:
        sent = await asyncio.to_thread(
            self.client.send_post, text, profile_identify=self.did, **extra
        )
        return models.create_strong_ref(sent)

    async def repost(self, subject: models.ComAtprotoRepoStrongRef.Main) -> None:
        # `Client.repost` needs the profile a login without AppView does not fetch.
        record = models.AppBskyFeedRepost.Record(
            subject=subject, created_at=self.client.get_current_time_iso()
        )
        data = models.ComAtprotoRepoCreateRecord.Data(
            repo=self.did, collection=models.ids.AppBskyFeedRepost, record=record
        )
        await asyncio.to_thread(self.client.com.atproto.repo.create_record, data)


async def cursor_rewound(database_url: str) -> None:
    engine = create_engine(database_url)
    async with session_factory(engine)() as session:
        await session.execute(update(SourceRow).values(cursor="0"))
        await session.commit()
    await engine.dispose()


@pytest.mark.node
@pytest.mark.timeout(1200)
async def test_on_the_pds_a_reply_a_quote_and_a_repost_count_once_even_when_the_firehose_replays(
    bluesky_pds: BlueskyPds, settings: Settings, nats_url: str
) -> None:
    brand, fan = Account(bluesky_pds), Account(bluesky_pds)
    keys = TestKeys(settings.platform.jwks_file)
    firehose: dict[str, object] = {"relay_url": bluesky_pds.firehose_url}
    ours = await brand.post("Notre nouveau café ouvre demain")  # as the publisher posted it
    async with running(settings, keys) as listener:
        await seed_brands(settings.database_url)
        await seed_source(settings.database_url, "firehose", pb.SOURCE_KIND_BLUESKY, firehose, "0")
        event_id = await known(listener, nats_url, TENANT, OUR_POST, ours.uri)
        # For the restart's last post: a query known before it starts, so none is missed.
        word = f"marker{secrets.token_hex(3)}"
        await query(listener, LUMIERE, word)
        thread = models.AppBskyFeedPost.ReplyRef(parent=ours, root=ours)
        await fan.post("On y sera !", reply_to=thread)
        await fan.post("Enfin", embed=models.AppBskyEmbedRecord.Main(record=ours))
        await fan.post("nothing to do with it")
        await fan.repost(ours)

        async def all_counted() -> bool:
            counted = await engagement(listener, OUR_POST)
            return (counted.reply_count, counted.quote_count, counted.repost_count) == (1, 1, 1)

        await eventually(all_counted, seconds=60)
    await cursor_rewound(settings.database_url)  # the next run reads the firehose from its start
    async with running(settings, keys) as listener:
        await send(nats_url, TENANT, OUR_POST, ours.uri, "", event_id)  # and the event again
        marker = await fan.post(f"{word} Lumière")  # captured after everything before it

        async def replayed() -> bool:
            return (marker.uri, "lumiere") in await captured(settings.database_url)

        await eventually(replayed, seconds=60)
        counted = await engagement(listener, OUR_POST)
    assert (counted.reply_count, counted.quote_count, counted.repost_count) == (1, 1, 1)
