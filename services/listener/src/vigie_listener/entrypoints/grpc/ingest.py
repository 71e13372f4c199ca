"""Partner push over gRPC: IngestMentions (client streaming)."""

from vigie_listener.entrypoints.grpc.base import ServicerBase


class IngestServicer(ServicerBase):
    pass
