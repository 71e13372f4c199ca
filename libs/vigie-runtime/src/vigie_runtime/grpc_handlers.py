"""A gRPC method handler rebuilt around new behaviour, of the same kind and with the same
(de)serializers: what the server's interceptors (metrics, authentication and errors) do to
every method."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc

Responder = Callable[[Any, grpc.aio.ServicerContext], Awaitable[Any]]
Streamer = Callable[[Any, grpc.aio.ServicerContext], AsyncIterator[Any]]


def rebuilt(
    handler: grpc.RpcMethodHandler,
    *,
    unary_unary: Callable[[Responder], Responder],
    streaming: Callable[[Streamer], Streamer],
    stream_unary: Callable[[Responder], Responder] | None = None,
) -> grpc.RpcMethodHandler:
    """`handler` with its behaviour passed through the wrapper of its kind: `unary_unary` (and
    `stream_unary`, the same unless given) for methods answering one response, `streaming` for
    methods answering a stream."""
    serializers = (handler.request_deserializer, handler.response_serializer)
    if handler.unary_unary:
        return grpc.unary_unary_rpc_method_handler(unary_unary(handler.unary_unary), *serializers)
    if handler.stream_unary:
        wrap = stream_unary or unary_unary
        return grpc.stream_unary_rpc_method_handler(wrap(handler.stream_unary), *serializers)
    if handler.unary_stream:
        return grpc.unary_stream_rpc_method_handler(streaming(handler.unary_stream), *serializers)
    return grpc.stream_stream_rpc_method_handler(streaming(handler.stream_stream), *serializers)
