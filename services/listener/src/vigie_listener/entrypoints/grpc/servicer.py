"""ListenerService over gRPC: request -> handler (which owns the transaction) -> response.

Methods not written yet answer UNIMPLEMENTED (the runtime maps the generated base's error).
"""

from collections.abc import Callable

from vigie.listener.v1 import listener_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import UnitOfWork

SERVICE_NAME = "vigie.listener.v1.ListenerService"


class ListenerServicer(listener_pb2_grpc.ListenerServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow


def registration(servicer: ListenerServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: listener_pb2_grpc.add_ListenerServiceServicer_to_server(servicer, server),
    )
