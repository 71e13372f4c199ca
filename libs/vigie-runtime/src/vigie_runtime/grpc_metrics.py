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
    async def timed(call: Callable[[], Awaitable[Any]], context: grpc.aio.ServicerContext) -> Any:
        started = time.perf_counter()
        try:
            result = await call()
        except BaseException as error:
            _record(service, method, started, _outcome(context, error))
            raise
        _record(service, method, started, _outcome(context, None))
        return result

    if handler.unary_unary:
        inner_uu = handler.unary_unary

        async def unary_unary(request: Any, context: grpc.aio.ServicerContext) -> Any:
            return await timed(lambda: inner_uu(request, context), context)

        return grpc.unary_unary_rpc_method_handler(
            unary_unary, handler.request_deserializer, handler.response_serializer
        )
    if handler.stream_unary:
        inner_su = handler.stream_unary

        async def stream_unary(requests: Any, context: grpc.aio.ServicerContext) -> Any:
            return await timed(lambda: inner_su(requests, context), context)

        return grpc.stream_unary_rpc_method_handler(
            stream_unary, handler.request_deserializer, handler.response_serializer
        )
    streaming = handler.unary_stream or handler.stream_stream

    async def streams(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
        started = time.perf_counter()
        try:
            async for item in streaming(request, context):
                yield item
        except BaseException as error:
            _record(service, method, started, _outcome(context, error))
            raise
        _record(service, method, started, _outcome(context, None))

    make = (
        grpc.unary_stream_rpc_method_handler
        if handler.unary_stream
        else grpc.stream_stream_rpc_method_handler
    )
    return make(streams, handler.request_deserializer, handler.response_serializer)
