"""Presence through GraphQL, as a front end reads it: a brand's growth and engagement over two
days written by the reputation's own store; another group's brand and a reversed window refused
with their codes (SQLite or PostgreSQL)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front, refusal
from vigie_reputation.adapters.orm import RUNTIME_TABLES, KnownBrandRow
from vigie_reputation.app.presence_store import PostReading, SnapshotFacts, record_snapshots
from vigie_reputation.config import Settings
from vigie_runtime.host import Plumbing

PRESENCE = """query($s: ID!, $a: DateTime!, $b: DateTime!) {
  presence(scope: $s, start: $a, end: $b, granularity: DAY) {
    timeZone followersStart followersEnd growth growthPercent postCount engagementRate
    points { followers } engagementShares { brand share } } }"""
DAY1 = datetime(2026, 11, 2, tzinfo=UTC)


def snapshot(tenant: str, hours: int, followers: int, posts: list[PostReading]) -> SnapshotFacts:
    return SnapshotFacts(
        tenant=tenant, account=f"tenants/{tenant}/brands/lumiere/socialAccounts/main",
        brand_id="lumiere", subsidiary_id="", network=1, handle="@lumiere.test", owned=True,
        time_zone="", time=DAY1 + timedelta(hours=hours), followers=followers, following=1,
        posts=len(posts), recent_posts=posts,
    )  # fmt: skip


async def seeded(settings: Settings, tenant: str) -> None:
    """Through the consumer's write path: 400 then 500 followers, one post of 25 engagements."""
    post = PostReading(
        uri="at://lumiere/p1", url="https://bsky.app/p1", text="hello",
        create_time=DAY1 + timedelta(hours=30), likes=20, reposts=5, replies=0, quotes=0,
        impressions=-1, reply_to_uri="",
    )  # fmt: skip
    plumbing = Plumbing("reputation", settings, RUNTIME_TABLES)
    async with plumbing.uow() as uow:
        uow.session.add(KnownBrandRow(
            tenant=tenant, id="lumiere", subsidiary_id="", display_name="Lumiere", kind="own",
            aliases=[], competitors=[], deleted=False, updated_at=DAY1,
        ))  # fmt: skip
        await record_snapshots(uow, [snapshot(tenant, 10, 400, [])], timedelta(days=35))
        await record_snapshots(uow, [snapshot(tenant, 34, 500, [post])], timedelta(days=35))
        await uow.commit()
    await plumbing.close()


@pytest.fixture
async def front(behind_gateway: Any) -> AsyncIterator[tuple[Front, str, str]]:
    platform = await behind_gateway("reputation", mode="api")
    tenant, other = platform.tenants["Acme Group"], platform.tenants["Rival Group"]
    await seeded(platform.settings["reputation"], tenant.removeprefix("tenants/"))
    await seeded(platform.settings["reputation"], other.removeprefix("tenants/"))
    async with graphql_front(platform.app) as front:
        await front.log_in("admin@acme.test", ADMIN_PASSWORD)
        yield front, tenant, other


def code_of(result: dict[str, Any]) -> str:
    return refusal(result)  # type: ignore[arg-type]


async def test_a_brands_presence_reads_its_growth_and_engagement_rate(
    front: tuple[Front, str, str],
) -> None:
    gateway, tenant, _ = front
    answer = await gateway.ask(
        PRESENCE, s=f"{tenant}/brands/lumiere", a=DAY1.isoformat(),
        b=(DAY1 + timedelta(days=2)).isoformat(),
    )  # fmt: skip
    assert answer.get("data"), answer
    got = answer["data"]["presence"]
    # 400 -> 500 followers: +100, 25 %; one post of 20 + 5 = 25 engagements over 500 followers
    assert (got["followersStart"], got["followersEnd"], got["growth"]) == (400, 500, 100)
    assert got["growthPercent"] == pytest.approx(25.0)
    assert got["engagementRate"] == pytest.approx(25 / 500)
    assert [p["followers"] for p in got["points"]] == [400, 500]
    assert got["timeZone"] == "UTC"  # the brand's subsidiary is not known to the replica
    assert got["engagementShares"] == [{"brand": f"{tenant}/brands/lumiere", "share": 1.0}]


async def test_another_groups_brand_and_a_reversed_window_are_refused(
    front: tuple[Front, str, str],
) -> None:
    gateway, tenant, other = front
    start, end = DAY1.isoformat(), (DAY1 + timedelta(days=1)).isoformat()
    theirs = await gateway.ask(PRESENCE, s=f"{other}/brands/lumiere", a=start, b=end)
    assert code_of(theirs) == "BRAND_NOT_FOUND"
    reversed_ = await gateway.ask(PRESENCE, s=f"{tenant}/brands/lumiere", a=end, b=start)
    assert code_of(reversed_) == "WINDOW_EMPTY"
