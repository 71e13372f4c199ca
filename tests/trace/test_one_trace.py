"""One request, one trace: GraphQL → gateway → gRPC → directory (outbox) → NATS → the listener's
consumer, all children of the HTTP request's span (in-memory exporter), with the span names and
attributes of the OpenTelemetry conventions for RPC and messaging."""

import asyncio
from pathlib import Path

import httpx
import pytest
import uvicorn
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from vigie_directory.bootstrap import build as build_directory
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_listener.bootstrap import build as build_listener
from vigie_listener.config import Settings as ListenerSettings
from vigie_runtime.telemetry import configure_telemetry
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually

DIRECTORY_SERVICE = "vigie.directory.v1.DirectoryService"


@pytest.fixture
def spans() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    configure_telemetry("vigie-tests", processors=[SimpleSpanProcessor(exporter)])
    return exporter


async def test_a_graphql_mutation_and_the_event_it_causes_form_one_trace(
    tmp_path: Path, database_url: str, nats_url: str, spans: InMemorySpanExporter
) -> None:
    directory_config = directory_settings(tmp_path / "d", database_url, nats_url)
    listener_config = ListenerSettings(
        database_url=database_url.replace(".sqlite", "-listener.sqlite")
        if database_url.startswith("sqlite")
        else database_url,
        grpc_address="127.0.0.1:0",
        platform=directory_config.platform,
    )
    async with (
        serving(build_directory(directory_config), mode="all") as directory,
        serving(build_listener(listener_config), mode="worker"),
    ):
        tenant = await bootstrap_tenant(directory_config, "Acme", "admin@acme.test")
        gateway = GatewaySettings(
            directory_target=f"127.0.0.1:{directory.grpc_port}", platform=directory_config.platform
        )
        server = uvicorn.Server(
            uvicorn.Config(create_app(gateway), host="127.0.0.1", port=0, log_config=None)
        )
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.02)
        url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}/graphql"
        async with httpx.AsyncClient(timeout=30) as http:
            login = await http.post(
                url,
                json={
                    "query": f'mutation {{ login(input: {{email: "admin@acme.test", password: "{ADMIN_PASSWORD}"}}) {{ token }} }}'
                },
            )
            token = login.json()["data"]["login"]["token"]
            headers = {"Authorization": f"Bearer {token}"}
            subsidiary = await http.post(
                url,
                headers=headers,
                json={
                    "query": 'mutation { createSubsidiary(input: {displayName: "France", country: "FR", locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } errors { code reason message field } } }'
                },
            )
            subsidiary_id = subsidiary.json()["data"]["createSubsidiary"]["subsidiary"]["id"]
            spans.clear()
            created = await http.post(
                url,
                headers=headers,
                json={
                    "query": f'mutation {{ createBrand(input: {{subsidiaryId: "{subsidiary_id}", displayName: "Lumière"}}) {{ brand {{ id }} errors {{ code reason message field }} }} }}'
                },
            )
            assert created.json()["data"]["createBrand"]["brand"]["id"].startswith(tenant)

            def consumer_spans() -> list[ReadableSpan]:
                return [
                    s
                    for s in spans.get_finished_spans()
                    if s.kind is SpanKind.CONSUMER and "brand.created" in s.name
                ]

            async def consumed() -> bool:
                return bool(consumer_spans())

            await eventually(consumed, seconds=30)
        server.should_exit = True
        await task

    finished = spans.get_finished_spans()
    consumer = consumer_spans()[0]
    trace_spans = [s for s in finished if s.context.trace_id == consumer.context.trace_id]
    by_id = {s.context.span_id: s for s in trace_spans}
    chain = []
    span: ReadableSpan | None = consumer
    while span is not None:
        chain.append(span)
        span = by_id.get(span.parent.span_id) if span.parent else None
    kinds = [s.kind for s in reversed(chain)]
    names = [s.name for s in reversed(chain)]
    # HTTP server → gRPC client → gRPC server → NATS producer → NATS consumer, one trace.
    assert kinds == [
        SpanKind.SERVER,
        SpanKind.CLIENT,
        SpanKind.SERVER,
        SpanKind.PRODUCER,
        SpanKind.CONSUMER,
    ], names
    http, client, server, producer, _ = reversed(chain)
    assert "POST" in http.name, names
    # RPC conventions: named `package.Service/Method`, with rpc.system, rpc.service, rpc.method.
    for rpc_span in (client, server):
        assert rpc_span.name == f"{DIRECTORY_SERVICE}/CreateBrand", names
        assert rpc_span.attributes is not None
        assert rpc_span.attributes["rpc.system"] == "grpc"
        assert rpc_span.attributes["rpc.service"] == DIRECTORY_SERVICE
        assert rpc_span.attributes["rpc.method"] == "CreateBrand"
        assert rpc_span.attributes["rpc.grpc.status_code"] == 0
    # Messaging conventions: `<operation> <destination>` (the subject's template: the subject
    # itself names the tenant), messaging.system, destination, operation name and type.
    subject = f"vigie.directory.{tenant.removeprefix('tenants/')}.brand.created.v1"
    expected = {
        producer: ("publish", "send"),
        consumer: ("process", "process"),
    }
    for span_of, (operation, operation_type) in expected.items():
        attributes = span_of.attributes
        assert attributes is not None
        assert span_of.name == f"{operation} vigie.directory.{{tenant}}.brand.created.v1"
        assert attributes["messaging.system"] == "nats"
        assert attributes["messaging.operation.name"] == operation
        assert attributes["messaging.operation.type"] == operation_type
        assert attributes["messaging.destination.name"] == subject
        assert (
            attributes["messaging.destination.template"]
            == "vigie.directory.{tenant}.brand.created.v1"
        )
        assert attributes["messaging.message.id"] == producer.attributes["messaging.message.id"]
    assert consumer.attributes["messaging.consumer.group.name"] == "listener-brands"
