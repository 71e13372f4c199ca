"""Presence measured end to end from the real local Bluesky PDS (no AppView): a brand's own
account (connected to the publisher with its credentials) and a competitor's public account
(tracked) are snapshotted on demand; people on the PDS then follow, like, repost, reply and
quote; a second snapshot reaches the reputation over NATS (`account.snapshotted`) and its
PresenceService and GraphQL `presence` follow: growth, posts and cadence, engagements, the
engagement rate and the share of engagement, each worked out by hand from docs/ANALYTICS.md.
Another group sees none of it; an unknown account is NOT_FOUND. (SQLite or PostgreSQL.)"""

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.publisher.v1 import publisher_pb2 as publisher_rpc
from vigie.publisher.v1 import publisher_pb2_grpc
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie.reputation.v1 import presence_pb2 as presence
from vigie.reputation.v1 import presence_pb2_grpc
from vigie_directory.bootstrap import build as build_directory
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_gateway.testing import Front, graphql_front
from vigie_publisher.bootstrap import build as build_publisher
from vigie_publisher.config import Settings as PublisherSettings
from vigie_publisher.pds_testing import PdsUser
from vigie_reputation.bootstrap import build as build_reputation
from vigie_reputation.config import Settings as ReputationSettings
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.testing.bluesky_pds import BlueskyPds
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually

# The first run may install the PDS (minutes), inside this test's time budget.
pytestmark = [pytest.mark.e2e, pytest.mark.node, pytest.mark.timeout(1200)]

PARIS = ZoneInfo("Europe/Paris")
T = TypeVar("T")


@dataclass
class Platform:
    front: Front  # Acme Group's admin
    outsider: Front  # Rival Group's admin, on the same gateway
    tenant: str
    publisher: publisher_pb2_grpc.PublisherServiceStub
    presence: presence_pb2_grpc.PresenceServiceStub

    def admin(self) -> tuple[tuple[str, str], ...]:
        return bearer(self.front.token)


@pytest.fixture
async def platform(tmp_path: Path, database_url: str, nats_url: str) -> AsyncIterator[Platform]:
    """The directory, the publisher and the reputation on one NATS, each with its database,
    behind the gateway. The publisher's own loop waits a day: snapshots here are on demand."""
    directory = directory_settings(tmp_path, database_url, nats_url)
    async with (
        temporary_database(tmp_path, "publisher") as publisher_url,
        temporary_database(tmp_path, "reputation") as reputation_url,
        serving(build_directory(directory), mode="all") as directory_host,
    ):
        publishing = PublisherSettings(
            database_url=publisher_url, grpc_address="127.0.0.1:0", platform=directory.platform,
            snapshot_interval=timedelta(days=1),
        )  # fmt: skip
        measuring = ReputationSettings(
            database_url=reputation_url, grpc_address="127.0.0.1:0", platform=directory.platform,
            sentiment_model="fast",
        )  # fmt: skip
        async with (
            serving(build_publisher(publishing), mode="all") as publisher_host,
            serving(build_reputation(measuring), mode="all") as reputation_host,
            open_channel(f"127.0.0.1:{publisher_host.grpc_port}") as publisher_channel,
            open_channel(f"127.0.0.1:{reputation_host.grpc_port}") as reputation_channel,
        ):
            tenant = await bootstrap_tenant(directory, "Acme Group", "admin@acme.test")
            await bootstrap_tenant(directory, "Rival Group", "admin@rival.test")
            gateway = GatewaySettings(
                directory_target=f"127.0.0.1:{directory_host.grpc_port}",
                publisher_target=f"127.0.0.1:{publisher_host.grpc_port}",
                reputation_target=f"127.0.0.1:{reputation_host.grpc_port}",
                platform=directory.platform,
            )
            async with graphql_front(create_app(gateway)) as front:
                await front.log_in("admin@acme.test", ADMIN_PASSWORD)
                outsider = Front(front.http, front.url)
                await outsider.log_in("admin@rival.test", ADMIN_PASSWORD)
                yield Platform(
                    front, outsider, tenant,
                    publisher_pb2_grpc.PublisherServiceStub(publisher_channel),
                    presence_pb2_grpc.PresenceServiceStub(reputation_channel),
                )  # fmt: skip


SUBSIDIARY = """mutation { createSubsidiary(input: {displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) {
  subsidiary { id } errors { code reason message field } } }"""
BRAND = """mutation($s: ID!, $n: String!, $k: BrandKind!, $c: [ID!]!) { createBrand(input:
  {subsidiaryId: $s, displayName: $n, kind: $k, competitorIds: $c}) {
  brand { id } errors { code reason message field } } }"""
PRESENCE = """query($s: ID!, $a: DateTime!, $b: DateTime!) {
  presence(scope: $s, start: $a, end: $b, granularity: DAY) {
    timeZone followersStart followersEnd growth growthPercent postCount postsPerWeek
    engagements engagementRate reach reachIsImpressions engagementShares { brand engagements share }
  } }"""


@dataclass
class Brands:
    subsidiary: str
    own: str  # tenants/{t}/brands/{b}
    rival: str  # the competitor it is compared with


async def _brands(front: Front) -> Brands:
    subsidiary = (await front.ask(SUBSIDIARY))["data"]["createSubsidiary"]["subsidiary"]["id"]
    made = await front.ask(BRAND, s=subsidiary, n="Rivale", k="COMPETITOR", c=[])
    rival = made["data"]["createBrand"]["brand"]["id"]
    made = await front.ask(BRAND, s=subsidiary, n="Lumière", k="OWN", c=[rival])
    return Brands(subsidiary, made["data"]["createBrand"]["brand"]["id"], rival)


async def _person(pds: BlueskyPds, prefix: str) -> tuple[PdsUser, str]:
    """A new account of the PDS (unique: the PDS is shared by the session), and its password."""
    _, handle, password = pds.create_account(f"{prefix}{secrets.token_hex(4)}")
    return await PdsUser.login(pds.url, handle, password), password


async def _once_known(call: Callable[[], Awaitable[T]], seconds: float = 30) -> T:
    """The call's answer once it stops being NOT_FOUND: a brand reaches each service's replica
    through the directory's events."""
    answers: list[T] = []

    async def answered() -> bool:
        try:
            answers.append(await call())
        except grpc.aio.AioRpcError as refused:
            if refused.code() != grpc.StatusCode.NOT_FOUND:
                raise
            return False
        return True

    await eventually(answered, seconds)
    return answers[-1]


async def _connect(platform: Platform, brand: str, owner: PdsUser, password: str, pds: str) -> str:
    credentials = publisher.SocialAccountCredentials(
        bluesky=publisher.BlueskyCredentials(
            service_url=pds, identifier=owner.handle, app_password=password
        )
    )
    account = publisher.SocialAccount(
        network=publisher.NETWORK_BLUESKY, handle="@" + owner.handle, time_zone="Europe/Paris",
        credentials=credentials,
    )  # fmt: skip
    request = publisher_rpc.CreateSocialAccountRequest(parent=brand, social_account=account)
    made = await _once_known(
        lambda: platform.publisher.CreateSocialAccount(request, metadata=platform.admin())
    )
    return str(made.name)


async def _track(platform: Platform, brand: str, handle: str, pds: str) -> str:
    account = publisher.TrackedAccount(
        network=publisher.NETWORK_BLUESKY, handle=handle, instance_url=pds
    )
    request = publisher_rpc.CreateTrackedAccountRequest(parent=brand, tracked_account=account)
    made = await _once_known(
        lambda: platform.publisher.CreateTrackedAccount(request, metadata=platform.admin())
    )
    return str(made.name)


def _stamp(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def _paris_days_around_today() -> tuple[datetime, datetime]:
    """Yesterday to tomorrow in Paris, whole local days: read from the day roll-ups, which keep
    each day's first and last snapshot (the 5-minute rows keep one per bucket)."""
    today = datetime.now(PARIS).date()
    start = datetime.combine(today - timedelta(days=1), time(), PARIS)
    return start, datetime.combine(today + timedelta(days=2), time(), PARIS)


async def _presence(platform: Platform, scope: str, metadata: Any = None) -> presence.Presence:
    start, end = _paris_days_around_today()
    request = presence.GetPresenceRequest(
        scope=scope, start_time=_stamp(start), end_time=_stamp(end),
        granularity=presence.PRESENCE_GRANULARITY_DAY,
    )  # fmt: skip
    answer: presence.Presence = await platform.presence.GetPresence(
        request, metadata=metadata or platform.admin()
    )
    return answer


async def _applied(platform: Platform, snapshot: publisher.AccountSnapshot) -> None:
    """Waits until the reputation holds this very snapshot of the account (its raw row)."""
    start, end = _paris_days_around_today()
    request = presence.ListAccountSnapshotsRequest(
        account=snapshot.account, start_time=_stamp(start), end_time=_stamp(end), page_size=100
    )

    async def held() -> bool:
        try:
            page = await platform.presence.ListAccountSnapshots(request, metadata=platform.admin())
        except grpc.aio.AioRpcError as refused:
            if refused.code() != grpc.StatusCode.NOT_FOUND:  # the account's first snapshot
                raise
            return False
        return any(p.snapshot_time == snapshot.snapshot_time for p in page.snapshots)

    await eventually(held, 60)


async def _snapshot(platform: Platform, account: str) -> publisher.AccountSnapshot:
    request = publisher_rpc.SnapshotAccountRequest(account=account)
    taken: publisher.AccountSnapshot = await platform.publisher.SnapshotAccount(
        request, metadata=platform.admin()
    )
    await _applied(platform, taken)
    return taken


def _engagement(snapshot: publisher.AccountSnapshot) -> dict[str, tuple[int, int, int, int]]:
    return {p.uri: (p.likes, p.reposts, p.replies, p.quotes) for p in snapshot.recent_posts}


def _cadence(posts: int) -> float:
    start, end = _paris_days_around_today()
    return posts / ((end - start) / timedelta(days=7))


@dataclass
class Scene:
    """The brands, and on the PDS the brand's account, the rival's and four fans; in Vigie the
    brand's connected account and the rival's tracked one."""

    brands: Brands
    owner: PdsUser
    rival: PdsUser
    fans: list[PdsUser]
    own: str  # tenants/{t}/brands/{b}/socialAccounts/{a}
    tracked: str  # tenants/{t}/brands/{rival}/trackedAccounts/{a}


async def _scene(platform: Platform, pds: BlueskyPds) -> Scene:
    brands = await _brands(platform.front)
    # The reputation counts days in the subsidiary's zone once its replica knows it.
    await _once_known(lambda: _presence(platform, brands.own))
    await _once_known(lambda: _presence(platform, brands.subsidiary))
    (owner, password), (rival, _) = await _person(pds, "lum"), await _person(pds, "riv")
    fans = [(await _person(pds, f"fan{i}"))[0] for i in range(4)]
    own = await _connect(platform, brands.own, owner, password, pds.url)
    tracked = await _track(platform, brands.rival, rival.handle, pds.url)
    return Scene(brands, owner, rival, fans, own, tracked)


async def test_the_presence_follows_the_pds_between_two_snapshots(
    platform: Platform, bluesky_pds: BlueskyPds
) -> None:
    scene = await _scene(platform, bluesky_pds)
    brands, own, tracked, owner, rival, fans = (
        scene.brands, scene.own, scene.tracked, scene.owner, scene.rival, scene.fans
    )  # fmt: skip
    # Before: one follower and one post for the brand, one post and nobody for the rival.
    await fans[0].follow(owner)
    p0 = await owner.post("Bonjour de Lumière")
    c0 = await rival.post("Rivale arrive")
    own_before, rival_before = await _snapshot(platform, own), await _snapshot(platform, tracked)
    assert (own_before.followers, own_before.posts, own_before.owned) == (1, 1, True)
    assert (rival_before.followers, rival_before.posts, rival_before.owned) == (0, 1, False)
    between = await _presence(platform, own)
    assert (between.followers_end, between.post_count, between.engagements) == (1, 1, 0)

    # Three new followers; two new posts: p1 liked twice and reposted, p2 replied and quoted;
    # p0 liked at last. The rival: one follower, one new post liked and reposted.
    for fan in fans[1:]:
        await fan.follow(owner)
    p1, p2 = await owner.post("Nouvelle collection"), await owner.post("Qui vient samedi ?")
    await fans[0].like(p0)
    await fans[1].like(p1)
    await fans[2].like(p1)
    await fans[3].repost(p1)
    await fans[1].post("Moi !", reply_to=p2)
    await fans[2].quote("Allez-y", p2)
    await fans[0].follow(rival)
    c1 = await rival.post("Nos prix baissent")
    await fans[0].like(c1)
    await fans[1].repost(c1)
    own_after, rival_after = await _snapshot(platform, own), await _snapshot(platform, tracked)

    # What the publisher read from the PDS: (likes, reposts, replies, quotes) per post.
    assert (own_after.followers, own_after.posts) == (4, 3)
    assert _engagement(own_after) == {
        p0["uri"]: (1, 0, 0, 0), p1["uri"]: (2, 1, 0, 0), p2["uri"]: (0, 0, 1, 1)
    }  # fmt: skip
    assert (rival_after.followers, rival_after.posts) == (1, 2)
    assert _engagement(rival_after) == {c0["uri"]: (0, 0, 0, 0), c1["uri"]: (1, 1, 0, 0)}

    # The brand (its one account): 1 -> 4 followers, +3 = 300 %; 3 posts in the 3-day window;
    # engagements 1 + 3 + 2 = 6; rate = mean of E / followers when the post was first seen:
    # p0 1/1 (seen at the first snapshot), p1 3/4, p2 2/4 -> (1 + 0.75 + 0.5) / 3 = 0.75;
    # potential reach 1 + 4 + 4 = 9; share 6 / (6 + 2) = 0.75 against the rival's 2.
    for scope in (own, brands.own):
        got = await _presence(platform, scope)
        assert (got.followers_start, got.followers_end, got.growth) == (1, 4, 3)
        assert got.growth_percent == pytest.approx(300.0)
        assert (got.post_count, got.engagements, got.reach) == (3, 6, 9)
        assert got.posts_per_week == pytest.approx(_cadence(3))
        assert got.engagement_rate == pytest.approx(0.75)
        assert not got.reach_is_impressions and got.time_zone == "Europe/Paris"
    assert [(s.brand, s.engagements) for s in got.engagement_shares] == [
        (brands.own, 6), (brands.rival, 2)
    ]  # fmt: skip
    assert [s.share for s in got.engagement_shares] == pytest.approx([0.75, 0.25])
    # The rival: 0 -> 1 follower (growth % 0: nobody at the start); c0 0 engagements over 0
    # followers counts 0, c1 2 over 1 follower counts 2 -> rate (0 + 2) / 2 = 1.
    theirs = await _presence(platform, tracked)
    assert (theirs.followers_start, theirs.followers_end, theirs.growth) == (0, 1, 1)
    assert (theirs.growth_percent, theirs.post_count, theirs.engagements) == (0.0, 2, 2)
    assert theirs.engagement_rate == pytest.approx(1.0)
    await _graphql_agrees(platform, brands)
    # The publisher says when each account was last read, and that it went well.
    read = await platform.publisher.GetSocialAccount(
        publisher_rpc.GetSocialAccountRequest(name=own), metadata=platform.admin()
    )
    assert read.last_snapshot_time == own_after.snapshot_time and read.last_snapshot_error == ""


async def _graphql_agrees(platform: Platform, brands: Brands) -> None:
    start, end = _paris_days_around_today()
    answer = await platform.front.ask(
        PRESENCE, s=brands.own, a=start.isoformat(), b=end.isoformat()
    )
    got = answer["data"]["presence"]
    assert (got["followersStart"], got["followersEnd"], got["growth"]) == (1, 4, 3)
    assert (got["postCount"], got["engagements"], got["reach"]) == (3, 6, 9)
    assert got["engagementRate"] == pytest.approx(0.75)
    assert got["postsPerWeek"] == pytest.approx(_cadence(3))
    assert got["timeZone"] == "Europe/Paris" and got["reachIsImpressions"] is False
    assert got["engagementShares"] == [
        {"brand": brands.own, "engagements": 6, "share": 0.75},
        {"brand": brands.rival, "engagements": 2, "share": 0.25},
    ]


async def _refusal(call: Awaitable[object]) -> tuple[grpc.StatusCode, str]:
    """The status code and ErrorInfo reason a call failed with."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    info = error_info(caught.value)
    return caught.value.code(), info.reason if info else ""


async def test_another_group_sees_none_of_it_and_an_unknown_account_is_not_found(
    platform: Platform, bluesky_pds: BlueskyPds
) -> None:
    scene = await _scene(platform, bluesky_pds)
    await scene.owner.post("Bonjour")
    for account in (scene.own, scene.tracked):
        await _snapshot(platform, account)  # held by the reputation, read by Acme's admin
    outsider = bearer(platform.outsider.token)
    not_found = grpc.StatusCode.NOT_FOUND
    for scope, reason in (
        (scene.own, "ACCOUNT_NOT_FOUND"), (scene.tracked, "ACCOUNT_NOT_FOUND"),
        (scene.brands.own, "BRAND_NOT_FOUND"), (scene.brands.rival, "BRAND_NOT_FOUND"),
        (scene.brands.subsidiary, "SUBSIDIARY_NOT_FOUND"),
    ):  # fmt: skip
        assert await _refusal(_presence(platform, scope, outsider)) == (not_found, reason), scope
    snapshot = publisher_rpc.SnapshotAccountRequest(account=scene.own)
    code, _ = await _refusal(platform.publisher.SnapshotAccount(snapshot, metadata=outsider))
    assert code == not_found  # nor can another group take the account's snapshots
    start, end = _paris_days_around_today()
    seen = await platform.outsider.ask(
        PRESENCE, s=scene.brands.own, a=start.isoformat(), b=end.isoformat()
    )
    assert seen.get("data") is None and seen["errors"][0]["extensions"]["code"] == "BRAND_NOT_FOUND"

    # Names of the tenant's own brand that no account has: NOT_FOUND, naming the account.
    for kind in ("socialAccounts", "trackedAccounts"):
        unknown = f"{scene.brands.own}/{kind}/a{secrets.token_hex(6)}"
        assert await _refusal(_presence(platform, unknown)) == (not_found, "ACCOUNT_NOT_FOUND")
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await _presence(platform, unknown)
        assert unknown in str(caught.value.details())


GERMANY = """mutation { createSubsidiary(input: {displayName: "Deutschland", country: "DE",
  locale: "de-DE", timeZone: "Europe/Berlin"}) { subsidiary { id } errors { code } } }"""
ANALYST = """mutation($s: ID!, $p: String!) { createMember(input: {email: "analyst.de@acme.test",
  displayName: "Anna", password: $p, roles: [{role: ANALYST, subsidiaryId: $s}]}) {
  member { id } errors { code reason message } } }"""


async def test_an_analyst_of_another_subsidiary_is_denied_the_brands_presence(
    platform: Platform, bluesky_pds: BlueskyPds
) -> None:
    scene = await _scene(platform, bluesky_pds)
    for account in (scene.own, scene.tracked):
        await _snapshot(platform, account)
    germany = (await platform.front.ask(GERMANY))["data"]["createSubsidiary"]["subsidiary"]["id"]
    password = secrets.token_urlsafe(12)
    made = await platform.front.ask(ANALYST, s=germany, p=password)
    assert made["data"]["createMember"]["member"], made
    analyst = Front(platform.front.http, platform.front.url)
    await analyst.log_in("analyst.de@acme.test", password)
    for scope in (scene.own, scene.tracked, scene.brands.own, scene.brands.subsidiary):
        refused = await _refusal(_presence(platform, scope, bearer(analyst.token)))
        assert refused == (grpc.StatusCode.PERMISSION_DENIED, "ROLE_REQUIRED"), scope


async def test_an_account_the_pds_does_not_know_is_refused_with_why_and_never_measured(
    platform: Platform, bluesky_pds: BlueskyPds
) -> None:
    brands = await _brands(platform.front)
    handle = f"nobody{secrets.token_hex(4)}.test"
    ghost = await _track(platform, brands.rival, handle, bluesky_pds.url)
    code, reason = await _refusal(
        platform.publisher.SnapshotAccount(
            publisher_rpc.SnapshotAccountRequest(account=ghost), metadata=platform.admin()
        )
    )
    assert (code, reason) == (grpc.StatusCode.FAILED_PRECONDITION, "SNAPSHOT_NOT_READ")
    tracked = await platform.publisher.GetTrackedAccount(
        publisher_rpc.GetTrackedAccountRequest(name=ghost), metadata=platform.admin()
    )
    assert tracked.last_error == f"the PDS {bluesky_pds.url} does not know {handle}"
    assert not tracked.HasField("last_snapshot_time")
    await _once_known(lambda: _presence(platform, brands.rival))  # the reputation knows the brand
    refused = await _refusal(_presence(platform, ghost))
    assert refused == (grpc.StatusCode.NOT_FOUND, "ACCOUNT_NOT_FOUND")
