"""Best times to post through GraphQL, as a front end reads them: an account's learned slots
in the reputation's store, the best first with the explanation; a bad `first`, an unknown
account and another group refused with their codes (SQLite or PostgreSQL)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front, refusal
from vigie_reputation.adapters.orm import BestTimesRow, KnownBrandRow
from vigie_runtime.database import create_engine

BEST_TIMES = """query($a: ID!, $n: Int) { bestTimes(account: $a, first: $n) {
  account timeZone basis postsUsed aggregatePostsUsed explanation computeTime
  slots { weekday minuteOfDay score } } }"""
NOW = datetime.now(UTC).replace(microsecond=0)
TUESDAY_1230, THURSDAY_1805 = 288 + 150, 3 * 288 + 217  # slots of the week


def learned(tenant_id: str) -> BestTimesRow:
    """What a recompute leaves behind: two peaks over a flat week."""
    scores = [1.0] * 2016
    scores[TUESDAY_1230], scores[TUESDAY_1230 + 1] = 2.5, 2.4
    scores[THURSDAY_1805] = 1.8
    return BestTimesRow(
        tenant=tenant_id, brand_id="lumiere", account_id="main", time_zone="America/Sao_Paulo",
        scores=scores, basis="own_history", posts_used=240, aggregate_posts_used=0,
        explanation=["History used: 240 posts.", "Basis: the account's own history."],
        compute_time=NOW,
    )  # fmt: skip


async def seeded(url: str, tenant_id: str) -> None:
    brand = KnownBrandRow(
        tenant=tenant_id, id="lumiere", subsidiary_id="", display_name="Lumiere", kind="own",
        aliases=[], competitors=[], deleted=False, updated_at=NOW,
    )  # fmt: skip
    engine = create_engine(url)
    async with AsyncSession(engine) as session:
        session.add_all([brand, learned(tenant_id)])
        await session.commit()
    await engine.dispose()


@pytest.fixture
async def front(behind_gateway: Any) -> AsyncIterator[tuple[Front, str]]:
    """A front end logged in as the group admin of a tenant whose account has best times."""
    platform = await behind_gateway("reputation", mode="api")
    tenant = platform.tenants["Acme Group"]
    await seeded(platform.settings["reputation"].database_url, tenant.removeprefix("tenants/"))
    async with graphql_front(platform.app) as front:
        await front.log_in("admin@acme.test", ADMIN_PASSWORD)
        yield front, tenant


def code_of(result: dict[str, Any]) -> str:
    return refusal(result)  # type: ignore[arg-type]


async def test_best_times_read_best_first_with_their_explanation(
    front: tuple[Front, str],
) -> None:
    gateway, tenant = front
    account = f"{tenant}/brands/lumiere/socialAccounts/main"
    answer = await gateway.ask(BEST_TIMES, a=account, n=3)
    assert answer.get("data"), answer
    best = answer["data"]["bestTimes"]
    assert (best["account"], best["timeZone"], best["basis"]) == (
        account,
        "America/Sao_Paulo",
        "own_history",
    )
    assert (best["postsUsed"], best["aggregatePostsUsed"]) == (240, 0)
    assert best["explanation"][1] == "Basis: the account's own history."
    # Tuesday 12:30, then Thursday 18:05 (12:35 is too close to the first to be proposed).
    assert best["slots"][:2] == [
        {"weekday": 2, "minuteOfDay": 750, "score": 2.5},
        {"weekday": 4, "minuteOfDay": 1085, "score": 1.8},
    ]
    assert len(best["slots"]) == 3
    default = await gateway.ask(BEST_TIMES, a=account)
    assert len(default["data"]["bestTimes"]["slots"]) == 10


async def test_bad_asks_unknown_accounts_and_other_groups_are_refused(
    front: tuple[Front, str],
) -> None:
    gateway, tenant = front
    account = f"{tenant}/brands/lumiere/socialAccounts/main"
    assert code_of(await gateway.ask(BEST_TIMES, a=account, n=5000)) == "PAGE_SIZE_OUT_OF_RANGE"
    unknown = f"{tenant}/brands/lumiere/socialAccounts/nobody"
    assert code_of(await gateway.ask(BEST_TIMES, a=unknown)) == "SOCIAL_ACCOUNT_NOT_FOUND"
    assert code_of(await gateway.ask(BEST_TIMES, a=f"{tenant}/brands/lumiere")) == (
        "INVALID_ARGUMENT"
    )
    await gateway.log_in("admin@rival.test", ADMIN_PASSWORD)
    assert code_of(await gateway.ask(BEST_TIMES, a=account)) == "SOCIAL_ACCOUNT_NOT_FOUND"
