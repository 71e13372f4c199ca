"""A listener served in-process on a throw-away database, with brands in its replica."""

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from vigie.listener.v1 import listener_pb2_grpc
from vigie_listener.adapters.orm import RUNTIME_TABLES
from vigie_listener.bootstrap import build
from vigie_listener.config import Settings
from vigie_listener.testing import Listener, Pipeline, seed_brands
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.host import Plumbing
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys


@pytest.fixture
def settings(tmp_path: Path, database_url: str, nats_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        grpc_address="127.0.0.1:0",
        partner_quota_per_minute=50,
        platform=PlatformSettings(
            jwks_file=tmp_path / "jwks.json", nats_url=nats_url, environment="test"
        ),
    )


@pytest.fixture
async def listener(settings: Settings) -> AsyncIterator[Listener]:
    keys = TestKeys(settings.platform.jwks_file)
    async with serving(build(settings)) as host:
        await seed_brands(settings.database_url)
        channel: grpc.aio.Channel = open_channel(f"127.0.0.1:{host.grpc_port}")
        try:
            yield Listener(
                listener_pb2_grpc.ListenerServiceStub(channel), keys, settings.database_url
            )
        finally:
            await channel.close()


@pytest.fixture
async def pipeline(settings: Settings, listener: Listener) -> AsyncIterator[Pipeline]:
    plumbing = Plumbing("listener", settings, RUNTIME_TABLES)
    try:
        yield Pipeline(plumbing, settings)
    finally:
        await plumbing.close()
