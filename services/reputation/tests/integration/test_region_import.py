"""The other regions' aggregates land once, newest first, in their tenant only."""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import select
from vigie.reputation.v1 import events_pb2
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_reputation.adapters.region_orm import RegionCrisisRow, RegionMeasureRow
from vigie_reputation.app.aggregate_events import (
    AGGREGATE_CRISIS_CHANGED,
    AGGREGATE_MEASURE_UPDATED,
)
from vigie_reputation.app.region_import import import_aggregate
from vigie_runtime.events import EventType, IncomingEvent

if TYPE_CHECKING:
    from conftest import Reputation
    from vigie_runtime.host import Plumbing

MINUTE = datetime(2026, 11, 30, 10, 5, tzinfo=UTC)


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


def event(kind: EventType[Message], tenant: str, message: Message, n: int) -> IncomingEvent:
    return IncomingEvent(
        id=f"ev-{n}", type=kind.ce_type, source="/vigie/aggregates", tenant=tenant,
        time=datetime.now(UTC), subject=f"vigie.group.us.{tenant}", headers={},
        payload=message.SerializeToString(),
    )  # fmt: skip


def counts(tenant: str, volume: int, as_of: datetime, region: str = "us") -> Message:
    return events_pb2.AggregateMeasureUpdated(
        brand=f"tenants/{tenant}/brands/lumiere-us",
        subsidiary=f"tenants/{tenant}/subsidiaries/usa",
        region=region, minute=stamp(MINUTE), volume=volume, negative=volume,
        as_of_time=stamp(as_of),
    )  # fmt: skip


async def apply(plumbing: "Plumbing", *events: IncomingEvent) -> None:
    async with plumbing.uow() as uow:
        for incoming in events:
            await import_aggregate(uow, incoming, home="eu")
        await uow.commit()


async def test_a_minute_keeps_its_newest_counts_whatever_the_order(
    reputation: "Reputation", plumbing: "Plumbing"
) -> None:
    early = datetime.now(UTC)
    late = early + timedelta(seconds=5)
    newer = event(AGGREGATE_MEASURE_UPDATED, "t_a", counts("t_a", 7, late), 1)
    older = event(AGGREGATE_MEASURE_UPDATED, "t_a", counts("t_a", 3, early), 2)
    await apply(plumbing, newer, older, newer)
    async with plumbing.uow() as uow:
        rows = list((await uow.session.execute(select(RegionMeasureRow))).scalars())
    assert [(r.tenant, r.region, r.brand_id, r.volume) for r in rows] == [
        ("t_a", "us", "lumiere-us", 7)
    ]


async def test_an_aggregate_naming_another_tenant_or_the_home_region_is_dropped(
    reputation: "Reputation", plumbing: "Plumbing"
) -> None:
    now = datetime.now(UTC)
    foreign = event(AGGREGATE_MEASURE_UPDATED, "t_a", counts("t_b", 5, now), 1)
    own_region = event(AGGREGATE_MEASURE_UPDATED, "t_a", counts("t_a", 5, now, "eu"), 2)
    crisis = events_pb2.AggregateCrisisChanged(
        crisis=pb.Crisis(
            name="tenants/t_b/brands/lumiere-us/crises/c1",
            status=pb.CRISIS_STATUS_OPENED,
            open_time=stamp(now),
            update_time=stamp(now),
        ),
        subsidiary="tenants/t_b/subsidiaries/usa",
        region="us",
    )
    await apply(plumbing, foreign, own_region, event(AGGREGATE_CRISIS_CHANGED, "t_a", crisis, 3))
    async with plumbing.uow() as uow:
        assert not list((await uow.session.execute(select(RegionMeasureRow))).scalars())
        assert not list((await uow.session.execute(select(RegionCrisisRow))).scalars())
