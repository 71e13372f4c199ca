"""ListenerService over gRPC: request -> handler (which owns the transaction) -> response.

Methods not written yet answer UNIMPLEMENTED (the runtime maps the generated base's error).
"""

from vigie.listener.v1 import listener_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration

from vigie_listener.entrypoints.grpc.engagement import EngagementServicer
from vigie_listener.entrypoints.grpc.ingest import IngestServicer
from vigie_listener.entrypoints.grpc.mentions import MentionsServicer
from vigie_listener.entrypoints.grpc.queries import QueriesServicer
from vigie_listener.entrypoints.grpc.sources import SourcesServicer

SERVICE_NAME = "vigie.listener.v1.ListenerService"


class ListenerServicer(
    QueriesServicer, MentionsServicer, IngestServicer, SourcesServicer, EngagementServicer
):
    pass


def registration(servicer: ListenerServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: listener_pb2_grpc.add_ListenerServiceServicer_to_server(servicer, server),
    )
