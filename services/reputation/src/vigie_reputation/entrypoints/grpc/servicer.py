"""ReputationService over gRPC: request -> handler (which owns the transaction) -> response.

No RPC is built yet; those not overridden here answer UNIMPLEMENTED (see `registration`).
"""

from collections.abc import Callable

from vigie.reputation.v1 import reputation_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.entrypoints.grpc.registration import implemented_rpcs

SERVICE_NAME = "vigie.reputation.v1.ReputationService"


class ReputationServicer(reputation_pb2_grpc.ReputationServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow


def registration(servicer: ReputationServicer) -> ServiceRegistration:
    return implemented_rpcs(
        SERVICE_NAME,
        servicer,
        reputation_pb2_grpc.ReputationServiceServicer,
        reputation_pb2_grpc.add_ReputationServiceServicer_to_server,
    )
