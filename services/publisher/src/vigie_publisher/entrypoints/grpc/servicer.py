"""PublisherService over gRPC: request -> handler (which owns the transaction) -> response.

Methods not written yet answer UNIMPLEMENTED (the runtime maps the generated base's error).
"""

from collections.abc import Callable

from vigie.publisher.v1 import publisher_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import UnitOfWork

SERVICE_NAME = "vigie.publisher.v1.PublisherService"


class PublisherServicer(publisher_pb2_grpc.PublisherServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow


def registration(servicer: PublisherServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: publisher_pb2_grpc.add_PublisherServiceServicer_to_server(servicer, server),
    )
