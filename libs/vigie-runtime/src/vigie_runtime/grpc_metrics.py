"""The gRPC server interceptor that counts and times every call (RPC duration histogram).

It is the outermost interceptor, so the status it records is the one the caller gets, including
the refusals of the authentication interceptor inside it. Health checks and reflection are left
out: probes would drown the traffic.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc

from vigie_runtime.grpc_handlers import Responder, Streamer, rebuilt
from vigie_runtime.metrics import RPC_SERVER_DURATION

_NOT_MEASURED = ("/grpc.health.v1.Health/", "/grpc.reflection.")


class MetricsInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[misc]
    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(details)
        method: str = details.method
        if handler is None or method.startswith(_NOT_MEASURED):
            return handler
        service, _, name = method.lstrip("/").rpartition("/")
        return _measured(handler, service, name)


def _record(service: str, method: str, started: float, code: grpc.StatusCode) -> None:
    RPC_SERVER_DURATION.labels(service=service, method=method, code=code.name).observe(
        time.perf_counter() - started
    )


def _outcome(context: grpc.aio.ServicerContext, error: BaseException | None) -> grpc.StatusCode:
    """The status the call ends with: the one set on the context (an abort sets it), else OK
    after a return, CANCELLED after a cancellation and UNKNOWN after any other exception."""
    code = context.code()
    if isinstance(code, grpc.StatusCode):
        return code
    if isinstance(code, int):  # some versions keep the integer of the C core
        return next((c for c in grpc.StatusCode if c.value[0] == code), grpc.StatusCode.UNKNOWN)
    if error is None:
        return grpc.StatusCode.OK
    if isinstance(error, asyncio.CancelledError):
        return grpc.StatusCode.CANCELLED
    return grpc.StatusCode.UNKNOWN


def _measured(handler: grpc.RpcMethodHandler, service: str, method: str) -> Any:
    def unary(inner: Responder) -> Responder:
        async def timed(request: Any, context: grpc.aio.ServicerContext) -> Any:
            started = time.perf_counter()
            try:
                result = await inner(request, context)
            except BaseException as error:
                _record(service, method, started, _outcome(context, error))
                raise
            _record(service, method, started, _outcome(context, None))
            return result

        return timed

    def streaming(inner: Streamer) -> Streamer:
        async def timed(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            started = time.perf_counter()
            try:
                async for item in inner(request, context):
                    yield item
            except BaseException as error:
                _record(service, method, started, _outcome(context, error))
                raise
            _record(service, method, started, _outcome(context, None))

        return timed

    return rebuilt(handler, unary_unary=unary, streaming=streaming)
