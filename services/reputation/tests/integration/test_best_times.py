"""Best times to post, as the publisher's real `account.snapshotted` events feed them: the read
model, the recompute with its debounce, `best_times.updated` on NATS and GetBestTimes over gRPC
(SQLite or PostgreSQL)."""

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from nats.aio.client import Client
from nats.js import JetStreamContext
from sqlalchemy import func, insert, select
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie.reputation.v1 import events_pb2
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie_reputation.adapters.orm import (
    RUNTIME_TABLES,
    BestTimeAccountRow,
    BestTimePostRow,
    KnownBrandRow,
    KnownSubsidiaryRow,
)
from vigie_reputation.app.events import ACCOUNT_SNAPSHOTTED, BEST_TIMES_UPDATED
from vigie_reputation.config import Settings
from vigie_reputation.domain.best_times import BestTimeParams
from vigie_reputation.entrypoints.best_time_clock import recompute_due
from vigie_runtime.events import cloudevent_headers
from vigie_runtime.host import Plumbing
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.principal import Role
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Received, Reputation

# Tenants of these tests only: on a shared NATS, other services' tests publish snapshots too.
TENANT, OTHER = "t_besttimes", "t_besttimes_other"
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def ts(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def account_name(tenant: str, account: str, brand: str = "lumiere") -> str:
    return f"tenants/{tenant}/brands/{brand}/socialAccounts/{account}"


def peaked_posts(count: int, seed: int) -> list[publisher.PostEngagement]:
    """Posts at random times of the last 80 days; engagement x4 near Tuesday 12:30 local."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    posts = []
    for index in range(count):
        published = now - timedelta(days=2, minutes=rng.randrange(78 * 1440))
        if index % 4 == 0:  # the manager often posts around lunch on Tuesdays
            local = published.astimezone(SAO_PAULO)
            tuesday = local - timedelta(days=(local.weekday() - 1) % 7)
            published = tuesday.replace(hour=12, minute=30) + timedelta(
                minutes=rng.randrange(-30, 31)
            )
        local = published.astimezone(SAO_PAULO)
        away = abs((local.weekday() - 1) * 1440 + local.hour * 60 + local.minute - 750)
        likes = round(30 * (1 + 3 * math.exp(-0.5 * (away / 10) ** 2)) * rng.uniform(0.7, 1.3))
        posts.append(
            publisher.PostEngagement(
                uri=f"at://did:plc:lumiere/app.bsky.feed.post/{seed}-{index}",
                create_time=ts(published),
                likes=likes,
                reposts=likes // 5,
                impressions=-1,
            )
        )
    return posts


@dataclass
class Publisher:
    """Publishes `account.snapshotted` as the publisher does (CloudEvents headers)."""

    js: JetStreamContext

    async def snapshot(
        self,
        tenant: str,
        account: str,
        posts: list[publisher.PostEngagement],
        *,
        event_id: str,
        msg_id: str = "",
        owned: bool = True,
        time_zone: str = "America/Sao_Paulo",
        followers: int = 1000,
        account_name_override: str = "",
    ) -> None:
        snapshot = publisher.AccountSnapshot(
            account=account_name_override or account_name(tenant, account),
            brand=f"tenants/{tenant}/brands/lumiere",
            network=publisher.NETWORK_BLUESKY,
            handle=f"@{account}.bsky.social",
            owned=owned,
            snapshot_time=ts(datetime.now(UTC)),
            followers=followers,
            recent_posts=posts,
            time_zone=time_zone,
        )
        message = publisher_events.AccountSnapshotted(
            snapshot=snapshot, subsidiary=f"tenants/{tenant}/subsidiaries/france"
        )
        headers = cloudevent_headers(
            event_id, ACCOUNT_SNAPSHOTTED.ce_type, "publisher", tenant, datetime.now(UTC)
        )
        headers["Nats-Msg-Id"] = msg_id or event_id  # past JetStream's de-duplication
        await self.js.publish(
            ACCOUNT_SNAPSHOTTED.subject(tenant), message.SerializeToString(), headers=headers
        )


async def published_stream(nats_client: Client) -> Publisher:
    js = nats_client.jetstream()
    await ensure_stream(js, "publisher")
    return Publisher(js)


def announced(received: "Received") -> list[events_pb2.BestTimesUpdated]:
    found = []
    for message in received.of_type(BEST_TIMES_UPDATED.ce_type):
        if (message.headers or {}).get("ce-tenant") not in (TENANT, OTHER):
            continue
        event = events_pb2.BestTimesUpdated()
        event.ParseFromString(message.data)
        found.append(event)
    return found


async def count(reputation: "Reputation", table: Any) -> int:
    """Rows of this test's tenant in a table."""
    query = select(func.count()).select_from(table).where(table.c.tenant == TENANT)
    (row,) = await reputation.store.rows(query)
    return int(row[0])


async def stored(reputation: "Reputation", tenant: str, account: str) -> bool:
    table = BestTimeAccountRow.__table__
    query = select(table).where(table.c.tenant == tenant, table.c.account_id == account)
    return bool(await reputation.store.rows(query))


async def brand_known(reputation: "Reputation") -> bool:
    table = KnownBrandRow.__table__
    return bool(await reputation.store.rows(select(table).where(table.c.tenant == TENANT)))


async def likes_of(reputation: "Reputation", uri: str) -> int:
    table = BestTimePostRow.__table__
    query = select(table.c.interactions).where(table.c.tenant == TENANT, table.c.uri == uri)
    (row,) = await reputation.store.rows(query)
    return int(row[0])


async def get(reputation: "Reputation", name: str, tenant: str = TENANT, size: int = 3) -> Any:
    request = rpc.GetBestTimesRequest(name=f"{name}/bestTimes", page_size=size)
    return await reputation.stub.GetBestTimes(request, metadata=reputation.admin(tenant))


async def test_an_accounts_history_gives_its_best_times_announced_once_and_served(
    reputation: "Reputation", nats_client: Client, reputation_events: "Received"
) -> None:
    publisher_stream = await published_stream(nats_client)
    await reputation.brand(TENANT, "lumiere", [])
    await publisher_stream.snapshot(TENANT, "main", peaked_posts(240, seed=1), event_id="s1")
    await eventually(lambda: _async(len(announced(reputation_events)) == 1))
    (event,) = announced(reputation_events)
    assert event.subsidiary == f"tenants/{TENANT}/subsidiaries/france"
    assert event.best_times.account == account_name(TENANT, "main")
    assert (event.best_times.basis, event.best_times.posts_used) == ("own_history", 240)
    assert len(event.best_times.slots) == 50
    best = await get(reputation, account_name(TENANT, "main"))
    assert best.name == account_name(TENANT, "main") + "/bestTimes"
    assert best.time_zone == "America/Sao_Paulo" and len(best.slots) == 3
    top = best.slots[0]
    assert top.weekday == 2 and abs(top.minute_of_day - 750) <= 10  # Tuesday ~12:30
    assert top.score > best.slots[1].score > best.slots[2].score
    assert list(best.slots) == list(event.best_times.slots)[:3]
    text = " ".join(best.explanation)
    assert "240 posts of this account" in text and "the account's own history" in text


async def test_a_replayed_snapshot_changes_nothing_and_a_new_one_waits_for_the_debounce(
    reputation: "Reputation",
    nats_client: Client,
    reputation_events: "Received",
    settings: Settings,
) -> None:
    publisher_stream = await published_stream(nats_client)
    posts = peaked_posts(40, seed=2)
    await publisher_stream.snapshot(TENANT, "main", posts, event_id="s1")
    await publisher_stream.snapshot(TENANT, "main", posts, event_id="s1", msg_id="copy")
    await eventually(lambda: _async(len(announced(reputation_events)) == 1))
    assert await count(reputation, BestTimePostRow.__table__) == 40
    # New engagement within the hour: kept, marked stale, not recomputed yet.
    posts[0].likes += 100
    await publisher_stream.snapshot(TENANT, "main", posts, event_id="s2")
    changed = posts[0].likes + posts[0].reposts
    await eventually(lambda: _async_eq(likes_of(reputation, posts[0].uri), changed))
    table = BestTimeAccountRow.__table__
    (account,) = await reputation.store.rows(select(table).where(table.c.tenant == TENANT))
    assert bool(account.stale)
    assert len(announced(reputation_events)) == 1
    # An hour later, the clock recomputes it once, however often it ticks.
    plumbing = Plumbing("reputation", settings, RUNTIME_TABLES)
    later = datetime.now(UTC) + timedelta(hours=1, minutes=1)
    try:
        params = BestTimeParams()
        assert await recompute_due(plumbing.uow, later, params) == 1
        assert await recompute_due(plumbing.uow, later, params) == 0
    finally:
        await plumbing.close()
    await eventually(lambda: _async(len(announced(reputation_events)) == 2))
    assert await count(reputation, RUNTIME_TABLES.outbox) == 2


async def test_tracked_accounts_and_foreign_names_are_not_learned(
    reputation: "Reputation", nats_client: Client
) -> None:
    publisher_stream = await published_stream(nats_client)
    posts = peaked_posts(10, seed=3)
    await publisher_stream.snapshot(TENANT, "rival", posts, event_id="t1", owned=False)
    foreign = account_name(OTHER, "main")  # another tenant's account in this tenant's event
    await publisher_stream.snapshot(
        TENANT, "main", posts, event_id="t2", account_name_override=foreign
    )
    await publisher_stream.snapshot(TENANT, "mine", posts, event_id="t3")
    await eventually(lambda: stored(reputation, TENANT, "mine"))  # the last one published
    table = BestTimeAccountRow.__table__
    mine = table.c.tenant.in_([TENANT, OTHER])
    accounts = await reputation.store.rows(select(table).where(mine))
    assert [(a.tenant, a.account_id) for a in accounts] == [(TENANT, "mine")]


async def test_a_short_history_gets_the_flat_prior_when_too_few_accounts_share_the_zone(
    reputation: "Reputation", nats_client: Client
) -> None:
    # Four long histories in one tenant do not make an aggregate another tenant may read.
    publisher_stream = await published_stream(nats_client)
    for index in range(4):
        posts = peaked_posts(40, seed=10 + index)
        await publisher_stream.snapshot(TENANT, f"a{index}", posts, event_id=f"a{index}")
    await publisher_stream.snapshot(OTHER, "small", peaked_posts(8, seed=9), event_id="small")
    await eventually(lambda: _served(reputation, account_name(OTHER, "small"), OTHER))
    best = await get(reputation, account_name(OTHER, "small"), tenant=OTHER)
    assert (best.basis, best.posts_used, best.aggregate_posts_used) == ("flat_prior", 8, 0)
    assert {s.score for s in best.slots} == {1.0}
    assert "fewer than 5 other Bluesky accounts in America/Sao_Paulo" in " ".join(best.explanation)


async def test_a_short_history_takes_the_aggregate_of_five_accounts_of_its_network_and_zone(
    reputation: "Reputation", nats_client: Client
) -> None:
    publisher_stream = await published_stream(nats_client)
    for index in range(5):
        posts = peaked_posts(40, seed=20 + index)
        await publisher_stream.snapshot(TENANT, f"a{index}", posts, event_id=f"a{index}")
    await eventually(lambda: stored(reputation, TENANT, "a4"))
    await publisher_stream.snapshot(OTHER, "small", peaked_posts(8, seed=9), event_id="small")
    await eventually(lambda: _served(reputation, account_name(OTHER, "small"), OTHER))
    best = await get(reputation, account_name(OTHER, "small"), tenant=OTHER)
    assert (best.basis, best.posts_used, best.aggregate_posts_used) == (
        "network_aggregate",
        8,
        200,
    )
    top = best.slots[0]
    assert top.weekday == 2 and abs(top.minute_of_day - 750) <= 15  # the pool's Tuesday lunch
    assert "these are the slots of 5 other Bluesky accounts" in best.explanation[1]


async def test_an_account_without_a_time_zone_is_read_on_its_subsidiarys_clock(
    reputation: "Reputation", nats_client: Client
) -> None:
    publisher_stream = await published_stream(nats_client)
    france = {
        "tenant": TENANT, "id": "france", "display_name": "France", "country": "FR",
        "locale": "fr-FR", "time_zone": "Europe/Paris", "data_region": "eu",
        "updated_at": datetime.now(UTC),
    }  # fmt: skip
    async with reputation.store.engine.begin() as connection:
        await connection.execute(insert(KnownSubsidiaryRow.__table__), [france])
    await publisher_stream.snapshot(
        TENANT, "main", peaked_posts(40, seed=5), event_id="z1", time_zone=""
    )
    name = account_name(TENANT, "main")
    await eventually(lambda: _served(reputation, name))
    best = await get(reputation, name)
    assert best.time_zone == "Europe/Paris"
    assert "read on the Europe/Paris clock" in best.explanation[0]


async def test_best_times_are_refused_to_other_tenants_roles_and_bad_requests(
    reputation: "Reputation", nats_client: Client, refused: Any
) -> None:
    publisher_stream = await published_stream(nats_client)
    await reputation.brand(TENANT, "lumiere", [])
    await publisher_stream.snapshot(TENANT, "main", peaked_posts(10, seed=4), event_id="r1")
    name = account_name(TENANT, "main")
    await eventually(lambda: brand_known(reputation))
    await eventually(lambda: _served(reputation, name))
    stub, not_found = reputation.stub, grpc.StatusCode.NOT_FOUND

    def ask(account: str, size: int = 0, tenant: str = TENANT, **role: Any) -> Any:
        metadata = reputation.as_role(tenant, **role) if role else reputation.admin(tenant)
        request = rpc.GetBestTimesRequest(name=f"{account}/bestTimes", page_size=size)
        return stub.GetBestTimes(request, metadata=metadata)

    await refused(ask(name, tenant=OTHER), not_found, "SOCIAL_ACCOUNT_NOT_FOUND")
    await refused(ask(account_name(TENANT, "nobody")), not_found, "SOCIAL_ACCOUNT_NOT_FOUND")
    invalid = grpc.StatusCode.INVALID_ARGUMENT
    await refused(ask(name, size=5000), invalid, "PAGE_SIZE_OUT_OF_RANGE")
    await refused(ask(name, size=-1), invalid, "PAGE_SIZE_OUT_OF_RANGE")
    await refused(ask(f"tenants/{TENANT}/brands/lumiere"), invalid, "INVALID_ARGUMENT")
    denied = grpc.StatusCode.PERMISSION_DENIED
    elsewhere = ask(name, role=Role.ANALYST, subsidiary=f"tenants/{TENANT}/subsidiaries/spain")
    await refused(elsewhere, denied, "ROLE_REQUIRED")
    await refused(ask(name, role=Role.PARTNER), denied, "ROLE_REQUIRED")
    analyst = await ask(name, role=Role.ANALYST, subsidiary=f"tenants/{TENANT}/subsidiaries/france")
    assert len(analyst.slots) == 10  # the default


async def _served(reputation: "Reputation", name: str, tenant: str = TENANT) -> bool:
    try:
        await get(reputation, name, tenant=tenant)
    except grpc.aio.AioRpcError:
        return False
    return True


async def _async(value: bool) -> bool:
    return value


async def _async_eq(value: Any, expected: Any) -> bool:
    return bool(await value == expected)
