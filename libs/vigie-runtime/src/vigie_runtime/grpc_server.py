"""The gRPC server every service runs: health, reflection, interceptors, graceful shutdown.

The interceptor wraps each method so that, inside the method, `current_principal()` is the
verified caller, and any `AppError` becomes a status with its reason. Unexpected exceptions are
logged with their traceback and reach the caller as INTERNAL with only a trace id.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from opentelemetry import trace

from vigie_runtime.call_limits import CallLimits
from vigie_runtime.errors import AppError, Unauthenticated, Unimplemented
from vigie_runtime.grpc_errors import internal_status, to_grpc_status
from vigie_runtime.grpc_handlers import Responder, Streamer, rebuilt
from vigie_runtime.grpc_metrics import MetricsInterceptor
from vigie_runtime.principal import Principal, acting_as
from vigie_runtime.request_text import refuse_nul
from vigie_runtime.tokens import TokenVerifier

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 4 * 1024 * 1024
_ALWAYS_PUBLIC = ("/grpc.health.v1.Health/", "/grpc.reflection.")


@dataclass(frozen=True)
class ServiceRegistration:
    """One gRPC service: its full name, how to add it to a server, its unauthenticated methods."""

    full_name: str
    add_to_server: Callable[[grpc.aio.Server], None]
    public_methods: frozenset[str] = field(default_factory=frozenset)


class AuthAndErrorsInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[misc]
    def __init__(
        self, verifier: TokenVerifier, public_methods: Iterable[str], limits: CallLimits
    ) -> None:
        self._verifier = verifier
        self._public = frozenset(public_methods)
        self._limits = limits

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(details)
        method: str = details.method
        if handler is None or method.startswith(_ALWAYS_PUBLIC):
            return handler
        public = method in self._public
        metadata = dict(details.invocation_metadata or ())
        return _wrap(handler, lambda: self._principal(metadata, public))

    def _principal(self, metadata: dict[str, Any], public: bool) -> Principal | None:
        header = metadata.get("authorization", "")
        if not header:
            if public:
                return None
            raise Unauthenticated("TOKEN_MISSING", "this call needs a bearer token")
        scheme, _, token = str(header).partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("TOKEN_MALFORMED", "authorization must be 'Bearer <token>'")
        principal = self._verifier.verify(token.strip())
        self._limits.check(principal)
        return principal


def _wrap(handler: grpc.RpcMethodHandler, authenticate: Callable[[], Principal | None]) -> Any:
    async def guarded(call: Callable[[], Awaitable[Any]], context: grpc.aio.ServicerContext) -> Any:
        try:
            with acting_as(authenticate()):
                return await call()
        except AppError as error:
            status = to_grpc_status(error)
            await context.abort(status.code, status.details, status.trailing_metadata)
        except (asyncio.CancelledError, grpc.aio.AbortError):
            raise
        except NotImplementedError:
            await _abort_unimplemented(context)
        except Exception:
            await _abort_internal(context)

    def checked(inner: Responder) -> Responder:
        async def unary_unary(request: Any, context: grpc.aio.ServicerContext) -> Any:
            async def call() -> Any:
                refuse_nul(request)
                return await inner(request, context)

            return await guarded(call, context)

        return unary_unary

    def unary(inner: Responder) -> Responder:
        async def stream_unary(requests: Any, context: grpc.aio.ServicerContext) -> Any:
            return await guarded(lambda: inner(requests, context), context)

        return stream_unary

    def streaming(inner: Streamer) -> Streamer:
        async def streams(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            try:
                with acting_as(authenticate()):
                    async for item in inner(request, context):
                        yield item
            except AppError as error:
                status = to_grpc_status(error)
                await context.abort(status.code, status.details, status.trailing_metadata)
            except (asyncio.CancelledError, grpc.aio.AbortError):
                raise
            except Exception:
                await _abort_internal(context)

        return streams

    return rebuilt(handler, unary_unary=checked, stream_unary=unary, streaming=streaming)


async def _abort_unimplemented(context: grpc.aio.ServicerContext) -> None:
    """A method the contract declares and this version does not serve yet."""
    status = to_grpc_status(Unimplemented("NOT_IMPLEMENTED", "this method is not served yet"))
    await context.abort(status.code, status.details, status.trailing_metadata)


async def _abort_internal(context: grpc.aio.ServicerContext) -> None:
    span = trace.get_current_span().get_span_context()
    trace_id = format(span.trace_id, "032x") if span.is_valid else "none"
    log.exception("unexpected error in a gRPC method")
    status = internal_status(trace_id)
    await context.abort(status.code, status.details, status.trailing_metadata)


class GrpcServer:
    def __init__(
        self,
        registrations: list[ServiceRegistration],
        verifier: TokenVerifier,
        address: str,
        limits: CallLimits | None = None,
    ) -> None:
        public = [m for r in registrations for m in r.public_methods]
        limits = limits or CallLimits()
        self._server = grpc.aio.server(
            # Outermost first: the metrics see the status the caller gets, refusals included.
            interceptors=[MetricsInterceptor(), AuthAndErrorsInterceptor(verifier, public, limits)],
            options=[
                ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                ("grpc.so_reuseport", 0),
            ],
        )
        self._health = health.aio.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self._health, self._server)
        for registration in registrations:
            registration.add_to_server(self._server)
        names = [r.full_name for r in registrations]
        reflection.enable_server_reflection(
            [*names, health.SERVICE_NAME, reflection.SERVICE_NAME], self._server
        )
        self._names = names
        self.port = self._server.add_insecure_port(address)
        if self.port == 0:
            raise OSError(f"cannot listen on {address}")

    async def start(self) -> None:
        await self._server.start()
        for name in ["", *self._names]:
            await self._health.set(name, health_pb2.HealthCheckResponse.SERVING)

    async def stop(self, grace_seconds: float = 5.0) -> None:
        for name in ["", *self._names]:
            await self._health.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
        await self._server.stop(grace_seconds)

    async def serve_until(self, stop: asyncio.Event, grace_seconds: float = 5.0) -> None:
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop(grace_seconds)
