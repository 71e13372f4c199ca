"""A directory and the gateway in front of it, both in-process on free ports; and, for the
tests of one service's GraphQL, that service served beside them (`behind_gateway`)."""

import asyncio
import importlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from vigie_directory.bootstrap import build
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings
from vigie_gateway.testing import LOGIN
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving


@dataclass
class Gateway:
    url: str
    http: httpx.AsyncClient
    tenant: str

    async def query(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
        )
        assert response.status_code < 500, response.text
        return response.json()  # type: ignore[no-any-return]

    async def login(self, email: str = "admin@acme.test", password: str = ADMIN_PASSWORD) -> str:
        result = await self.query(LOGIN, {"e": email, "p": password})
        assert result.get("data") and result["data"]["login"]["token"], result
        return str(result["data"]["login"]["token"])


async def start_uvicorn(app: Any) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            await task
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, task, port


@pytest.fixture
async def gateway(tmp_path: Path, database_url: str) -> AsyncIterator[Gateway]:
    settings = directory_settings(tmp_path, database_url)
    async with serving(build(settings)) as directory:
        tenant = await bootstrap_tenant(settings, "Acme Group", "admin@acme.test")
        gateway_settings = Settings(
            directory_target=f"127.0.0.1:{directory.grpc_port}", platform=settings.platform
        )
        server, task, port = await start_uvicorn(create_app(gateway_settings))
        async with httpx.AsyncClient(timeout=30) as http:
            yield Gateway(f"http://127.0.0.1:{port}", http, tenant)
        server.should_exit = True
        await task


# The two groups every `behind_gateway` platform starts with (their admins' e-mails).
GROUPS = {"Acme Group": "admin@acme.test", "Rival Group": "admin@rival.test"}


@dataclass
class Platform:
    """The gateway's ASGI app in front of a directory and the services asked for."""

    app: Any
    tenants: dict[str, str]  # group display name -> tenant resource name
    settings: dict[str, Any] = field(default_factory=dict)  # service -> its settings
    targets: dict[str, str] = field(default_factory=dict)  # service -> its gRPC address


@pytest.fixture
async def behind_gateway(
    tmp_path: Path, database_url: str, nats_url: str
) -> AsyncIterator[Callable[..., Awaitable[Platform]]]:
    """`await behind_gateway("listener")` serves the directory and the listener (each with its
    own database, NATS between them), bootstraps the two GROUPS and builds the gateway app;
    everything stops when the test ends. `mode` is the services' ("api" or "all")."""
    async with AsyncExitStack() as stack:

        async def serve(*services: str, mode: str = "all") -> Platform:
            directory = directory_settings(tmp_path, database_url, nats_url)
            host = await stack.enter_async_context(serving(build(directory), mode=mode))
            targets = {"directory_target": f"127.0.0.1:{host.grpc_port}"}
            platform = Platform(app=None, tenants={})
            for service in services:
                url = await stack.enter_async_context(temporary_database(tmp_path, service))
                config = importlib.import_module(f"vigie_{service}.config")
                bootstrap = importlib.import_module(f"vigie_{service}.bootstrap")
                settings = config.Settings(
                    database_url=url, grpc_address="127.0.0.1:0", platform=directory.platform
                )
                served = await stack.enter_async_context(
                    serving(bootstrap.build(settings), mode=mode)
                )
                targets[f"{service}_target"] = f"127.0.0.1:{served.grpc_port}"
                platform.settings[service] = settings
            for group, admin in GROUPS.items():
                platform.tenants[group] = await bootstrap_tenant(directory, group, admin)
            platform.targets = {k.removesuffix("_target"): v for k, v in targets.items()}
            platform.app = create_app(Settings(**targets, platform=directory.platform))
            return platform

        yield serve
