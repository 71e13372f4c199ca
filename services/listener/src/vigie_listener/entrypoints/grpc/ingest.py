"""Partner push over gRPC: IngestMentions (client streaming)."""

from collections.abc import AsyncIterator

from vigie.listener.v1 import listener_pb2 as rpc
from vigie_runtime.principal import current_principal

from vigie_listener.entrypoints.grpc.base import Context, ServicerBase


class IngestServicer(ServicerBase):
    async def IngestMentions(
        self, request_iterator: AsyncIterator[rpc.IngestMentionsRequest], context: Context
    ) -> rpc.IngestMentionsResponse:
        outcome = await self._ingest.run(current_principal(), request_iterator)
        return rpc.IngestMentionsResponse(
            accepted_count=outcome.accepted,
            duplicate_count=outcome.duplicates,
            refused_count=outcome.refused,
            refusals=[
                rpc.IngestRefusal(external_id=external_id, reason=reason, message=message)
                for external_id, reason, message in outcome.refusals
            ],
        )
