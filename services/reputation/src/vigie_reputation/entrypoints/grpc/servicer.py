"""ReputationService over gRPC: request -> handler (which owns the transaction) -> response.

Methods not written yet answer UNIMPLEMENTED (the runtime maps the generated base's error).
"""

from collections.abc import Callable

from vigie.reputation.v1 import reputation_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import UnitOfWork

SERVICE_NAME = "vigie.reputation.v1.ReputationService"


class ReputationServicer(reputation_pb2_grpc.ReputationServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow


def registration(servicer: ReputationServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: reputation_pb2_grpc.add_ReputationServiceServicer_to_server(
            servicer, server
        ),
    )
