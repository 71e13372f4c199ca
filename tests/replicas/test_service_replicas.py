"""Every service but the directory, as it runs: migrated, serving health and reflection, and
keeping its replica of the directory's brands from the directory's events (once per event, even
when JetStream delivers a copy under another message id)."""

import importlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from nats.js import JetStreamContext
from sqlalchemy import func, select
from vigie.directory.v1 import events_pb2
from vigie.directory.v1 import resources_pb2 as directory
from vigie_directory_replica.subscription import BRAND_CREATED, BRAND_DELETED
from vigie_runtime.database import create_engine
from vigie_runtime.events import EventType, M, cloudevent_headers
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually

TENANT = "t_acme"
SERVICES = ["listener", "publisher", "reputation", "partnerships"]
RPC_SECONDS = 30.0


class Service:
    def __init__(self, name: str, database_url: str, tmp_path: Path, nats_url: str) -> None:
        self.name = name
        self.full_name = f"vigie.{name}.v1.{name.capitalize()}Service"
        self.build = importlib.import_module(f"vigie_{name}.bootstrap").build
        orm = importlib.import_module(f"vigie_{name}.adapters.orm")
        self.rows, self.runtime_tables = orm.KnownBrandRow, orm.RUNTIME_TABLES
        settings_class = importlib.import_module(f"vigie_{name}.config").Settings
        self.settings = settings_class(
            database_url=database_url,
            grpc_address="127.0.0.1:0",
            platform=PlatformSettings(
                jwks_file=tmp_path / "jwks.json", nats_url=nats_url, environment="test"
            ),
        )
        self.engine = create_engine(database_url)

    async def brand(self, brand_id: str) -> Any:
        query = select(self.rows).where(self.rows.tenant == TENANT, self.rows.id == brand_id)
        async with self.engine.connect() as connection:
            return (await connection.execute(query)).first()

    async def processed(self) -> int:
        table = self.runtime_tables.processed_events
        query = select(func.count()).where(table.c.consumer == f"{self.name}-brands")
        async with self.engine.connect() as connection:
            return int((await connection.execute(query)).scalar_one())


@pytest.fixture(params=SERVICES)
async def service(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path, nats_url: str
) -> AsyncIterator[Service]:
    service = Service(request.param, database_url, tmp_path, nats_url)
    try:
        yield service
    finally:
        await service.engine.dispose()


@pytest.fixture
async def directory_stream(nats_url: str) -> AsyncIterator[JetStreamContext]:
    connection = await nats.connect(nats_url)
    js = connection.jetstream()
    await ensure_stream(js, "directory")
    try:
        yield js
    finally:
        await connection.close()


def brand(brand_id: str, display_name: str) -> directory.Brand:
    stamp = Timestamp()
    stamp.FromDatetime(datetime(2026, 1, 5, 9, 30, tzinfo=UTC))
    return directory.Brand(
        name=f"tenants/{TENANT}/brands/{brand_id}",
        subsidiary=f"tenants/{TENANT}/subsidiaries/france",
        display_name=display_name,
        kind=directory.BRAND_KIND_OWN,
        aliases=["Lumière"],
        competitors=[f"tenants/{TENANT}/brands/rival"],
        update_time=stamp,
    )


async def publish(
    js: JetStreamContext, event_type: EventType[M], message: M, event_id: str, msg_id: str = ""
) -> None:
    headers = cloudevent_headers(
        event_id, event_type.ce_type, "directory", TENANT, datetime.now(UTC)
    )
    # Another Nats-Msg-Id gets past JetStream's de-duplication, as a re-publish after its window
    # would: only the consumer's inbox stands between the copy and a second effect.
    headers["Nats-Msg-Id"] = msg_id or event_id
    await js.publish(event_type.subject(TENANT), message.SerializeToString(), headers=headers)


async def test_it_migrates_and_serves_health_and_reflection(service: Service) -> None:
    async with (
        serving(service.build(service.settings)) as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        answer = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=service.full_name), timeout=RPC_SECONDS
        )
        assert answer.status == health_pb2.HealthCheckResponse.SERVING
        reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        answers = reflection.ServerReflectionInfo(iter([request]), timeout=RPC_SECONDS)
        responses = [r async for r in answers]
        names = {s.name for r in responses for s in r.list_services_response.service}
        assert {service.full_name, "vigie.ops.v1.OperationsService"} <= names


async def test_a_brand_created_event_published_twice_is_applied_once(
    service: Service, directory_stream: JetStreamContext
) -> None:
    created = events_pb2.BrandCreated(brand=brand("lumiere", "Café Lumière"))
    copy = events_pb2.BrandCreated(brand=brand("lumiere", "Applied twice"))
    later = events_pb2.BrandCreated(brand=brand("other", "Other"))
    async with serving(service.build(service.settings), mode="worker"):
        await publish(directory_stream, BRAND_CREATED, created, "ev-1")
        await publish(directory_stream, BRAND_CREATED, copy, "ev-1", msg_id="ev-1-again")
        await publish(directory_stream, BRAND_CREATED, later, "ev-2")

        async def other_arrived() -> bool:
            return await service.brand("other") is not None

        await eventually(other_arrived)
    row = await service.brand("lumiere")
    assert row.display_name == "Café Lumière" and not row.deleted
    assert row.subsidiary_id == "france" and row.kind == "own"
    assert row.aliases == ["Lumière"] and row.competitors == ["rival"]
    assert await service.processed() == 2


async def test_a_brand_deleted_event_marks_the_brand_deleted(
    service: Service, directory_stream: JetStreamContext
) -> None:
    created = events_pb2.BrandCreated(brand=brand("lumiere", "Café Lumière"))
    deleted = events_pb2.BrandDeleted(name=f"tenants/{TENANT}/brands/lumiere")
    async with serving(service.build(service.settings), mode="worker"):
        await publish(directory_stream, BRAND_CREATED, created, "ev-1")
        await publish(directory_stream, BRAND_DELETED, deleted, "ev-2")

        async def gone() -> bool:
            row = await service.brand("lumiere")
            return row is not None and row.deleted

        await eventually(gone)
