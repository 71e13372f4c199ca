"""PresenceService over gRPC on the running service (SQLite or PostgreSQL): the measures of a
brand and of the group in each subsidiary's days, pages of snapshots, top posts, and refusals
(unknown or other tenant's scope, another subsidiary's reader, bad windows and granularity)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import grpc
import pytest
from nats.aio.client import Client
from vigie.reputation.v1 import presence_pb2 as pb
from vigie.reputation.v1 import presence_pb2_grpc
from vigie_reputation.config import Settings
from vigie_reputation.presence_testing import (
    DAY1,
    MAIN,
    MENTIONS,
    PRESENCE,
    TENANT,
    Feeds,
    applied,
    feed_two_days,
    feeds_on,
    paris_subsidiary,
    ts,
)
from vigie_runtime.principal import Role
from vigie_runtime.testing.waiting import eventually

OTHER_ACCOUNT = "tenants/t_other/brands/lumiere/socialAccounts/main"


@dataclass
class Served:
    """The service running in `all` mode, a PresenceService client, feeds and tokens."""

    stub: Any
    feeds: Feeds
    store: Any
    keys: Any

    def token(self, role: Role = Role.GROUP_ADMIN, subsidiary: str | None = None) -> Any:
        from vigie_runtime.grpc_client import bearer

        return bearer(self.keys.token(TENANT, (role, subsidiary)))


@pytest.fixture
async def served(settings: Settings, nats_client: Client, store: Any) -> AsyncIterator[Served]:
    from vigie_reputation.bootstrap import build
    from vigie_runtime.grpc_client import open_channel
    from vigie_runtime.testing.services import serving
    from vigie_runtime.testing.tokens import TestKeys

    feeds = await feeds_on(nats_client.jetstream())
    async with (
        serving(build(settings), mode="all") as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        stub = presence_pb2_grpc.PresenceServiceStub(channel)
        yield Served(stub, feeds, store, TestKeys(settings.platform.jwks_file))


async def fed(served: Served) -> None:
    """Lumiere (Paris) with its rival, two days of snapshots, two mentions (one asks)."""
    await served.feeds.brand("lumiere", ["rival"])
    await eventually(applied(served.store, "reputation-brands", 1))
    await paris_subsidiary(served.store)
    await feed_two_days(served.feeds)
    await eventually(applied(served.store, PRESENCE, 4))
    await eventually(applied(served.store, MENTIONS, 2))


def window(scope: str, days: float = 2, granularity: int = pb.PRESENCE_GRANULARITY_DAY) -> Any:
    start = DAY1 - timedelta(hours=1)  # midnight in Paris
    return pb.GetPresenceRequest(
        scope=scope,
        start_time=ts(start),
        end_time=ts(start + timedelta(days=days)),
        granularity=granularity,
    )


BRAND = f"tenants/{TENANT}/brands/lumiere"


async def test_a_brands_presence_over_grpc_is_the_hand_worked_one(served: Served) -> None:
    await fed(served)
    admin = served.token()
    got = await served.stub.GetPresence(window(BRAND), metadata=admin)
    assert got.time_zone == "Europe/Paris"
    # 1000 -> 1200 followers: +200, 20 %; 2 posts (20 and 0 engagements)
    assert (got.followers_start, got.followers_end, got.growth) == (1000, 1200, 200)
    assert got.growth_percent == pytest.approx(20.0)
    assert got.engagement_rate == pytest.approx(20 / 2400)
    assert [p.followers for p in got.points] == [1000, 1200]
    shares = {s.brand.rsplit("/", 1)[1]: (s.engagements, s.share) for s in got.engagement_shares}
    assert shares == {"lumiere": (20, 0.25), "rival": (60, 0.75)}
    assert got.response_times.question_count == 1
    assert got.response_times.median.ToTimedelta() == timedelta(minutes=30)

    group = await served.stub.GetPresence(window(f"tenants/{TENANT}"), metadata=admin)
    (france,) = group.subsidiaries
    assert france.scope == f"tenants/{TENANT}/subsidiaries/france"
    assert (france.time_zone, france.growth) == ("Europe/Paris", 200)

    top = await served.stub.ListTopPosts(
        pb.ListTopPostsRequest(
            scope=MAIN,
            start_time=window(BRAND).start_time,
            end_time=window(BRAND).end_time,
            page_size=1,
        ),
        metadata=admin,
    )
    assert [(p.uri, p.engagements) for p in top.posts] == [("at://lumiere/p1", 20)]


async def test_an_accounts_snapshots_come_in_pages(served: Served) -> None:
    await fed(served)
    admin = served.token()
    asked = pb.ListAccountSnapshotsRequest(
        account=MAIN,
        start_time=window(MAIN).start_time,
        end_time=window(MAIN).end_time,
        page_size=2,
    )
    first = await served.stub.ListAccountSnapshots(asked, metadata=admin)
    asked.page_token = first.next_page_token
    second = await served.stub.ListAccountSnapshots(asked, metadata=admin)
    followers = [s.followers for s in [*first.snapshots, *second.snapshots]]
    assert followers == [1000, 1100, 1200] and not second.next_page_token


@pytest.mark.parametrize(
    ("asked", "code", "reason"),
    [
        (window(OTHER_ACCOUNT), grpc.StatusCode.NOT_FOUND, "ACCOUNT_NOT_FOUND"),
        (window(f"{BRAND}/socialAccounts/nope"), grpc.StatusCode.NOT_FOUND, "ACCOUNT_NOT_FOUND"),
        (window(f"tenants/{TENANT}/brands/nope"), grpc.StatusCode.NOT_FOUND, "BRAND_NOT_FOUND"),
        (window(BRAND, days=0), grpc.StatusCode.INVALID_ARGUMENT, "WINDOW_EMPTY"),
        (window(BRAND, days=-1), grpc.StatusCode.INVALID_ARGUMENT, "WINDOW_EMPTY"),
        (window(BRAND, days=401), grpc.StatusCode.INVALID_ARGUMENT, "WINDOW_TOO_LONG"),
        (window(BRAND, granularity=0), grpc.StatusCode.INVALID_ARGUMENT, "GRANULARITY_MISSING"),
        (window(BRAND, granularity=9), grpc.StatusCode.INVALID_ARGUMENT, "GRANULARITY_UNKNOWN"),
        (window("brands/lumiere"), grpc.StatusCode.INVALID_ARGUMENT, "SCOPE_INVALID"),
    ],
)
async def test_bad_requests_are_refused_with_their_reason(
    served: Served, refused: Any, asked: Any, code: Any, reason: str
) -> None:
    await fed(served)
    admin = served.token()
    await refused(served.stub.GetPresence(asked, metadata=admin), code, reason)


async def test_another_subsidiarys_analyst_cannot_read_the_brand(
    served: Served, refused: Any
) -> None:
    await fed(served)
    spain = served.token(Role.ANALYST, f"tenants/{TENANT}/subsidiaries/spain")
    france = served.token(Role.ANALYST, f"tenants/{TENANT}/subsidiaries/france")
    assert (await served.stub.GetPresence(window(BRAND), metadata=france)).growth == 200
    denied = grpc.StatusCode.PERMISSION_DENIED
    await refused(served.stub.GetPresence(window(BRAND), metadata=spain), denied, "ROLE_REQUIRED")
    await refused(served.stub.GetPresence(window(MAIN), metadata=spain), denied, "ROLE_REQUIRED")
    group = window(f"tenants/{TENANT}")
    await refused(served.stub.GetPresence(group, metadata=france), denied, "ROLE_REQUIRED")


def no_window(scope: str) -> Any:
    return pb.GetPresenceRequest(scope=scope, granularity=pb.PRESENCE_GRANULARITY_DAY)


def snapshots(asked: Any, page_size: int = 0) -> Any:
    """The same scope and window asked of ListAccountSnapshots."""
    request = pb.ListAccountSnapshotsRequest(account=asked.scope, page_size=page_size)
    if asked.HasField("start_time"):
        request.start_time.CopyFrom(asked.start_time)
        request.end_time.CopyFrom(asked.end_time)
    return request


def top_posts(asked: Any, page_size: int = 0) -> Any:
    request = pb.ListTopPostsRequest(scope=asked.scope, page_size=page_size)
    if asked.HasField("start_time"):
        request.start_time.CopyFrom(asked.start_time)
        request.end_time.CopyFrom(asked.end_time)
    return request


NOT_FOUND, INVALID = grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT
NOBODY = f"{BRAND}/socialAccounts/nope"


@pytest.mark.parametrize(
    ("rpc", "asked", "code", "reason"),
    [
        ("GetPresence", no_window(BRAND), INVALID, "WINDOW_EMPTY"),
        ("ListAccountSnapshots", snapshots(window(NOBODY)), NOT_FOUND, "ACCOUNT_NOT_FOUND"),
        ("ListAccountSnapshots", snapshots(window(OTHER_ACCOUNT)), NOT_FOUND, "ACCOUNT_NOT_FOUND"),
        ("ListAccountSnapshots", snapshots(window(BRAND)), INVALID, "SCOPE_INVALID"),
        ("ListAccountSnapshots", snapshots(window(MAIN, days=0)), INVALID, "WINDOW_EMPTY"),
        ("ListAccountSnapshots", snapshots(no_window(MAIN)), INVALID, "WINDOW_EMPTY"),
        ("ListAccountSnapshots", snapshots(window(MAIN, days=3 * 365)), INVALID, "WINDOW_TOO_LONG"),
        ("ListTopPosts", top_posts(window(NOBODY)), NOT_FOUND, "ACCOUNT_NOT_FOUND"),
        ("ListTopPosts", top_posts(window(f"tenants/{TENANT}/brands/nope")), NOT_FOUND, "BRAND_NOT_FOUND"),
        ("ListTopPosts", top_posts(window(BRAND, days=-1)), INVALID, "WINDOW_EMPTY"),
        ("ListTopPosts", top_posts(no_window(BRAND)), INVALID, "WINDOW_EMPTY"),
        ("ListTopPosts", top_posts(window(BRAND, days=3 * 365)), INVALID, "WINDOW_TOO_LONG"),
        ("ListTopPosts", top_posts(window(BRAND), page_size=101), INVALID, "PAGE_SIZE_OUT_OF_RANGE"),
        ("ListTopPosts", top_posts(window(BRAND), page_size=-1), INVALID, "PAGE_SIZE_OUT_OF_RANGE"),
    ],
)  # fmt: skip
async def test_bad_snapshot_and_top_post_requests_are_refused_with_their_reason(
    served: Served, refused: Any, rpc: str, asked: Any, code: Any, reason: str
) -> None:
    await fed(served)
    await refused(getattr(served.stub, rpc)(asked, metadata=served.token()), code, reason)
