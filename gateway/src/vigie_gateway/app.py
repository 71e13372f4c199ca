"""The gateway's ASGI application: GraphQL at /graphql, health at /healthz and /readyz."""

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.types.unset import UNSET, UnsetType
from vigie_runtime.errors import Unauthenticated
from vigie_runtime.metrics import MetricsEndpoint
from vigie_runtime.principal import Principal
from vigie_runtime.revocations import follow_revocations
from vigie_runtime.tokens import TokenVerifier

from vigie_gateway.clients import ServiceClients
from vigie_gateway.config import Settings
from vigie_gateway.console import console_routes
from vigie_gateway.context import Context
from vigie_gateway.http.admission import FairAdmission
from vigie_gateway.http.endpoint import GraphQLHttp
from vigie_gateway.http.persisted_queries import PersistedQueries, load_allow_list
from vigie_gateway.http.rate_limit import RateLimiter
from vigie_gateway.live import connection as live_connection
from vigie_gateway.live.hub import EventHub, LiveSettings
from vigie_gateway.response_cache import ResponseCache
from vigie_gateway.schema import build_schema


class VigieGraphQL(GraphQL[Context, None]):
    def __init__(
        self,
        settings: Settings,
        clients: ServiceClients,
        verifier: TokenVerifier,
        cache: ResponseCache | None = None,
    ) -> None:
        super().__init__(
            build_schema(settings, cache),
            graphql_ide=None if settings.production else "graphiql",
            allow_queries_via_get=True,
        )
        self._clients = clients
        self._verifier = verifier
        self.hub: EventHub | None = None  # live subscriptions' NATS fan-out, set at start-up

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """The caller of a WebSocket is its `connection_init` token's (4403 otherwise)."""
        live_connection.accept(context, self._verifier)
        context.hub = self.hub
        return cast(UnsetType, UNSET)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        token = _bearer(request.headers.get("authorization", ""))
        principal: Principal | None = None
        refusal: Unauthenticated | None = None
        if token:
            try:
                principal = self._verifier.verify(token)
            except Unauthenticated as refused:
                refusal = refused  # raised by the first field that needs the caller
        return Context(clients=self._clients, token=token, principal=principal, refusal=refusal)


def _bearer(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _persisted_queries(settings: Settings) -> PersistedQueries:
    """Built when the app is: a wrong allow-list file stops the gateway before it serves."""
    allow_list = settings.persisted_queries_allow_list
    return PersistedQueries(
        settings.persisted_queries_capacity,
        allow_list=load_allow_list(allow_list) if allow_list else None,
        apq=settings.persisted_queries_enabled,
    )


def _response_cache(settings: Settings) -> ResponseCache | None:
    if not settings.response_cache_enabled:
        return None
    return ResponseCache(
        settings.response_cache_max_age_seconds,
        settings.response_cache_capacity,
        settings.response_cache_stale_seconds,
    )


def _wants_ide(scope: Any) -> bool:
    """A browser opening /graphql (GET, HTML, no query): Strawberry's view shows GraphiQL."""
    headers = dict(scope.get("headers") or [])
    return (
        scope.get("method") == "GET"
        and b"text/html" in headers.get(b"accept", b"")
        and b"query=" not in scope.get("query_string", b"")
    )


def create_app(settings: Settings | None = None, freeze_start_up: bool = False) -> Starlette:
    """`freeze_start_up` (the served gateway, not tests that make many apps in one process):
    what start-up built (the schema, its types, the protobuf descriptors) lives as long as the
    process, so it is moved out of the collector's way; a full collection no longer walks it and
    stalls every request in flight for as long."""
    settings = settings or Settings()
    platform = settings.platform
    verifier = TokenVerifier.from_file(
        platform.jwks_file, platform.token_issuer, platform.token_audience
    )
    state: dict[str, Any] = {}
    persisted = _persisted_queries(settings)
    limiter = RateLimiter(settings.rate_limit_per_second, settings.rate_limit_burst)
    admission = FairAdmission(
        settings.max_concurrent_operations,
        settings.max_concurrent_operations_per_tenant,
        settings.max_queued_per_tenant,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        metrics = MetricsEndpoint.start(platform.metrics_address)
        app.state.metrics_port = metrics.port if metrics else None
        clients = ServiceClients.connect(settings)
        state["clients"] = clients
        cache = _response_cache(settings)
        state["graphql"] = VigieGraphQL(settings, clients, verifier, cache)
        app.state.response_cache = cache
        hub = EventHub(platform.nats_url, LiveSettings().queue_capacity)
        state["graphql"].hub = app.state.live_hub = hub
        state["http"] = GraphQLHttp(
            state["graphql"], persisted, limiter, admission, settings.allowed_origins
        )
        revocations = asyncio.create_task(
            follow_revocations(
                verifier.revocations,
                platform.nats_url,
                "vigie-gateway",
                platform.nats_stream_replicas,
            )
        )
        following = [asyncio.create_task(cache.follow_facts(platform.nats_url))] if cache else []
        if freeze_start_up:
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            for task in [revocations, *following]:
                task.cancel()
            await asyncio.gather(revocations, *following, return_exceptions=True)
            await hub.close()
            await clients.close()
            if metrics is not None:
                await asyncio.to_thread(metrics.stop)

    class GraphQLEndpoint:
        """HTTP and WebSocket at one path, served by the app built at start-up."""

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http" and not _wants_ide(scope):
                response = await state["http"].handle(Request(scope, receive))
                await response(scope, receive, send)
                return
            await state["graphql"](scope, receive, send)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        """Ready when the directory answers its health check (logins need it)."""
        stub = health_pb2_grpc.HealthStub(state["clients"].channels["directory"])
        try:
            answer = await stub.Check(health_pb2.HealthCheckRequest(), timeout=2)
        except grpc.aio.AioRpcError:
            return JSONResponse({"status": "directory unreachable"}, status_code=503)
        serving = answer.status == health_pb2.HealthCheckResponse.SERVING
        return JSONResponse(
            {"status": "ok" if serving else "directory not serving"},
            status_code=200 if serving else 503,
        )

    app = Starlette(
        routes=[
            Route("/graphql", GraphQLEndpoint(), methods=["GET", "POST"]),
            WebSocketRoute("/graphql", GraphQLEndpoint()),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *console_routes(settings.console_enabled),
        ],
        lifespan=lifespan,
    )
    app.state.admission = admission  # tests hold its slots to see who waits
    # Only the listed front ends may call from a browser; the preflight answers them alone.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["authorization", "content-type", "accept"],
        expose_headers=["retry-after"],
        max_age=600,
    )
    # A SERVER span per HTTP request: the root of the trace that gRPC and NATS continue.
    return OpenTelemetryMiddleware(app, exclude_spans=["receive", "send"])  # type: ignore[return-value]
