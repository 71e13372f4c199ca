"""ListenerService over gRPC: request -> handler (which owns the transaction) -> response.

No RPC is built yet; those not overridden here answer UNIMPLEMENTED (see `registration`).
"""

from collections.abc import Callable

from vigie.listener.v1 import listener_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import UnitOfWork

from vigie_listener.entrypoints.grpc.registration import implemented_rpcs

SERVICE_NAME = "vigie.listener.v1.ListenerService"


class ListenerServicer(listener_pb2_grpc.ListenerServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow


def registration(servicer: ListenerServicer) -> ServiceRegistration:
    return implemented_rpcs(
        SERVICE_NAME,
        servicer,
        listener_pb2_grpc.ListenerServiceServicer,
        listener_pb2_grpc.add_ListenerServiceServicer_to_server,
    )
