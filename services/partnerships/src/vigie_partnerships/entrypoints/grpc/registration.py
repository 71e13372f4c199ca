"""Registers only the RPCs a servicer implements, so gRPC itself answers UNIMPLEMENTED for the
others (the generated base methods would raise, which the server reports as INTERNAL)."""

from collections.abc import Callable
from typing import Any

import grpc
from vigie_runtime.grpc_server import ServiceRegistration


class _Recorder:
    """Stands in for the server while the generated `add_*_to_server` hands over its handlers."""

    def __init__(self) -> None:
        self.handlers: dict[str, grpc.RpcMethodHandler] = {}

    def add_generic_rpc_handlers(self, handlers: object) -> None:
        """The same handlers come again through `add_registered_method_handlers`."""

    def add_registered_method_handlers(
        self, service: str, handlers: dict[str, grpc.RpcMethodHandler]
    ) -> None:
        self.handlers.update(handlers)


def implemented_rpcs(
    full_name: str,
    servicer: object,
    base: type,
    add_to_server: Callable[[Any, Any], None],
) -> ServiceRegistration:
    recorder = _Recorder()
    add_to_server(servicer, recorder)
    implemented = {
        method: handler
        for method, handler in recorder.handlers.items()
        if getattr(type(servicer), method) is not getattr(base, method)
    }

    def add(server: grpc.aio.Server) -> None:
        server.add_generic_rpc_handlers(
            (grpc.method_handlers_generic_handler(full_name, implemented),)
        )
        server.add_registered_method_handlers(full_name, implemented)

    return ServiceRegistration(full_name, add)
