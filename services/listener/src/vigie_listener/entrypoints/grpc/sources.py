"""Sources over gRPC: Create, Get, BatchGet, List, Update and Delete (with health)."""

from google.protobuf.empty_pb2 import Empty
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.principal import current_principal

from vigie_listener.app import sources, views
from vigie_listener.entrypoints.grpc.base import Context, ServicerBase


class SourcesServicer(ServicerBase):
    async def CreateSource(self, request: rpc.CreateSourceRequest, context: Context) -> pb.Source:
        who = current_principal()
        row = await self._write(
            lambda u: sources.create(u, who, request.parent, request.source, request.request_id)
        )
        return views.source(row)

    async def GetSource(self, request: rpc.GetSourceRequest, context: Context) -> pb.Source:
        who = current_principal()
        return views.source(await self._read(lambda u: sources.get(u, who, request.name)))

    async def ListSources(
        self, request: rpc.ListSourcesRequest, context: Context
    ) -> rpc.ListSourcesResponse:
        who = current_principal()
        listed = await self._read(lambda u: sources.list_(u, who, request))
        return rpc.ListSourcesResponse(
            sources=[views.source(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def BatchGetSources(
        self, request: rpc.BatchGetSourcesRequest, context: Context
    ) -> rpc.BatchGetSourcesResponse:
        who = current_principal()
        rows = await self._read(lambda u: sources.batch_get(u, who, request.parent, request.names))
        return rpc.BatchGetSourcesResponse(sources=[views.source(r) for r in rows])

    async def UpdateSource(self, request: rpc.UpdateSourceRequest, context: Context) -> pb.Source:
        who = current_principal()
        row = await self._write(
            lambda u: sources.update(u, who, request.source, request.update_mask)
        )
        return views.source(row)

    async def DeleteSource(self, request: rpc.DeleteSourceRequest, context: Context) -> Empty:
        who = current_principal()
        await self._write(lambda u: sources.delete(u, who, request.name, request.etag))
        return Empty()
