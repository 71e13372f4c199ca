"""Data regions: the group view in one region sees every region's aggregates (measures, index,
crises, campaign results), while the other region's mention texts, authors and people never reach
its NATS server or its database (SQLite + embedded NATS servers, or PostgreSQL).

Two regions (eu, us), each with its own nats-server (JetStream domain = region) joined to a hub
as a leaf node, its own database and reputation service; one group whose subsidiaries are in both.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import MetaData, select
from vigie.reputation.v1 import events_pb2
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_reputation.adapters.orm import CampaignResultRow
from vigie_reputation.app.events import CRISIS_OPENED
from vigie_runtime.database import create_engine
from vigie_runtime.grpc_client import bearer
from vigie_runtime.principal import Role
from vigie_runtime.testing.waiting import eventually

from tests.regions.region_world import BRAND, SUBSIDIARY, TENANT, Region, World, running_world

HISTORY_BUCKETS = 48  # 4 hours of 5-minute buckets, past the 2-hour warm-up
BURST = 60  # negative mentions in one 5-minute bucket, against about 1 usually
# What only the us region's mentions carry: found in eu, it would be a leak.
US_TEXT, US_AUTHOR = "usonlytext", "usonlyperson"
EU_TEXT, EU_AUTHOR = "euonlytext", "euonlyperson"


def now_bucket() -> datetime:
    now = datetime.now(UTC)
    return now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)


async def feed(region: Region, text: str, author: str, bucket: datetime, burst: int) -> None:
    """Steady history (1 negative, 2 positive per 5 minutes), then a burst of negative ones."""
    for back in range(HISTORY_BUCKETS, 0, -1):
        at = bucket - timedelta(minutes=5 * back) + timedelta(seconds=10)
        lines = ["awful, I hate it", "love it, great", "wonderful, love it"]
        for i, line in enumerate(lines):
            await region.capture(f"h{back}-{i}", f"{line} {text}{back}", f"@{author}{i}", at)
    for i in range(burst):
        line = f"worst brand ever, disgusting, awful, I hate them {text}b{i}"
        await region.capture(f"b{i}", line, f"@{author}{i % 3}", bucket + timedelta(seconds=20))


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


async def listed(region: Region, metadata: Any, tenant: str = TENANT) -> dict[str, str]:
    """The crises the group's list shows the caller, page by page: name -> region."""
    crises: dict[str, str] = {}
    request = rpc.ListCrisesRequest(parent=f"tenants/{tenant}", page_size=1)
    while True:
        page = await region.stub.ListCrises(request, metadata=metadata)
        crises.update({c.name: c.region for c in page.crises})
        if not page.next_page_token:
            return crises
        request.page_token = page.next_page_token


async def group_volume(region: Region, tenant: str = TENANT) -> int:
    end = now_bucket() + timedelta(hours=1)
    request = rpc.GetMeasuresRequest(
        brand=f"tenants/{tenant}/brands/-",
        start_time=stamp(end - timedelta(hours=6)),
        end_time=stamp(end),
        granularity=pb.GRANULARITY_HOUR,
    )
    response = await region.stub.GetMeasures(request, metadata=region.admin(tenant))
    return sum(p.volume for s in response.series for p in s.points)


async def group_index(region: Region) -> float:
    name = f"tenants/{TENANT}/brands/-/reputationIndex"
    request = rpc.GetReputationIndexRequest(name=name)
    return float((await region.stub.GetReputationIndex(request, metadata=region.admin())).value)


async def campaign_rows(database_url: str, campaign_id: str) -> list[tuple[dict[str, str]]]:
    engine = create_engine(database_url)
    table = CampaignResultRow
    query = select(table.results).where(table.tenant == TENANT, table.campaign_id == campaign_id)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(query)]
    finally:
        await engine.dispose()


async def every_row_text(database_url: str) -> str:
    """Every value of every table of a database, as one text to search."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            metadata = MetaData()
            await connection.run_sync(metadata.reflect)
            texts = []
            for table in metadata.sorted_tables:
                for row in await connection.execute(select(table)):
                    texts.extend(_readable(value) for value in row)
            return "\n".join(texts)
    finally:
        await engine.dispose()


def _readable(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def carried(messages: Iterable[object]) -> str:
    """Subjects, headers and payloads of every message, as one text to search."""
    parts = []
    for message in messages:
        headers = getattr(message, "headers", None) or {}
        parts.append(getattr(message, "subject", ""))
        parts.extend(f"{k}={v}" for k, v in headers.items())
        parts.append(_readable(getattr(message, "data", b"")))
    return "\n".join(parts)


async def opened_crisis(world: World) -> events_pb2.CrisisOpened:
    """The crisis the us region opens, read from the us server (where it belongs)."""
    received: list[bytes] = []

    async def keep(message: object) -> None:
        received.append(message.data)  # type: ignore[attr-defined]

    us = world.regions["us"]
    await us.nats.subscribe(CRISIS_OPENED.subject(TENANT), cb=keep)

    async def opened() -> bool:
        return bool(received)

    await eventually(opened, 120)
    return events_pb2.CrisisOpened.FromString(received[0])


async def test_the_group_view_sees_every_region_and_no_mention_leaves_its_region(
    tmp_path: Path,
) -> None:
    async with running_world(tmp_path, tapped="eu") as world:
        eu, us = world.regions["eu"], world.regions["us"]
        bucket = now_bucket()
        await feed(eu, EU_TEXT, EU_AUTHOR, bucket, burst=0)
        await us.campaign_results("c-us", f"{US_AUTHOR}creator", mentions=12)
        crisis_watch = opened_crisis(world)
        await feed(us, US_TEXT, US_AUTHOR, bucket, burst=BURST)
        opened = await crisis_watch
        total = eu.sent + us.sent

        # The group view of the home region (eu) counts both regions' mentions...
        async def both_regions_counted() -> bool:
            return await group_volume(eu) == total

        await eventually(both_regions_counted, 180)

        # ... and so does the us region's own group view: both read the same aggregates.
        async def us_sees_eu() -> bool:
            return await group_volume(us) == total

        await eventually(us_sees_eu, 180)
        eu_alone = await eu.stub.GetMeasures(
            rpc.GetMeasuresRequest(
                brand=f"tenants/{TENANT}/brands/{BRAND['eu']}",
                start_time=stamp(bucket - timedelta(hours=6)),
                end_time=stamp(bucket + timedelta(hours=1)),
                granularity=pb.GRANULARITY_HOUR,
            ),
            metadata=eu.admin(),
        )
        assert sum(p.volume for s in eu_alone.series for p in s.points) == eu.sent
        # The group's index weighs the us burst in both regions alike.
        eu_group, us_group = await group_index(eu), await group_index(us)
        assert abs(eu_group - us_group) < 0.5
        brand_index = rpc.GetReputationIndexRequest(
            name=f"tenants/{TENANT}/brands/{BRAND['eu']}/reputationIndex"
        )
        eu_brand = (await eu.stub.GetReputationIndex(brand_index, metadata=eu.admin())).value
        assert eu_group < eu_brand  # the us crisis pulls the group's index down

        # The crisis opened in us is read in eu, without its people.
        crisis_name = opened.crisis.name
        request = rpc.GetCrisisRequest(name=crisis_name)

        async def crisis_arrived() -> bool:
            try:
                await eu.stub.GetCrisis(request, metadata=eu.admin())
            except grpc.aio.AioRpcError:
                return False
            return True

        await eventually(crisis_arrived, 60)
        seen = await eu.stub.GetCrisis(request, metadata=eu.admin())
        assert seen.status == pb.CRISIS_STATUS_OPENED
        assert seen.brand == f"tenants/{TENANT}/brands/{BRAND['us']}"
        assert seen.explanation.signal == opened.crisis.explanation.signal
        assert seen.explanation.observed == opened.crisis.explanation.observed
        assert opened.crisis.explanation.top_authors  # in us, the crisis names its authors
        assert not seen.explanation.top_authors and not seen.explanation.top_mentions
        assert not seen.explanation.summary
        assert seen.region == "us"  # read-only here: marked with the region that holds it

        # The group's list in eu holds it too, marked with its region; us lists it as its own.
        assert await listed(eu, eu.admin()) == {crisis_name: "us"}
        assert await listed(us, us.admin()) == {crisis_name: ""}
        # Sorted by severity and counted, the copy keeps the severity the us region gave it.
        by_severity = await eu.stub.ListCrises(
            rpc.ListCrisesRequest(
                parent=f"tenants/{TENANT}", order_by="severity desc", show_total_size=True
            ),
            metadata=eu.admin(),
        )
        assert [(c.name, c.severity, c.region) for c in by_severity.crises] == [
            (crisis_name, opened.crisis.severity, "us")
        ]
        assert by_severity.total_size == 1

        # The us campaign's totals reach eu's replica for the group's reports, not its creators.
        async def campaign_arrived() -> bool:
            return bool(await campaign_rows(eu.database_url, "c-us"))

        await eventually(campaign_arrived, 60)
        ((results,),) = await campaign_rows(eu.database_url, "c-us")
        assert results["mentions"] == "12" and "contracts" not in results

        # Tenancy and roles hold for imported rows: another tenant sees nothing of them, and a
        # role on the eu subsidiary alone does not reach the us subsidiary's crisis.
        other = eu.keys.admin("t_other")
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await eu.stub.GetCrisis(request, metadata=other)
        assert refused.value.code() == grpc.StatusCode.NOT_FOUND
        assert await group_volume(eu, "t_other") == 0
        france = f"tenants/{TENANT}/subsidiaries/{SUBSIDIARY['eu']}"
        analyst = bearer(eu.keys.token(TENANT, (Role.ANALYST, france)))
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await eu.stub.GetCrisis(request, metadata=analyst)
        assert refused.value.code() == grpc.StatusCode.NOT_FOUND
        assert await listed(eu, other, "t_other") == {}
        assert await listed(eu, analyst) == {}

        # Nothing of a us mention ever reached the eu server or database, though aggregates did.
        carried_in_eu = carried(world.tap.messages)
        assert "vigie.group.us." in carried_in_eu
        assert EU_TEXT in carried_in_eu  # the tap sees the region's own mentions
        assert US_TEXT not in carried_in_eu and US_AUTHOR not in carried_in_eu
        eu_rows = await every_row_text(eu.database_url)
        assert EU_TEXT in eu_rows and EU_AUTHOR in eu_rows
        assert US_TEXT not in eu_rows and US_AUTHOR not in eu_rows
        us_rows = await every_row_text(us.database_url)
        assert US_TEXT in us_rows and US_AUTHOR in us_rows  # where they belong
