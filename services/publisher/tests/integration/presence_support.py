"""Helpers of the presence tests: a publisher with its worker on NATS (the PDS's accounts act
through `vigie_publisher.pds_testing.PdsUser`)."""

from collections.abc import AsyncIterator

from vigie_publisher.bootstrap import build
from vigie_publisher.config import Settings
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys

from .api_support import Api, Stub


async def serve_worker_api(db_settings: Settings, nats_url: str) -> AsyncIterator[Api]:
    """The publisher in `all` mode (API, outbox relay, consumers, loops) on `nats_url`."""
    platform = db_settings.platform.model_copy(update={"nats_url": nats_url})
    settings = db_settings.model_copy(update={"platform": platform})
    keys = TestKeys(settings.platform.jwks_file)
    async with (
        serving(build(settings), mode="all") as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        yield Api(Stub(channel), keys)
