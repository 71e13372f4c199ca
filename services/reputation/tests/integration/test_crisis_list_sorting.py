"""ListCrises sorted by open time, update time and severity across pages, this region's crises
and the other regions' read-only copies merged in one order (the group view); totals with the
filters and the caller's reach; page tokens bound to their order (SQLite or PostgreSQL)."""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_reputation.adapters.orm import CrisisRow
from vigie_reputation.adapters.region_orm import RegionCrisisRow
from vigie_reputation.app.crisis_views import SEVERITIES
from vigie_runtime.principal import Role

from .list_pages import Lister, add, every_page, lister, refuses_another_order

if TYPE_CHECKING:
    from conftest import Reputation
    from vigie_runtime.host import Plumbing

TENANT, OTHER = "t_acme", "t_rival"
PARENT = f"tenants/{TENANT}"
WHEN = datetime(2026, 12, 1, 10, tzinfo=UTC)


def at(hours: float) -> datetime:
    return WHEN + timedelta(hours=hours)


def crisis(
    crisis_id: str, severity: str, opened: float, updated: float, **columns: Any
) -> CrisisRow:
    values: dict[str, Any] = {
        "tenant": TENANT, "brand_id": "lumiere", "subsidiary_id": "france", "status": "opened",
    }  # fmt: skip
    values.update(columns)
    return CrisisRow(
        id=crisis_id, severity=severity, open_time=at(opened), update_time=at(updated),
        explanation={}, **values,
    )  # fmt: skip


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


def copy_from_us(crisis_id: str, severity: str, opened: float, updated: float) -> RegionCrisisRow:
    """A crisis of the us region as the group stream let it out (region_import.py)."""
    brand = f"{PARENT}/brands/lumiere-us"
    kept = pb.Crisis(
        name=f"{brand}/crises/{crisis_id}", brand=brand, status=pb.CRISIS_STATUS_OPENED,
        severity=SEVERITIES[severity], open_time=stamp(at(opened)),
        update_time=stamp(at(updated)),
    )  # fmt: skip
    return RegionCrisisRow(
        tenant=TENANT, id=crisis_id, region="us", brand_id="lumiere-us", subsidiary_id="usa",
        status="opened", severity=severity, open_time=at(opened), update_time=at(updated),
        crisis=kept.SerializeToString(),
    )  # fmt: skip


@pytest.fixture
async def crises(reputation_api: "Reputation", plumbing: "Plumbing") -> "Reputation":
    """c1, c2, c3 of Lumière (France), c5 of Sol (Spain), c4 a copy from the us region; the
    ids' order is none of the asked orders. One crisis of another tenant."""
    await add(
        plumbing,
        crisis("c1", "minor", 2, 4),
        crisis("c2", "critical", 1, 6),
        crisis("c3", "watch", 3, 0.5, status="resolved"),
        crisis("c5", "major", 0, 5, brand_id="sol", subsidiary_id="spain"),
        copy_from_us("c4", "major", 2.5, 3),
        crisis("c9", "critical", 0, 0, tenant=OTHER),
    )
    return reputation_api


def crises_of(
    reputation: "Reputation", who: Any = None, tenant: str = TENANT, **filters: Any
) -> Lister:
    metadata = who or reputation.admin(tenant)
    return lister(
        reputation.stub.ListCrises, rpc.ListCrisesRequest, metadata, parent=f"tenants/{tenant}",
        **filters,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("", ["c5", "c4", "c3", "c2", "c1"]),  # most recently opened first by id, as before
        ("open_time", ["c5", "c2", "c1", "c4", "c3"]),
        ("open_time desc", ["c3", "c4", "c1", "c2", "c5"]),
        ("update_time desc", ["c2", "c5", "c1", "c4", "c3"]),
        # critical, major (ties by id in the same direction), minor, watch.
        ("severity desc", ["c2", "c5", "c4", "c1", "c3"]),
        ("severity", ["c3", "c1", "c4", "c5", "c2"]),
    ],
)
@pytest.mark.parametrize("size", [1, 2])
async def test_crises_of_both_regions_sorted_both_ways_come_once_each_across_pages(
    crises: "Reputation", order_by: str, expected: list[str], size: int
) -> None:
    assert await every_page(crises_of(crises), "crises", order_by, size) == expected


async def test_the_copy_from_another_region_keeps_its_region_in_any_order(
    crises: "Reputation",
) -> None:
    page = await crises_of(crises)("severity desc", "", 5, False)
    assert [(c.name.rsplit("/", 1)[-1], c.region) for c in page.crises] == [
        ("c2", ""), ("c5", ""), ("c4", "us"), ("c1", ""), ("c3", ""),
    ]  # fmt: skip


async def test_crisis_totals_count_both_regions_the_filters_and_the_reach(
    crises: "Reputation",
) -> None:
    async def total(who: Any = None, tenant: str = TENANT, **filters: Any) -> tuple[int, list[str]]:
        page = await crises_of(crises, who, tenant, **filters)("open_time", "", 2, True)
        return page.total_size, [c.name.rsplit("/", 1)[-1] for c in page.crises]

    assert await total() == (5, ["c5", "c2"])
    assert await total(statuses=[pb.CRISIS_STATUS_OPENED]) == (4, ["c5", "c2"])
    assert await total(brands=[f"{PARENT}/brands/lumiere"]) == (3, ["c2", "c1"])
    assert await total(start_time=stamp(at(2))) == (3, ["c1", "c4"])
    # An analyst of France reads France's crises only, and pages stay full of them.
    france = crises.as_role(TENANT, Role.ANALYST, f"{PARENT}/subsidiaries/france")
    assert await total(france) == (3, ["c2", "c1"])
    assert await total(crises.admin(OTHER), OTHER) == (1, ["c9"])


async def test_a_crisis_token_of_one_order_is_refused_with_another(crises: "Reputation") -> None:
    await refuses_another_order(
        crises_of(crises), "severity desc", ["severity", "open_time desc", ""]
    )
    # The list's own order keeps its tokens: they continue it, and no other order.
    first = await crises_of(crises)("", "", 2, False)
    rest = await crises_of(crises)("", first.next_page_token, 5, False)
    assert [c.name.rsplit("/", 1)[-1] for c in rest.crises] == ["c3", "c2", "c1"]
    await refuses_another_order(crises_of(crises), "", ["open_time desc"])
