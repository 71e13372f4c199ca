"""Creators, their vetting and their search, over gRPC."""

from google.protobuf.empty_pb2 import Empty
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.principal import current_principal

from vigie_partnerships.app import creator_edits, creators, search, vetting, views
from vigie_partnerships.app.creator_store import Outcome
from vigie_partnerships.entrypoints.grpc.base import Base, Context


class CreatorMethods(Base):
    async def ImportCreators(
        self, request: rpc.ImportCreatorsRequest, context: Context
    ) -> rpc.ImportCreatorsResponse:
        who = current_principal()
        report = await self._write(
            lambda u: creators.import_creators(
                u, who, request.parent, request.creators, request.csv
            )
        )
        return rpc.ImportCreatorsResponse(
            created_count=report.counts[Outcome.CREATED],
            updated_count=report.counts[Outcome.UPDATED],
            unchanged_count=report.counts[Outcome.UNCHANGED],
            refusals=[
                rpc.ImportRefusal(index=i, reason=r, message=m) for i, r, m in report.refusals
            ],
            creators=[views.creator(c, a) for c, a in report.creators],
        )

    async def GetCreator(self, request: rpc.GetCreatorRequest, context: Context) -> pb.Creator:
        who = current_principal()
        return views.creator(*await self._read(lambda u: creators.get(u, who, request.name)))

    async def ListCreators(
        self, request: rpc.ListCreatorsRequest, context: Context
    ) -> rpc.ListCreatorsResponse:
        who = current_principal()
        rows, token = await self._read(
            lambda u: creators.list_(u, who, request.parent, request.page_size, request.page_token)
        )
        return rpc.ListCreatorsResponse(
            creators=[views.creator(c, a) for c, a in rows], next_page_token=token
        )

    async def BatchGetCreators(
        self, request: rpc.BatchGetCreatorsRequest, context: Context
    ) -> rpc.BatchGetCreatorsResponse:
        who = current_principal()
        rows = await self._read(lambda u: creators.batch_get(u, who, request.parent, request.names))
        return rpc.BatchGetCreatorsResponse(creators=[views.creator(c, a) for c, a in rows])

    async def ListCreatorSnapshots(
        self, request: rpc.ListCreatorSnapshotsRequest, context: Context
    ) -> rpc.ListCreatorSnapshotsResponse:
        who = current_principal()
        rows, token = await self._read(
            lambda u: creators.snapshots(
                u, who, request.parent, request.page_size, request.page_token
            )
        )
        return rpc.ListCreatorSnapshotsResponse(
            snapshots=[views.snapshot(r) for r in rows], next_page_token=token
        )

    async def GetVetting(self, request: rpc.GetVettingRequest, context: Context) -> pb.Vetting:
        who = current_principal()
        result = await self._read(
            lambda u: vetting.get_vetting(u, who, request.name, request.brand)
        )
        return views.vetting(result)

    async def SearchCreators(
        self, request: rpc.SearchCreatorsRequest, context: Context
    ) -> rpc.SearchCreatorsResponse:
        who = current_principal()
        rows, token = await self._read(lambda u: search.search(u, who, request))
        return rpc.SearchCreatorsResponse(
            creators=[views.creator(c, a) for c, a in rows], next_page_token=token
        )

    async def CreateCreator(
        self, request: rpc.CreateCreatorRequest, context: Context
    ) -> pb.Creator:
        who = current_principal()
        made = await self._write(
            lambda u: creator_edits.create(
                u, who, request.parent, request.creator, request.request_id
            )
        )
        return views.creator(*made)

    async def UpdateCreator(
        self, request: rpc.UpdateCreatorRequest, context: Context
    ) -> pb.Creator:
        who = current_principal()
        changed = await self._write(
            lambda u: creator_edits.update(u, who, request.creator, request.update_mask)
        )
        return views.creator(*changed)

    async def DeleteCreator(self, request: rpc.DeleteCreatorRequest, context: Context) -> Empty:
        who = current_principal()
        await self._write(
            lambda u: creator_edits.delete_creator(u, who, request.name, request.etag)
        )
        return Empty()
