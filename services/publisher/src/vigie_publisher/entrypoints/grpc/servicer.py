"""PublisherService over gRPC: request -> handler (which owns the transaction) -> response.

No RPC is built yet; those not overridden here answer UNIMPLEMENTED (see `registration`).
"""

from collections.abc import Callable

from vigie.publisher.v1 import publisher_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.entrypoints.grpc.registration import implemented_rpcs

SERVICE_NAME = "vigie.publisher.v1.PublisherService"


class PublisherServicer(publisher_pb2_grpc.PublisherServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow


def registration(servicer: PublisherServicer) -> ServiceRegistration:
    return implemented_rpcs(
        SERVICE_NAME,
        servicer,
        publisher_pb2_grpc.PublisherServiceServicer,
        publisher_pb2_grpc.add_PublisherServiceServicer_to_server,
    )
