"""PartnershipsService over gRPC: request -> handler (which owns the transaction) -> response.

No RPC is built yet; those not overridden here answer UNIMPLEMENTED (see `registration`).
"""

from collections.abc import Callable

from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.entrypoints.grpc.registration import implemented_rpcs

SERVICE_NAME = "vigie.partnerships.v1.PartnershipsService"


class PartnershipsServicer(partnerships_pb2_grpc.PartnershipsServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow


def registration(servicer: PartnershipsServicer) -> ServiceRegistration:
    return implemented_rpcs(
        SERVICE_NAME,
        servicer,
        partnerships_pb2_grpc.PartnershipsServiceServicer,
        partnerships_pb2_grpc.add_PartnershipsServiceServicer_to_server,
    )
