"""Prometheus' view of running services: /metrics scraped over HTTP after real gRPC calls,
GraphQL operations and events (SQLite + embedded NATS, or PostgreSQL). Counts are compared
before and after, never timings: the registry is the process's and other tests may add to it."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
import httpx
import uvicorn
from prometheus_client.parser import text_string_to_metric_families
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import directory_pb2_grpc
from vigie.directory.v1 import resources_pb2 as pb
from vigie_directory.bootstrap import build as build_directory
from vigie_directory.config import Settings as DirectorySettings
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_listener.bootstrap import build as build_listener
from vigie_listener.config import Settings as ListenerSettings
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.nats import EmbeddedNats
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually

DIRECTORY = "vigie.directory.v1.DirectoryService"
Series = dict[tuple[str, frozenset[tuple[str, str]]], float]


def observed_settings(tmp_path: Path, database_url: str, nats_url: str) -> DirectorySettings:
    """The directory's settings with a /metrics endpoint on a free port, sampled often."""
    settings = directory_settings(tmp_path, database_url, nats_url)
    platform = settings.platform.model_copy(
        update={"metrics_address": "127.0.0.1:0", "metrics_sample_seconds": 0.2}
    )
    return settings.model_copy(update={"platform": platform})


async def scrape(port: int) -> Series:
    async with httpx.AsyncClient(timeout=10) as http:
        answer = await http.get(f"http://127.0.0.1:{port}/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(series: Series, name: str, **labels: str) -> float:
    return series.get((name, frozenset(labels.items())), 0.0)


def rpc_count(series: Series, method: str, code: str) -> float:
    return value(
        series,
        "vigie_rpc_server_duration_seconds_count",
        service=DIRECTORY,
        method=method,
        code=code,
    )


@asynccontextmanager
async def logged_in(
    port: int,
) -> AsyncIterator[tuple[directory_pb2_grpc.DirectoryServiceStub, list[tuple[str, str]]]]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = directory_pb2_grpc.DirectoryServiceStub(channel)
        login = await stub.Login(rpc.LoginRequest(email="admin@acme.test", password=ADMIN_PASSWORD))
        yield stub, [("authorization", f"Bearer {login.token}")]


async def create_subsidiary(
    stub: directory_pb2_grpc.DirectoryServiceStub, auth: list[tuple[str, str]], tenant: str
) -> pb.Subsidiary:
    return await stub.CreateSubsidiary(
        rpc.CreateSubsidiaryRequest(
            parent=tenant,
            subsidiary=pb.Subsidiary(
                display_name="France", country="FR", locale="fr-FR", time_zone="Europe/Paris"
            ),
        ),
        metadata=auth,
    )


@asynccontextmanager
async def gateway(settings: GatewaySettings) -> AsyncIterator[str]:
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_config=None)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}/graphql"
    finally:
        server.should_exit = True
        await task


async def test_rpcs_graphql_operations_and_consumed_events_show_on_metrics(
    tmp_path: Path, database_url: str, nats_url: str
) -> None:
    settings = observed_settings(tmp_path / "d", database_url, nats_url)
    async with (
        temporary_database(tmp_path, "listener") as listener_database,
        serving(build_directory(settings), mode="all") as directory,
        serving(
            build_listener(
                ListenerSettings(
                    database_url=listener_database,
                    grpc_address="127.0.0.1:0",
                    platform=settings.platform,
                )
            ),
            mode="worker",
        ) as listener,
    ):
        assert directory.metrics_port and listener.metrics_port
        tenant = await bootstrap_tenant(settings, "Acme", "admin@acme.test")
        before = await scrape(directory.metrics_port)
        async with logged_in(directory.grpc_port or 0) as (stub, auth):
            subsidiary = await create_subsidiary(stub, auth, tenant)
            for _ in range(2):
                await stub.CreateBrand(
                    rpc.CreateBrandRequest(
                        parent=tenant,
                        brand=pb.Brand(
                            subsidiary=subsidiary.name,
                            display_name="Lumière",
                            kind=pb.BRAND_KIND_OWN,
                        ),
                    ),
                    metadata=auth,
                )
            try:
                await stub.GetBrand(rpc.GetBrandRequest(name="not a brand"), metadata=auth)
            except grpc.aio.AioRpcError as refused:
                refusal = refused.code().name
        gateway_settings = GatewaySettings(
            directory_target=f"127.0.0.1:{directory.grpc_port}", platform=settings.platform
        )
        async with gateway(gateway_settings) as url, httpx.AsyncClient(timeout=30) as http:
            for _ in range(3):
                answer = await http.post(url, json={"query": "query Whoami { me { email } }"})
                assert answer.status_code == 200

        async def brands_consumed() -> bool:
            after = await scrape(listener.metrics_port or 0)
            labels = {"service": "listener", "durable": "listener-brands"}
            applied = value(after, "vigie_consumer_events_total", **labels, outcome="applied")
            earlier = value(before, "vigie_consumer_events_total", **labels, outcome="applied")
            return applied - earlier >= 2

        await eventually(brands_consumed, seconds=60)

        async def sampled() -> bool:
            after = await scrape(directory.metrics_port)
            return (
                "service",
                "directory",
            ) in {
                pair
                for (name, labels) in after
                if name == "vigie_outbox_pending_events"
                for pair in labels
            }

        await eventually(sampled, seconds=30)
        after = await scrape(directory.metrics_port)

    assert (
        rpc_count(after, "CreateSubsidiary", "OK") - rpc_count(before, "CreateSubsidiary", "OK")
        == 1
    )
    assert rpc_count(after, "CreateBrand", "OK") - rpc_count(before, "CreateBrand", "OK") == 2
    assert rpc_count(after, "GetBrand", refusal) - rpc_count(before, "GetBrand", refusal) == 1
    assert refusal != "OK"
    # The login (public) counts too; health checks do not.
    assert rpc_count(after, "Login", "OK") > rpc_count(before, "Login", "OK")
    assert not any(dict(labels).get("service") == "grpc.health.v1.Health" for _, labels in after)
    # The gateway's operations: named, typed, and refused as errors (no token).
    whoami = {"operation": "Whoami", "type": "query", "outcome": "error"}
    name = "vigie_graphql_operation_duration_seconds_count"
    assert value(after, name, **whoami) - value(before, name, **whoami) == 3
    # The directory's relay published the two brand.created (and the subsidiary's event).
    published = "vigie_outbox_published_events_total"
    assert (
        value(after, published, service="directory") - value(before, published, service="directory")
        >= 2
    )
    assert (
        "vigie_consumer_pending_messages",
        frozenset({"service": "listener", "durable": "listener-brands"}.items()),
    ) in after
    assert value(after, "vigie_dead_letters", service="listener", durable="listener-brands") == 0


async def test_the_outbox_backlog_grows_while_nats_is_down_and_drains_after(
    tmp_path: Path, database_url: str, own_nats: EmbeddedNats
) -> None:
    settings = observed_settings(tmp_path, database_url, own_nats.url)
    async with serving(build_directory(settings), mode="all") as directory:
        assert directory.metrics_port
        tenant = await bootstrap_tenant(settings, "Acme", "admin@acme.test")
        port = directory.metrics_port

        async def backlog() -> tuple[float, float]:
            series = await scrape(port)
            return (
                value(series, "vigie_outbox_pending_events", service="directory"),
                value(series, "vigie_outbox_oldest_pending_age_seconds", service="directory"),
            )

        async def drained() -> bool:
            return (await backlog()) == (0.0, 0.0)

        await eventually(drained, seconds=30)  # the tenant's own events
        own_nats.stop()
        async with logged_in(directory.grpc_port or 0) as (stub, auth):
            for _ in range(3):
                await create_subsidiary(stub, auth, tenant)

        async def waiting() -> bool:
            pending, age = await backlog()
            return pending == 3 and age > 0

        await eventually(waiting, seconds=30)
        own_nats.start()
        await eventually(drained, seconds=60)
