"""Reports through gRPC as a client uses them, after real events (mentions, the directory's
subsidiary and brands, the partnerships' campaign results), on SQLite or PostgreSQL: generated
on demand and downloaded, made by schedules once per period even across a restart and posted
signed to a webhook, kept within their tenant, bad requests refused with their reason."""

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import grpc
import pypdf
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from nats.aio.client import Client
from sqlalchemy import select, update
from vigie.reputation.v1 import reports_pb2 as pb
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as resources
from vigie_reputation.adapters.orm import ReportRow, ReportScheduleRow
from vigie_reputation.config import Settings
from vigie_reputation.testing import signed_with
from vigie_runtime.principal import Role
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

from .conftest import Listener, Reputation, Store
from .report_fixtures import announce_campaign, announce_subsidiary, served, stamp

TENANT, OTHER = "t_acme", "t_other"
PARENT = f"tenants/{TENANT}"
LUMIERE = f"{PARENT}/brands/lumiere"
FRANCE = f"{PARENT}/subsidiaries/france"
PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime.now(PARIS).replace(hour=0, minute=0, second=0, microsecond=0)
# The period: the three local days before today, whole.
START, END = (TODAY - timedelta(days=3)).astimezone(UTC), TODAY.astimezone(UTC)
SECRET = "a-shared-secret-of-32-characters"


@pytest.fixture
def quick(settings: Settings) -> Settings:
    return settings.model_copy(update={"webhook_backoff_seconds": 0.1})


@pytest.fixture
async def service(
    quick: Settings, listener_stream: Listener, nats_client: Client, store: Store
) -> AsyncIterator[tuple[Any, Reputation]]:
    keys = TestKeys(quick.platform.jwks_file)
    async with served(quick) as stubs:
        yield (
            stubs.reports,
            Reputation(stubs.reputation, keys, listener_stream, store, nats_client.jetstream()),
        )


async def seed(reputation: Reputation) -> None:
    """france (fr-FR, Paris) has lumiere (rival competes): 3 mentions of lumiere, 1 of rival
    inside the period, 1 of lumiere after it; one campaign's results announced twice."""
    js, listener = reputation.js, reputation.listener
    await announce_subsidiary(js, TENANT, "france", "fr-FR", "Europe/Paris")
    await reputation.brand(TENANT, "lumiere", ["rival"])
    await reputation.brand(TENANT, "rival", [])
    day = START + timedelta(days=1, hours=10)
    await listener.capture(TENANT, "m1", "awful, I hate it, terrible", published=day)
    await listener.capture(TENANT, "m2", "I love it, wonderful, great", published=day)
    await listener.capture(TENANT, "m3", "I love it, wonderful", published=day + timedelta(hours=1))
    await listener.capture(TENANT, "r1", "love it", brand="rival", published=day)
    await listener.capture(TENANT, "late", "love it", published=END + timedelta(hours=1))
    now = datetime.now(UTC)
    await announce_campaign(js, TENANT, "lumiere", now, "800.00", "camp-new")
    # An older computation arriving late changes nothing: the newest compute_time wins.
    await announce_campaign(js, TENANT, "lumiere", now - timedelta(hours=1), "1.00", "camp-old")
    await eventually(lambda: reputation.processed(10))


def generate(fmt: int = pb.REPORT_FORMAT_PDF, **fields: Any) -> pb.GenerateReportRequest:
    request = pb.GenerateReportRequest(
        parent=PARENT, brand=LUMIERE, start_time=stamp(START), end_time=stamp(END), format=fmt
    )
    for field, value in fields.items():
        if isinstance(value, datetime):
            getattr(request, field).CopyFrom(stamp(value))
        else:
            setattr(request, field, value)
    return request


async def ready(reports: Any, name: str, auth: Any) -> pb.Report:
    async def done() -> bool:
        report = await reports.GetReport(pb.GetReportRequest(name=name), metadata=auth)
        return bool(report.state != pb.REPORT_STATE_PENDING)

    await eventually(done)
    return await reports.GetReport(pb.GetReportRequest(name=name), metadata=auth)  # type: ignore[no-any-return]


async def download(reports: Any, name: str, auth: Any) -> bytes:
    chunks = reports.DownloadReport(pb.DownloadReportRequest(name=name), metadata=auth)
    return b"".join([c.data async for c in chunks])


async def test_a_report_on_demand_is_rendered_in_french_with_the_period_figures(
    service: tuple[Any, Reputation],
) -> None:
    reports, reputation = service
    await seed(reputation)
    auth = reputation.admin(TENANT)
    queued = await reports.GenerateReport(generate(request_id="r-1"), metadata=auth)
    assert queued.state == pb.REPORT_STATE_PENDING and queued.brand == LUMIERE
    again = await reports.GenerateReport(generate(request_id="r-1"), metadata=auth)
    assert again.name == queued.name  # a retried request returns the first report
    report = await ready(reports, queued.name, auth)
    assert report.state == pb.REPORT_STATE_READY, report.failure_reason
    assert (report.language, report.content_type) == ("fr", "application/pdf")
    content = await download(reports, report.name, auth)
    assert len(content) == report.size_bytes and content.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    first_day = f"{(TODAY - timedelta(days=3)).day} "
    assert "Rapport de réputation" in text and "lumiere" in text and first_day in text
    for title in ("Présence", "Réputation", "Part de voix", "Crises", "Campagnes"):
        assert title in text
    assert "Aucune donnée de présence pour cette période." in text
    assert "Autumn roast" in text and "800,00 EUR" in text and "75,0 %" in text


async def test_the_csv_carries_the_same_figures_as_rows(service: tuple[Any, Reputation]) -> None:
    reports, reputation = service
    await seed(reputation)
    auth = reputation.admin(TENANT)
    queued = await reports.GenerateReport(generate(pb.REPORT_FORMAT_CSV), metadata=auth)
    report = await ready(reports, queued.name, auth)
    assert report.filename.endswith(".csv") and report.content_type.startswith("text/csv")
    rows = csv.DictReader(
        io.StringIO((await download(reports, report.name, auth)).decode("utf-8-sig"))
    )
    value = {(r["section"], r["item"], r["measure"]): r["value"] for r in rows}
    assert value[("reputation", "", "volume")] == "3"  # the late mention is outside the period
    assert value[("share_of_voice", "lumiere", "share")] == "0.7500"
    assert value[("share_of_voice", "rival", "volume")] == "1"
    assert value[("campaigns", "Autumn roast", "spend")] == "800.00 EUR"
    assert value[("report", "", "time_zone")] == "Europe/Paris"


def schedule_request(request_id: str = "", **fields: Any) -> pb.CreateReportScheduleRequest:
    values: dict[str, Any] = {
        "display_name": "Monthly for France",
        "subsidiary": FRANCE,
        "cadence": pb.REPORT_CADENCE_MONTHLY,
        "send_time": "08:00",
        "format": pb.REPORT_FORMAT_CSV,
        "delivery": pb.REPORT_DELIVERY_STORED,
        "enabled": True,
    }
    values.update(fields)
    return pb.CreateReportScheduleRequest(
        parent=PARENT, report_schedule=pb.ReportSchedule(**values), request_id=request_id
    )


async def make_due(store: Store, schedule: str) -> None:
    """Moves a schedule's stored next run into the past, as time passing would."""
    schedule_id = schedule.rsplit("/", 1)[1]
    async with store.engine.begin() as connection:
        await connection.execute(
            update(ReportScheduleRow.__table__)
            .where(ReportScheduleRow.__table__.c.id == schedule_id)
            .values(next_run_time=datetime.now(UTC) - timedelta(minutes=1))
        )


async def reports_of(store: Store, schedule: str) -> list[Any]:
    table = ReportRow.__table__
    return await store.rows(
        select(table.c.id, table.c.state, table.c.start_time).where(
            table.c.schedule_id == schedule.rsplit("/", 1)[1]
        )
    )


async def test_a_schedule_fires_once_per_period_across_a_restart_and_posts_signed(
    quick: Settings, listener_stream: Listener, nats_client: Client, store: Store, receivers: Any
) -> None:
    keys = TestKeys(quick.platform.jwks_file)
    receiver = await receivers()
    async with served(quick) as stubs:
        reputation = Reputation(
            stubs.reputation, keys, listener_stream, store, nats_client.jetstream()
        )
        await seed(reputation)
        auth = reputation.admin(TENANT)
        hook = await stubs.reputation.CreateWebhook(
            rpc.CreateWebhookRequest(
                parent=PARENT,
                webhook=resources.Webhook(display_name="reports", url=receiver.url, secret=SECRET),
            ),
            metadata=auth,
        )
        fields = {"delivery": pb.REPORT_DELIVERY_WEBHOOK, "webhook": hook.name}
        monthly = await stubs.reports.CreateReportSchedule(
            schedule_request(**fields), metadata=auth
        )
        assert monthly.next_run_time.ToDatetime(tzinfo=UTC) > datetime.now(UTC)
        await make_due(store, monthly.name)
        await eventually(lambda: _answered(receiver, 1))
    headers, body = receiver.requests[0]
    assert signed_with(SECRET, headers, body) and headers["x-vigie-event-type"] == "report.ready"
    posted = json.loads(body)["data"]
    assert posted["report"]["schedule"] == monthly.name and posted["report"]["subsidiary"] == FRANCE
    assert posted["content"]  # the CSV itself, base64, small enough to travel with the event
    # Restarted: the due-ness is stored, so the same period is not reported again. A second
    # schedule made due after the restart shows the worker has run meanwhile.
    async with served(quick) as stubs:
        weekly = await stubs.reports.CreateReportSchedule(
            schedule_request(cadence=pb.REPORT_CADENCE_WEEKLY, display_name="Weekly"), metadata=auth
        )
        await make_due(store, weekly.name)
        await eventually(lambda: _has_reports(store, weekly.name))
        again = await stubs.reports.GetReportSchedule(
            pb.GetReportScheduleRequest(name=monthly.name), metadata=auth
        )
    made = await reports_of(store, monthly.name)
    assert len(made) == 1 and receiver.answered == 1
    assert again.next_run_time.ToDatetime(tzinfo=UTC) > datetime.now(UTC)
    local_start = made[0].start_time.replace(tzinfo=UTC).astimezone(PARIS)
    assert (local_start.day, local_start.hour) == (1, 0)  # a whole local month


async def _answered(receiver: Any, count: int) -> bool:
    return bool(receiver.answered >= count)


async def _has_reports(store: Store, schedule: str) -> bool:
    return bool(await reports_of(store, schedule))


async def test_schedules_are_read_updated_with_masks_and_etags_and_deleted(
    service: tuple[Any, Reputation],
) -> None:
    reports, reputation = service
    await seed(reputation)
    auth = reputation.admin(TENANT)
    created = await reports.CreateReportSchedule(schedule_request(request_id="s-1"), metadata=auth)
    assert (
        await reports.CreateReportSchedule(schedule_request(request_id="s-1"), metadata=auth)
    ).name == created.name
    changed = await reports.UpdateReportSchedule(
        pb.UpdateReportScheduleRequest(
            report_schedule=pb.ReportSchedule(name=created.name, brand=LUMIERE, etag=created.etag),
            update_mask=FieldMask(paths=["brand"]),
        ),
        metadata=auth,
    )
    assert (changed.brand, changed.subsidiary, changed.display_name) == (
        LUMIERE,
        "",
        "Monthly for France",
    )
    stale = reports.DeleteReportSchedule(
        pb.DeleteReportScheduleRequest(name=created.name, etag=created.etag), metadata=auth
    )
    await _refused(stale, grpc.StatusCode.ABORTED, "ETAG_MISMATCH")
    await reports.DeleteReportSchedule(
        pb.DeleteReportScheduleRequest(name=created.name, etag=changed.etag), metadata=auth
    )
    listed = await reports.ListReportSchedules(
        pb.ListReportSchedulesRequest(parent=PARENT), metadata=auth
    )
    assert list(listed.report_schedules) == []


async def test_reports_stay_in_their_tenant_and_with_their_subsidiary_readers(
    service: tuple[Any, Reputation],
) -> None:
    reports, reputation = service
    await seed(reputation)
    queued = await reports.GenerateReport(generate(), metadata=reputation.admin(TENANT))
    other = reputation.admin(OTHER)
    await _refused(
        reports.GetReport(pb.GetReportRequest(name=queued.name), metadata=other),
        grpc.StatusCode.NOT_FOUND,
        "REPORT_NOT_FOUND",
    )
    await _refused(
        reports.DownloadReport(pb.DownloadReportRequest(name=queued.name), metadata=other).read(),
        grpc.StatusCode.NOT_FOUND,
        "REPORT_NOT_FOUND",
    )
    mine = await reports.ListReports(
        pb.ListReportsRequest(parent=f"tenants/{OTHER}"), metadata=other
    )
    assert list(mine.reports) == []
    await _refused(
        reports.GenerateReport(generate(parent=f"tenants/{OTHER}"), metadata=other),
        grpc.StatusCode.NOT_FOUND,
        "BRAND_NOT_FOUND",
    )
    spain = reputation.as_role(TENANT, Role.ANALYST, f"{PARENT}/subsidiaries/spain")
    await _refused(
        reports.GetReport(pb.GetReportRequest(name=queued.name), metadata=spain),
        grpc.StatusCode.NOT_FOUND,
        "REPORT_NOT_FOUND",
    )
    analyst = reputation.as_role(TENANT, Role.ANALYST, FRANCE)
    assert (
        await reports.GetReport(pb.GetReportRequest(name=queued.name), metadata=analyst)
    ).name == queued.name
    listing = pb.ListReportsRequest(parent=PARENT)
    seen = await reports.ListReports(listing, metadata=analyst)
    assert [r.name for r in seen.reports] == [queued.name]
    assert list((await reports.ListReports(listing, metadata=spain)).reports) == []
    await _refused(
        reports.CreateReportSchedule(schedule_request(), metadata=analyst),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )


@pytest.mark.parametrize(
    ("fields", "code", "reason"),
    [
        ({"format": pb.REPORT_FORMAT_UNSPECIFIED}, "INVALID_ARGUMENT", "UNKNOWN_FORMAT"),
        ({"format": 9}, "INVALID_ARGUMENT", "UNKNOWN_FORMAT"),
        ({"end_time": START}, "INVALID_ARGUMENT", "EMPTY_PERIOD"),
        ({"start_time": START - timedelta(days=400)}, "INVALID_ARGUMENT", "PERIOD_TOO_LONG"),
        ({"brand": f"{PARENT}/brands/nobody"}, "NOT_FOUND", "BRAND_NOT_FOUND"),
        ({"subsidiary": FRANCE}, "INVALID_ARGUMENT", "SUBJECT_REQUIRED"),
    ],
)
async def test_a_bad_report_request_is_refused_with_its_reason(
    service: tuple[Any, Reputation], fields: dict[str, Any], code: str, reason: str
) -> None:
    reports, reputation = service
    await seed(reputation)
    call = reports.GenerateReport(generate(**fields), metadata=reputation.admin(TENANT))
    await _refused(call, getattr(grpc.StatusCode, code), reason)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"cadence": pb.REPORT_CADENCE_UNSPECIFIED}, "UNKNOWN_CADENCE"),
        ({"send_time": "25:00"}, "INVALID_SEND_TIME"),
        ({"delivery": pb.REPORT_DELIVERY_WEBHOOK}, "WEBHOOK_REQUIRED"),
        ({"format": 7}, "UNKNOWN_FORMAT"),
    ],
)
async def test_a_bad_schedule_is_refused_with_its_reason(
    service: tuple[Any, Reputation], fields: dict[str, Any], reason: str
) -> None:
    reports, reputation = service
    await seed(reputation)
    call = reports.CreateReportSchedule(
        schedule_request(**fields), metadata=reputation.admin(TENANT)
    )
    await _refused(call, grpc.StatusCode.INVALID_ARGUMENT, reason)


async def _refused(call: Any, code: grpc.StatusCode, reason: str) -> None:
    from vigie_runtime.grpc_errors import error_info

    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    assert caught.value.code() == code, caught.value.details()
    info = error_info(caught.value)
    assert info is not None and info.reason == reason, info
