"""The listener's skeleton as it runs: migrated, serving gRPC, and keeping its replica of the
directory's brands from the directory's events (SQLite + embedded NATS, or PostgreSQL + NATS)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import grpc
import nats
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from nats.js import JetStreamContext
from sqlalchemy import func, select
from vigie.directory.v1 import events_pb2
from vigie.directory.v1 import resources_pb2 as directory
from vigie.listener.v1 import listener_pb2, listener_pb2_grpc
from vigie_directory.app.events import BRAND_CREATED, BRAND_DELETED
from vigie_listener.adapters.orm import RUNTIME_TABLES, KnownBrandRow
from vigie_listener.bootstrap import build
from vigie_listener.config import Settings
from vigie_listener.entrypoints.nats.consumers import BRANDS_DURABLE
from vigie_runtime.database import create_engine
from vigie_runtime.events import EventType, M, cloudevent_headers
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

SERVICE = "vigie.listener.v1.ListenerService"
TENANT = "t_acme"


@pytest.fixture
def settings(tmp_path: Path, database_url: str, nats_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        grpc_address="127.0.0.1:0",
        platform=PlatformSettings(
            jwks_file=tmp_path / "jwks.json", nats_url=nats_url, environment="test"
        ),
    )


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
    # A different Nats-Msg-Id gets past JetStream's de-duplication, as a re-publish after its
    # window would: only the consumer's inbox stands between the copy and a second effect.
    headers["Nats-Msg-Id"] = msg_id or event_id
    await js.publish(event_type.subject(TENANT), message.SerializeToString(), headers=headers)


class Replica:
    def __init__(self, database_url: str) -> None:
        self.engine = create_engine(database_url)

    async def brand(self, brand_id: str) -> KnownBrandRow | None:
        query = select(KnownBrandRow).where(
            KnownBrandRow.tenant == TENANT, KnownBrandRow.id == brand_id
        )
        async with self.engine.connect() as connection:
            row = (await connection.execute(query)).first()
        return None if row is None else KnownBrandRow(**row._asdict())

    async def processed(self) -> int:
        table = RUNTIME_TABLES.processed_events
        query = select(func.count()).where(table.c.consumer == BRANDS_DURABLE)
        async with self.engine.connect() as connection:
            return int((await connection.execute(query)).scalar_one())


@pytest.fixture
async def replica(database_url: str) -> AsyncIterator[Replica]:
    replica = Replica(database_url)
    try:
        yield replica
    finally:
        await replica.engine.dispose()


async def test_it_migrates_and_serves_health_and_reflection(settings: Settings) -> None:
    async with (
        serving(build(settings)) as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        health = health_pb2_grpc.HealthStub(channel)
        answer = await health.Check(health_pb2.HealthCheckRequest(service=SERVICE))
        assert answer.status == health_pb2.HealthCheckResponse.SERVING
        reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        responses = [r async for r in reflection.ServerReflectionInfo(iter([request]))]
        names = {s.name for r in responses for s in r.list_services_response.service}
        assert {SERVICE, "vigie.ops.v1.OperationsService"} <= names


async def test_an_rpc_not_built_yet_answers_unimplemented(settings: Settings) -> None:
    keys = TestKeys(settings.platform.jwks_file)
    async with (
        serving(build(settings)) as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        stub = listener_pb2_grpc.ListenerServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.UpdateSource(listener_pb2.UpdateSourceRequest(), metadata=keys.admin(TENANT))
        assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED


async def test_a_brand_created_event_published_twice_is_applied_once(
    settings: Settings, directory_stream: JetStreamContext, replica: Replica
) -> None:
    created = events_pb2.BrandCreated(brand=brand("lumiere", "Café Lumière"))
    copy = events_pb2.BrandCreated(brand=brand("lumiere", "Applied twice"))
    later = events_pb2.BrandCreated(brand=brand("other", "Other"))
    async with serving(build(settings), mode="worker"):
        await publish(directory_stream, BRAND_CREATED, created, "ev-1")
        await publish(directory_stream, BRAND_CREATED, copy, "ev-1", msg_id="ev-1-again")
        await publish(directory_stream, BRAND_CREATED, later, "ev-2")
        await eventually(lambda: _exists(replica, "other"))
    row = await replica.brand("lumiere")
    assert row is not None
    assert row.display_name == "Café Lumière" and not row.deleted
    assert row.subsidiary_id == "france" and row.kind == "own"
    assert row.aliases == ["Lumière"] and row.competitors == ["rival"]
    assert await replica.processed() == 2


async def test_a_brand_deleted_event_marks_the_brand_deleted(
    settings: Settings, directory_stream: JetStreamContext, replica: Replica
) -> None:
    created = events_pb2.BrandCreated(brand=brand("lumiere", "Café Lumière"))
    deleted = events_pb2.BrandDeleted(name=f"tenants/{TENANT}/brands/lumiere")
    async with serving(build(settings), mode="worker"):
        await publish(directory_stream, BRAND_CREATED, created, "ev-1")
        await publish(directory_stream, BRAND_DELETED, deleted, "ev-2")
        await eventually(lambda: _deleted(replica, "lumiere"))
    row = await replica.brand("lumiere")
    assert row is not None and row.display_name == "Café Lumière"


async def _exists(replica: Replica, brand_id: str) -> bool:
    return await replica.brand(brand_id) is not None


async def _deleted(replica: Replica, brand_id: str) -> bool:
    row = await replica.brand(brand_id)
    return row is not None and row.deleted
