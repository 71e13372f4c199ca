"""A directory and the gateway in front of it, both in-process on free ports."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from vigie_directory.bootstrap import build
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings
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
        result = await self.query(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            {"e": email, "p": password},
        )
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
