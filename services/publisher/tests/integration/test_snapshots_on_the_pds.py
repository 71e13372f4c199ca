"""A tracked Bluesky account's snapshots, read from a real PDS (no AppView): they follow its
followers, its posts and their likes and replies, and reach NATS through the outbox."""

import secrets
from collections.abc import Callable
from datetime import timedelta

import grpc
import nats
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.publisher.v1 import events_pb2
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.stats.readers import NetworkStatsReaders, ReaderSettings
from vigie_publisher.app.events import ACCOUNT_SNAPSHOTTED
from vigie_publisher.app.snapshots import Snapshotter
from vigie_publisher.config import Settings
from vigie_publisher.pds_testing import PdsUser
from vigie_runtime.host import Plumbing
from vigie_runtime.principal import Role
from vigie_runtime.testing.bluesky_fixture import bluesky_pds_fixture  # noqa: F401 - registers `bluesky_pds`
from vigie_runtime.testing.bluesky_pds import BlueskyPds
from vigie_runtime.uow import UnitOfWork

from .api_support import Api, refused
from .conftest import BRAND_NAME, FRANCE, TEST_KEY, connect_source, emitted
from .presence_support import serve_worker_api

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


async def test_an_owned_account_is_read_from_its_pds_with_its_own_credentials(
    bluesky_pds: BlueskyPds, uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    _, handle, password = bluesky_pds.create_account(f"owned{secrets.token_hex(4)}")
    owner = await PdsUser.login(bluesky_pds.url, handle, password)
    fan = await _user(bluesky_pds, "fan")
    await owner.post("Bonjour")
    await fan.follow(owner)
    credentials = pb.SocialAccountCredentials(
        bluesky=pb.BlueskyCredentials(
            service_url=bluesky_pds.url, identifier=handle, app_password=password
        )
    )
    account = await connect_source(uow, pb.SocialAccount(
        network=pb.NETWORK_BLUESKY, handle="@" + handle, time_zone="Europe/Paris",
        credentials=credentials,
    ))  # fmt: skip
    reader = NetworkStatsReaders(ReaderSettings(deadline_s=20, allow_private=True))
    snapshotter = Snapshotter(uow, CredentialVault([TEST_KEY]), reader)
    assert await snapshotter.snapshot_due(timedelta(minutes=15)) == 1
    [payload] = await emitted(plumbing, ACCOUNT_SNAPSHOTTED.ce_type)
    snapshot = events_pb2.AccountSnapshotted.FromString(payload).snapshot
    assert (snapshot.account, snapshot.owned, snapshot.time_zone) == (account, True, "Europe/Paris")
    assert (snapshot.followers, snapshot.following, snapshot.posts) == (1, 0, 1)
    assert [p.text for p in snapshot.recent_posts] == ["Bonjour"]


def _owned_on(pds: BlueskyPds, handle: str, identifier: str, password: str) -> pb.SocialAccount:
    credentials = pb.SocialAccountCredentials(
        bluesky=pb.BlueskyCredentials(
            service_url=pds.url, identifier=identifier, app_password=password
        )
    )
    return pb.SocialAccount(
        network=pb.NETWORK_BLUESKY, handle="@" + handle, time_zone="Europe/Paris",
        credentials=credentials,
    )  # fmt: skip


async def test_an_owned_accounts_snapshot_status_is_read_through_its_api(
    bluesky_pds: BlueskyPds, api: Api
) -> None:
    """A read that failed says why on the account (no snapshot time); once its credentials
    name the right account, the next snapshot clears the error and stamps the time."""
    _, handle, password = bluesky_pds.create_account(f"owned{secrets.token_hex(4)}")
    manager = api.as_(Role.SOCIAL_MEDIA_MANAGER)
    nobody = f"nobody{secrets.token_hex(4)}.test"
    wrong = _owned_on(bluesky_pds, handle, nobody, password)
    made = await api.stub.CreateSocialAccount(
        rpc.CreateSocialAccountRequest(parent=BRAND_NAME, social_account=wrong), metadata=manager
    )
    snapshot = rpc.SnapshotAccountRequest(account=made.name)
    await refused(
        api.stub.SnapshotAccount(snapshot, metadata=manager),
        grpc.StatusCode.FAILED_PRECONDITION,
        "SNAPSHOT_NOT_READ",
    )
    get = rpc.GetSocialAccountRequest(name=made.name)
    failed = await api.stub.GetSocialAccount(get, metadata=api.as_(Role.ANALYST))
    assert failed.last_snapshot_error == f"the PDS {bluesky_pds.url} does not know {nobody}"
    assert not failed.HasField("last_snapshot_time")

    right = _owned_on(bluesky_pds, handle, handle, password)
    right.name = made.name
    await api.stub.UpdateSocialAccount(
        rpc.UpdateSocialAccountRequest(
            social_account=right, update_mask=FieldMask(paths=["credentials"])
        ),
        metadata=manager,
    )
    taken = await api.stub.SnapshotAccount(snapshot, metadata=manager)
    read = await api.stub.GetSocialAccount(get, metadata=api.as_(Role.ANALYST))
    assert read.last_snapshot_error == ""
    assert read.last_snapshot_time == taken.snapshot_time
