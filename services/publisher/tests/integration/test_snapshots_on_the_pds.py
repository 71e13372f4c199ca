"""A tracked Bluesky account's snapshots, read from a real PDS (no AppView): they follow its
followers, its posts and their likes and replies, and reach NATS through the outbox."""

import secrets

import nats
import pytest
from vigie.publisher.v1 import events_pb2
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.config import Settings
from vigie_runtime.principal import Role
from vigie_runtime.testing.bluesky_fixture import bluesky_pds_fixture  # noqa: F401 - registers `bluesky_pds`
from vigie_runtime.testing.bluesky_pds import BlueskyPds

from .conftest import BRAND_NAME, FRANCE
from .presence_support import PdsUser, serve_worker_api

pytestmark = [pytest.mark.node, pytest.mark.timeout(1200)]
SNAPSHOTTED = "vigie.publisher.*.account.snapshotted.v1"


async def _user(pds: BlueskyPds, prefix: str) -> PdsUser:
    _, handle, password = pds.create_account(f"{prefix}{secrets.token_hex(4)}")
    return await PdsUser.login(pds.url, handle, password)


async def _event_with(
    subscription: object, account: str, followers: int
) -> events_pb2.AccountSnapshotted:
    """The first `account.snapshotted` of `account` with that many followers."""
    while True:
        message = await subscription.next_msg(timeout=30)  # type: ignore[attr-defined]
        event = events_pb2.AccountSnapshotted.FromString(message.data)
        if event.snapshot.account == account and event.snapshot.followers == followers:
            return event


async def test_a_tracked_accounts_snapshot_follows_a_new_follower_post_like_and_reply(
    bluesky_pds: BlueskyPds, db_settings: Settings, plumbing: object, nats_url: str
) -> None:
    rival, fan = await _user(bluesky_pds, "rival"), await _user(bluesky_pds, "fan")
    await rival.post("Our spring collection is out")
    connection = await nats.connect(nats_url)
    snapshotted = await connection.subscribe(SNAPSHOTTED)
    try:
        async for api in serve_worker_api(db_settings, nats_url):
            manager = api.as_(Role.SOCIAL_MEDIA_MANAGER)
            tracked = await api.stub.CreateTrackedAccount(
                rpc.CreateTrackedAccountRequest(
                    parent=BRAND_NAME,
                    tracked_account=pb.TrackedAccount(
                        network=pb.NETWORK_BLUESKY, handle=rival.handle,
                        instance_url=bluesky_pds.url,
                    ),
                ),
                metadata=manager,
            )  # fmt: skip
            request = rpc.SnapshotAccountRequest(account=tracked.name)
            before = await api.stub.SnapshotAccount(request, metadata=manager)

            await fan.follow(rival)
            news = await rival.post("Meet us in Lyon on Saturday")
            await fan.like(news)
            await fan.post("See you there!", reply_to=news)
            after = await api.stub.SnapshotAccount(request, metadata=manager)
            event = await _event_with(snapshotted, tracked.name, before.followers + 1)
            read_back = await api.stub.GetTrackedAccount(
                rpc.GetTrackedAccountRequest(name=tracked.name), metadata=manager
            )
    finally:
        await connection.close()

    assert (before.followers, before.posts, before.following) == (0, 1, 0)
    assert (after.followers, after.posts) == (before.followers + 1, before.posts + 1)
    newest = after.recent_posts[0]
    assert newest.uri == news["uri"] and newest.text == "Meet us in Lyon on Saturday"
    assert (newest.likes, newest.replies, newest.reposts, newest.quotes) == (1, 1, 0, 0)
    assert not after.owned and after.handle == "@" + rival.handle
    assert event.subsidiary == FRANCE
    assert event.snapshot.recent_posts[0].likes == 1
    assert read_back.last_snapshot_time.ToDatetime() > before.snapshot_time.ToDatetime()
    assert read_back.last_error == ""
