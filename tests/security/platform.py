"""The whole platform for the security suites: the five services (API, consumers and loops) and
the gateway over HTTP, on the test backends (SQLite + embedded NATS, or PostgreSQL + the
machine's NATS), started once per test module."""

import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch

from vigie_directory.bootstrap import build as build_directory
from vigie_directory.config import Settings as DirectorySettings
from vigie_directory.testing import directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_gateway.testing import Front, graphql_front
from vigie_listener.bootstrap import build as build_listener
from vigie_listener.config import Settings as ListenerSettings
from vigie_partnerships.bootstrap import build as build_partnerships
from vigie_partnerships.config import Settings as PartnershipsSettings
from vigie_publisher.bootstrap import build as build_publisher
from vigie_publisher.config import Settings as PublisherSettings
from vigie_reputation.bootstrap import build as build_reputation
from vigie_reputation.config import Settings as ReputationSettings
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.nats import delete_vigie_streams
from vigie_runtime.testing.services import serving

from tests.security.world_crisis import CRISIS_SETTINGS

SERVICES = ("directory", "publisher", "listener", "reputation", "partnerships")
UNLIMITED_CALLS = {
    f"VIGIE_GRPC_{who}_CALLS_{what}": "1000000"
    for who in ("USER", "PARTNER")
    for what in ("PER_SECOND", "BURST")
}


@dataclass
class Platform:
    directory: DirectorySettings
    targets: dict[str, str]  # service -> host:port of its gRPC server
    front: Front  # the gateway over HTTP; `token` is set per request by the suites
    jwks_file: Path


@asynccontextmanager
async def running_platform(folder: Path, nats_url: str) -> AsyncIterator[Platform]:
    await delete_vigie_streams(nats_url)
    async with AsyncExitStack() as stack:
        # The matrix sends thousands of calls from a few tokens (the partner's among them): not
        # a flood. The servers' call limits have tests of their own (test_grpc_abuse.py).
        stack.enter_context(patch.dict(os.environ, UNLIMITED_CALLS))
        urls = {
            name: await stack.enter_async_context(temporary_database(folder, name))
            for name in SERVICES
        }
        directory = directory_settings(folder, urls["directory"], nats_url)
        here, shared = "127.0.0.1:0", directory.platform
        specs = {
            "directory": build_directory(directory),
            "publisher": build_publisher(PublisherSettings(
                database_url=urls["publisher"], grpc_address=here, platform=shared)),
            "listener": build_listener(ListenerSettings(
                database_url=urls["listener"], grpc_address=here, platform=shared)),
            "reputation": build_reputation(ReputationSettings(
                database_url=urls["reputation"], grpc_address=here, platform=shared,
                sentiment_model="fast", **CRISIS_SETTINGS)),
            "partnerships": build_partnerships(PartnershipsSettings(
                database_url=urls["partnerships"], grpc_address=here, platform=shared)),
        }  # fmt: skip
        targets = {}
        for name, spec in specs.items():
            host = await stack.enter_async_context(serving(spec, mode="all"))
            targets[name] = f"127.0.0.1:{host.grpc_port}"
        gateway = GatewaySettings(
            **{f"{name}_target": target for name, target in targets.items()},  # type: ignore[arg-type]
            platform=directory.platform,
            # The matrix sends thousands of requests from a few callers: not a flood.
            rate_limit_per_second=100_000.0,
            rate_limit_burst=100_000,
        )
        front = await stack.enter_async_context(graphql_front(create_app(gateway)))
        yield Platform(directory, targets, front, directory.platform.jwks_file)
