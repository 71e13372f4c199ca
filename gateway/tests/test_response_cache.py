"""The gateway's response cache (vigie_gateway/response_cache.py) on the real directory, listener
and reputation over NATS: a kept dashboard answer is served again, forgotten when a new mention
is scored (pushed by a partner straight to the listener, so only the NATS facts can tell the
gateway), and never served to a principal with other access, in this tenant or another.

The answers' maximum age is set far beyond the tests' waits, so only a fact can refresh them."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from graphql import ExecutionResult
from prometheus_client import REGISTRY
from vigie.directory.v1 import directory_pb2 as directory
from vigie.directory.v1 import directory_pb2_grpc
from vigie.directory.v1 import resources_pb2 as directory_pb
from vigie.listener.v1 import listener_pb2 as listener
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as listener_pb
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.response_cache import ResponseCache
from vigie_gateway.testing import Front, graphql_front
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.testing.waiting import eventually

PASSWORD = "a-long-password-1234"
DASHBOARD = """query Dashboard($b: ID!) { latest: mentions(filter: {brandIds: [$b]}, first: 20)
  { nodes { text sentiment { label } } } }"""


def hits() -> float:
    return REGISTRY.get_sample_value("vigie_graphql_response_cache_total", {"outcome": "hit"}) or 0


@dataclass
class World:
    tenant: str
    fr: str  # the brand's subsidiary
    es: str  # another subsidiary of the same group
    brand: str
    source: str
    partner_token: str
    channels: dict[str, Any]

    @property
    def directory(self) -> directory_pb2_grpc.DirectoryServiceStub:
        return directory_pb2_grpc.DirectoryServiceStub(self.channels["directory"])

    @property
    def listener(self) -> listener_pb2_grpc.ListenerServiceStub:
        return listener_pb2_grpc.ListenerServiceStub(self.channels["listener"])

    async def push(self, external_id: str, text: str) -> None:
        stamp = Timestamp()
        stamp.FromDatetime(datetime.now(UTC))
        pushed = listener.IngestMentionsRequest(
            source=self.source, external_id=external_id,
            mention=listener_pb.Mention(
                brand=self.brand, text=text, language="en", publish_time=stamp,
                author=listener_pb.MentionAuthor(handle="@fan", followers_count=10),
            ),
        )  # fmt: skip

        async def stream() -> AsyncIterator[listener.IngestMentionsRequest]:
            yield pushed

        answer = await self.listener.IngestMentions(stream(), metadata=bearer(self.partner_token))
        assert answer.accepted_count == 1, answer.refusals


async def _build_world(admin: Front, targets: dict[str, str], tenant: str) -> World:
    channels = {name: open_channel(target) for name, target in targets.items()}
    auth = bearer(admin.token)
    people = directory_pb2_grpc.DirectoryServiceStub(channels["directory"])
    subsidiaries = []
    for name, country, zone in [("France", "FR", "Europe/Paris"), ("Spain", "ES", "Europe/Madrid")]:
        made = await people.CreateSubsidiary(
            directory.CreateSubsidiaryRequest(
                parent=tenant,
                subsidiary=directory_pb.Subsidiary(
                    display_name=name, country=country, locale="en-GB", time_zone=zone
                ),
            ),
            metadata=auth,
        )
        subsidiaries.append(made.name)
    brand = await people.CreateBrand(
        directory.CreateBrandRequest(
            parent=tenant,
            brand=directory_pb.Brand(
                subsidiary=subsidiaries[0], display_name="Lumiere", kind=directory_pb.BRAND_KIND_OWN
            ),
        ),
        metadata=auth,
    )
    for email, subsidiary in [("fr@acme.test", subsidiaries[0]), ("es@acme.test", subsidiaries[1])]:
        grant = directory_pb.RoleGrant(role=directory_pb.ROLE_ANALYST, subsidiary=subsidiary)
        member = directory_pb.Member(email=email, display_name=email, roles=[grant])
        await people.CreateMember(
            directory.CreateMemberRequest(parent=tenant, member=member, password=PASSWORD),
            metadata=auth,
        )
    client = await people.CreatePartnerClient(
        directory.CreatePartnerClientRequest(
            parent=tenant,
            partner_client=directory_pb.PartnerClient(
                display_name="agency", brands=[brand.name], scopes=["mentions.ingest"]
            ),
        ),
        metadata=auth,
    )
    token = await people.IssuePartnerToken(
        directory.IssuePartnerTokenRequest(
            client_id=client.partner_client.client_id, client_secret=client.client_secret
        )
    )
    listening = listener_pb2_grpc.ListenerServiceStub(channels["listener"])
    query = listener.CreateListeningQueryRequest(
        parent=brand.name,
        listening_query=listener_pb.ListeningQuery(display_name="n", query="lumiere", active=True),
    )

    async def brand_known() -> bool:
        try:
            await listening.CreateListeningQuery(query, metadata=auth)
        except Exception:  # the brand has not reached the listener yet
            return False
        return True

    await eventually(brand_known, 90)
    source = await listening.CreateSource(
        listener.CreateSourceRequest(
            parent=tenant,
            source=listener_pb.Source(
                display_name="agency", kind=listener_pb.SOURCE_KIND_PARTNER, enabled=True,
                partner=listener_pb.PartnerSourceConfig(partner_client=client.partner_client.name),
            ),
        ),
        metadata=auth,
    )  # fmt: skip
    return World(
        tenant, subsidiaries[0], subsidiaries[1], brand.name, source.name, token.token, channels
    )


@asynccontextmanager
async def _world_behind_gateway(behind_gateway: Any) -> AsyncIterator[tuple[Any, Front, World]]:
    served = await behind_gateway("listener", "reputation")
    async with graphql_front(served.app) as admin:
        await admin.log_in("admin@acme.test", ADMIN_PASSWORD)
        world = await _build_world(admin, served.targets, served.tenants["Acme Group"])
        try:
            yield served, admin, world
        finally:
            for channel in world.channels.values():
                await channel.close()


@pytest.fixture
async def platform(
    behind_gateway: Any, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Any, Front, World]]:
    """Only a fact refreshes an answer: no stale serving, and an age far beyond the waits."""
    monkeypatch.setenv("GATEWAY_RESPONSE_CACHE_MAX_AGE_SECONDS", "300")
    monkeypatch.setenv("GATEWAY_RESPONSE_CACHE_STALE_SECONDS", "0")
    async with _world_behind_gateway(behind_gateway) as running:
        yield running


@pytest.fixture
async def stale_platform(
    behind_gateway: Any, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Any, Front, World]]:
    """Overtaken answers may be served for a minute while refreshed."""
    monkeypatch.setenv("GATEWAY_RESPONSE_CACHE_MAX_AGE_SECONDS", "300")
    monkeypatch.setenv("GATEWAY_RESPONSE_CACHE_STALE_SECONDS", "60")
    async with _world_behind_gateway(behind_gateway) as running:
        yield running


def texts_scored(answer: dict[str, Any]) -> set[str]:
    nodes = ((answer.get("data") or {}).get("latest") or {}).get("nodes") or []
    return {n["text"] for n in nodes if n["sentiment"]}


async def test_a_cached_dashboard_changes_after_a_new_scored_mention_arrives(
    platform: tuple[Any, Front, World],
) -> None:
    _, admin, world = platform
    await world.push("m1", "lumiere is wonderful")

    async def first_scored() -> bool:
        return "lumiere is wonderful" in texts_scored(await admin.ask(DASHBOARD, b=world.brand))

    await eventually(first_scored, 120)
    before = hits()
    settled = await admin.ask(DASHBOARD, b=world.brand)
    assert await admin.ask(DASHBOARD, b=world.brand) == settled
    assert hits() > before  # the same question was answered from the cache

    await world.push("m2", "lumiere is awful")

    async def second_scored() -> bool:
        return "lumiere is awful" in texts_scored(await admin.ask(DASHBOARD, b=world.brand))

    await eventually(second_scored, 120)  # only mention.captured/scored could make it show


async def test_a_cached_answer_is_never_served_to_a_principal_with_other_access(
    platform: tuple[Any, Front, World],
) -> None:
    served, admin, world = platform
    await world.push("m1", "lumiere is wonderful")

    async def scored() -> bool:
        return bool(texts_scored(await admin.ask(DASHBOARD, b=world.brand)))

    await eventually(scored, 120)
    kept = await admin.ask(DASHBOARD, b=world.brand)
    before = hits()
    assert await admin.ask(DASHBOARD, b=world.brand) == kept and hits() > before

    async with graphql_front(served.app) as other:
        # An analyst of another subsidiary: the service's refusal, not the admin's answer.
        await other.log_in("es@acme.test", PASSWORD)
        refused = await other.ask(DASHBOARD, b=world.brand)
        assert refused.get("errors") and refused != kept, refused

        # An analyst of the brand's subsidiary reads the same data, but it is not a hit.
        await other.log_in("fr@acme.test", PASSWORD)
        before = hits()
        allowed = await other.ask(DASHBOARD, b=world.brand)
        assert texts_scored(allowed) == texts_scored(kept) and hits() == before

        # Another group's admin, asking for this group's brand.
        await other.log_in("admin@rival.test", ADMIN_PASSWORD)
        before = hits()
        foreign = await other.ask(DASHBOARD, b=world.brand)
        assert texts_scored(foreign) == set() and hits() == before, foreign


def live_cache() -> ResponseCache:
    cache = ResponseCache(max_age_seconds=300, capacity=10)
    cache.live = True
    return cache


async def test_concurrent_misses_of_one_answer_are_computed_once() -> None:
    cache = live_cache()
    seen = cache.version("t1")
    first, leading = await cache.follow_or_lead("t1", "k", seen)
    assert first is None and leading is not None  # the first miss computes
    follower = asyncio.create_task(cache.follow_or_lead("t1", "k", seen))
    await asyncio.sleep(0)
    assert not follower.done()  # the second waits for the first's answer
    answer = ExecutionResult(data={"x": 1})
    cache.settle("t1", "k", seen, leading, answer)
    assert await follower == (answer, None)
    assert cache.get("t1", "k") is answer


async def test_an_answer_computed_before_a_fact_is_not_kept() -> None:
    cache = live_cache()
    seen = cache.version("t1")
    cache.invalidate("t1")  # a fact arrived while the answer was being computed
    cache.put("t1", "k", ExecutionResult(data={"x": 1}), seen)
    assert cache.get("t1", "k") is None
    cache.put("t2", "k", ExecutionResult(data={"x": 2}), cache.version("t2"))
    cache.invalidate("t1")
    assert cache.get("t2", "k") is not None  # another tenant's fact changes nothing here
    cache.live = False  # the fact feed is down: nothing is served
    assert cache.get("t2", "k") is None


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def stale_cache(clock: Clock, stale_seconds: float = 1.0) -> ResponseCache:
    cache = ResponseCache(
        max_age_seconds=300, capacity=10, stale_seconds=stale_seconds, clock=clock
    )
    cache.live = True
    return cache


def test_an_overtaken_answer_is_served_stale_only_within_the_window() -> None:
    clock = Clock()
    cache = stale_cache(clock)
    answer = ExecutionResult(data={"x": 1})
    cache.put("t1", "k", answer, cache.version("t1"))
    assert cache.get_stale("t1", "k") is None  # current: served by get, not as stale
    clock.now += 10
    cache.invalidate("t1")  # a fact the answer does not show
    clock.now += 0.4
    cache.invalidate("t1")  # and another: the staleness counts from the first
    clock.now += 0.3
    assert cache.get("t1", "k") is None
    served = cache.get_stale("t1", "k")
    assert served is not None and served[0] is answer and abs(served[1] - 0.7) < 1e-9
    clock.now += 0.31  # the first fact it does not show is now 1.01 s old
    assert cache.get_stale("t1", "k") is None
    assert cache.get_stale("t2", "k") is None  # nothing kept for another tenant


def test_after_a_mutation_here_no_older_answer_is_served_or_kept() -> None:
    clock = Clock()
    cache = stale_cache(clock)
    seen = cache.version("t1")
    cache.put("t1", "k", ExecutionResult(data={"x": 1}), seen)
    cache.invalidate("t1", mutation=True)
    assert cache.get_stale("t1", "k") is None  # the caller must read its own write
    cache.put("t1", "k2", ExecutionResult(data={"x": 2}), seen)  # computed before the mutation
    cache.invalidate("t1")
    assert cache.get_stale("t1", "k2") is None


def test_a_late_answer_does_not_replace_a_newer_one() -> None:
    clock = Clock()
    cache = stale_cache(clock)
    old_seen = cache.version("t1")
    cache.invalidate("t1")
    newer = ExecutionResult(data={"x": "newer"})
    cache.put("t1", "k", newer, cache.version("t1"))
    cache.put("t1", "k", ExecutionResult(data={"x": "older"}), old_seen)  # a slow refresh ends
    assert cache.get("t1", "k") is newer
    without_window = stale_cache(clock, stale_seconds=0)
    seen = without_window.version("t1")
    without_window.invalidate("t1")
    without_window.put("t1", "k", ExecutionResult(data={"x": 1}), seen)
    assert without_window.get("t1", "k") is None and without_window.get_stale("t1", "k") is None


async def test_an_answer_is_refreshed_at_most_twice_per_stale_window() -> None:
    clock = Clock()
    cache = stale_cache(clock, stale_seconds=1.0)
    runs = []

    async def run() -> None:
        runs.append(clock.now)

    cache.put("t1", "k", ExecutionResult(data={"x": 1}), cache.version("t1"))
    cache.invalidate("t1")
    clock.now += 0.3
    cache.refresh("t1", "k", run)  # kept 0.3 s ago: too soon
    await asyncio.sleep(0)
    assert runs == []
    clock.now += 0.2
    cache.refresh("t1", "k", run)  # half the window: due
    await asyncio.sleep(0)
    assert runs == [clock.now]


async def test_one_background_refresh_per_answer_at_a_time() -> None:
    cache = stale_cache(Clock())
    started, release = asyncio.Event(), asyncio.Event()
    runs = []

    async def run() -> None:
        runs.append(1)
        started.set()
        await release.wait()

    cache.refresh("t1", "k", run)
    await started.wait()
    cache.refresh("t1", "k", run)  # already refreshing: nothing more
    cache.refresh("t1", "other", run)  # another answer: its own refresh
    await asyncio.sleep(0)
    assert len(runs) == 2
    release.set()
    await asyncio.sleep(0.01)
    cache.refresh("t1", "k", run)  # the first ended: a new one may start
    await asyncio.sleep(0)
    assert len(runs) == 3
    release.set()


def stale_served() -> float:
    return (
        REGISTRY.get_sample_value("vigie_graphql_response_cache_total", {"outcome": "stale"}) or 0
    )


async def test_a_dashboard_is_served_stale_then_refreshed_and_a_mutation_is_read_at_once(
    stale_platform: tuple[Any, Front, World],
) -> None:
    _, admin, world = stale_platform
    await world.push("m1", "lumiere is wonderful")

    async def first_scored() -> bool:
        return "lumiere is wonderful" in texts_scored(await admin.ask(DASHBOARD, b=world.brand))

    await eventually(first_scored, 120)
    kept = await admin.ask(DASHBOARD, b=world.brand)
    await world.push("m2", "lumiere is awful")

    # Until the refresh lands, the kept answer is served (stale), never an error; then the
    # refreshed one shows the new mention, with no request having waited for it.
    before = stale_served()

    async def refreshed() -> bool:
        answer = await admin.ask(DASHBOARD, b=world.brand)
        texts = {n["text"] for n in answer["data"]["latest"]["nodes"]}
        assert answer == kept or "lumiere is awful" in texts, answer
        return "lumiere is awful" in texts_scored(answer)

    await eventually(refreshed, 120)
    assert stale_served() > before

    # A mutation through this gateway: the next read is computed, not served stale.
    created = await admin.ask(
        """mutation($b: ID!) { createListeningQuery(input: {brandId: $b,
           displayName: "second", query: "lumiere awful", active: true}) { __typename } }""",
        b=world.brand,
    )
    assert not created.get("errors"), created
    before = stale_served()
    await admin.ask(DASHBOARD, b=world.brand)
    assert stale_served() == before
