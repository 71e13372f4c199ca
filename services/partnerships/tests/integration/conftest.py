"""The partnerships served on its own (SQLite + embedded NATS, or PostgreSQL + NATS), with
tokens of any tenant and role, and helpers to publish the producers' real events."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nats
import pytest
from google.protobuf.message import Message
from nats.js import JetStreamContext
from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie_partnerships.bootstrap import build
from vigie_partnerships.config import Settings
from vigie_runtime.events import EventType, M, cloudevent_headers
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys

TENANT = "t_acme"
OTHER = "t_other"


@pytest.fixture
def settings(tmp_path: Path, database_url: str, nats_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        grpc_address="127.0.0.1:0",
        discovery_min_followers=1000,
        deliverables_clock_seconds=0.2,
        platform=PlatformSettings(
            jwks_file=tmp_path / "jwks.json", nats_url=nats_url, environment="test"
        ),
    )


@dataclass
class Service:
    stub: partnerships_pb2_grpc.PartnershipsServiceStub
    keys: TestKeys

    def admin(self, tenant: str = TENANT) -> tuple[tuple[str, str], ...]:
        return self.keys.admin(tenant)


@pytest.fixture
async def service(settings: Settings) -> AsyncIterator[Service]:
    keys = TestKeys(settings.platform.jwks_file)
    async with (
        serving(build(settings), mode="all") as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        yield Service(partnerships_pb2_grpc.PartnershipsServiceStub(channel), keys)


@dataclass
class Producer:
    js: JetStreamContext

    async def publish(
        self, event_type: EventType[M], message: Message, event_id: str, tenant: str = TENANT
    ) -> None:
        headers = cloudevent_headers(
            event_id, event_type.ce_type, event_type.producer, tenant, datetime.now(UTC)
        )
        await self.js.publish(
            event_type.subject(tenant), message.SerializeToString(), headers=headers
        )


@pytest.fixture
async def producer(nats_url: str) -> AsyncIterator[Producer]:
    connection = await nats.connect(nats_url)
    js = connection.jetstream()
    for name in ("listener", "reputation", "directory"):
        await ensure_stream(js, name)
    try:
        yield Producer(js)
    finally:
        await connection.close()
