"""Reports through GraphQL, as a front end uses them: a report generated for a brand, polled
until READY and read back as base64 (the CSV's figures), a schedule created and listed; a period
too long, another group's report refused with their codes (SQLite or PostgreSQL)."""

import base64
import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front, refusal
from vigie_reputation.adapters.orm import KnownBrandRow
from vigie_runtime.database import create_engine
from vigie_runtime.testing.waiting import eventually

GENERATE = """mutation($b: ID!, $s: DateTime!, $e: DateTime!, $f: ReportFormat!) {
  generateReport(input: {brandId: $b, startTime: $s, endTime: $e, format: $f}) { report { id state format } errors { code reason message field } } }"""
REPORT = "query($id: ID!) { report(id: $id) { id state language filename sizeBytes contentType } }"
CONTENT = "query($id: ID!) { report(id: $id) { contentBase64 } }"
SCHEDULE = """mutation($b: ID!) { createReportSchedule(input: {displayName: "Weekly",
  brandId: $b, cadence: WEEKLY, sendTime: "08:00", format: PDF, delivery: STORED}) { reportSchedule {
  id cadence sendTime enabled nextRunTime brandId } errors { code reason message field } } }"""
SCHEDULES = "{ reportSchedules { nodes { id displayName } } }"
END = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
START = END - timedelta(days=7)


async def seeded(url: str, tenant_id: str) -> None:
    brand = KnownBrandRow(
        tenant=tenant_id, id="lumiere", subsidiary_id="", display_name="Lumière", kind="own",
        aliases=[], competitors=[], deleted=False, updated_at=END,
    )  # fmt: skip
    engine = create_engine(url)
    async with AsyncSession(engine) as session:
        session.add(brand)
        await session.commit()
    await engine.dispose()


@pytest.fixture
async def front(behind_gateway: Any) -> AsyncIterator[tuple[Front, str]]:
    """A group admin's front end; the reputation runs its report worker (mode all)."""
    platform = await behind_gateway("reputation", mode="all")
    tenant = platform.tenants["Acme Group"]
    await seeded(platform.settings["reputation"].database_url, tenant.removeprefix("tenants/"))
    async with graphql_front(platform.app) as front:
        await front.log_in("admin@acme.test", ADMIN_PASSWORD)
        yield front, tenant


def code_of(result: dict[str, Any]) -> str:
    return refusal(result)  # type: ignore[arg-type]


async def generated(gateway: Front, brand: str, fmt: str) -> dict[str, Any]:
    answer = await gateway.ask(GENERATE, b=brand, s=START.isoformat(), e=END.isoformat(), f=fmt)
    assert answer.get("data"), answer
    return dict(answer["data"]["generateReport"]["report"])


async def test_a_generated_report_is_read_back_as_base64_with_its_figures(
    front: tuple[Front, str],
) -> None:
    gateway, tenant = front
    brand = f"{tenant}/brands/lumiere"
    queued = await generated(gateway, brand, "CSV")
    assert (queued["state"], queued["format"]) == ("PENDING", "CSV")

    async def made() -> bool:
        answer = await gateway.ask(REPORT, id=queued["id"])
        return bool(answer["data"]["report"]["state"] != "PENDING")

    await eventually(made)  # the worker polls every second
    report = (await gateway.ask(REPORT, id=queued["id"]))["data"]["report"]
    assert report["state"] == "READY" and report["language"] == "en"
    assert report["filename"].startswith("lumiere-") and report["filename"].endswith(".csv")
    encoded = (await gateway.ask(CONTENT, id=queued["id"]))["data"]["report"]["contentBase64"]
    data = base64.b64decode(encoded)
    assert len(data) == report["sizeBytes"]
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    value = {(r["section"], r["measure"]): r["value"] for r in rows if r["item"] == ""}
    assert value[("report", "subject")] == "Lumière"
    assert value[("reputation", "volume")] == "0"


async def test_a_schedule_is_created_and_listed(front: tuple[Front, str]) -> None:
    gateway, tenant = front
    answer = await gateway.ask(SCHEDULE, b=f"{tenant}/brands/lumiere")
    assert answer.get("data"), answer
    made = answer["data"]["createReportSchedule"]["reportSchedule"]
    assert (made["cadence"], made["sendTime"], made["enabled"]) == ("WEEKLY", "08:00", True)
    assert made["nextRunTime"] > datetime.now(UTC).isoformat()[:10]
    listed = (await gateway.ask(SCHEDULES))["data"]["reportSchedules"]["nodes"]
    assert listed == [{"id": made["id"], "displayName": "Weekly"}]


async def test_a_long_period_and_another_groups_report_are_refused(
    front: tuple[Front, str],
) -> None:
    gateway, tenant = front
    brand = f"{tenant}/brands/lumiere"
    too_long = await gateway.ask(
        GENERATE, b=brand, s=(END - timedelta(days=401)).isoformat(), e=END.isoformat(), f="PDF"
    )
    assert code_of(too_long) == "PERIOD_TOO_LONG"
    queued = await generated(gateway, brand, "PDF")
    await gateway.log_in("admin@rival.test", ADMIN_PASSWORD)
    assert code_of(await gateway.ask(REPORT, id=queued["id"])) == "REPORT_NOT_FOUND"
    assert code_of(await gateway.ask(GENERATE, b=brand, s=START.isoformat(),
                                      e=END.isoformat(), f="PDF")) == "BRAND_NOT_FOUND"  # fmt: skip
