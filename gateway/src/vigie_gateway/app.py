"""The gateway's ASGI application: GraphQL at /graphql, health at /healthz and /readyz."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from vigie_runtime.errors import Unauthenticated
from vigie_runtime.principal import Principal
from vigie_runtime.tokens import TokenVerifier

from vigie_gateway.clients import ServiceClients
from vigie_gateway.config import Settings
from vigie_gateway.context import Context
from vigie_gateway.schema import build_schema


class VigieGraphQL(GraphQL[Context, None]):
    def __init__(
        self, settings: Settings, clients: ServiceClients, verifier: TokenVerifier
    ) -> None:
        super().__init__(
            build_schema(settings),
            graphql_ide=None if settings.production else "graphiql",
            allow_queries_via_get=False,
        )
        self._clients = clients
        self._verifier = verifier

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


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    platform = settings.platform
    verifier = TokenVerifier.from_file(
        platform.jwks_file, platform.token_issuer, platform.token_audience
    )
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        clients = ServiceClients.connect(settings)
        state["clients"] = clients
        state["graphql"] = VigieGraphQL(settings, clients, verifier)
        try:
            yield
        finally:
            await clients.close()

    class GraphQLEndpoint:
        """HTTP and WebSocket at one path, served by the app built at start-up."""

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
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
        ],
        lifespan=lifespan,
    )
    # A SERVER span per HTTP request: the root of the trace that gRPC and NATS continue.
    return OpenTelemetryMiddleware(app, exclude_spans=["receive", "send"])  # type: ignore[return-value]
