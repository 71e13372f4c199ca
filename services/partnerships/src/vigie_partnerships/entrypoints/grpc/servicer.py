"""PartnershipsService over gRPC: request -> handler (which owns the transaction) -> response.

Methods not written yet answer UNIMPLEMENTED (the runtime maps the generated base's error).
"""

from collections.abc import Callable

from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import UnitOfWork

SERVICE_NAME = "vigie.partnerships.v1.PartnershipsService"


class PartnershipsServicer(partnerships_pb2_grpc.PartnershipsServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow


def registration(servicer: PartnershipsServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: partnerships_pb2_grpc.add_PartnershipsServiceServicer_to_server(
            servicer, server
        ),
    )
