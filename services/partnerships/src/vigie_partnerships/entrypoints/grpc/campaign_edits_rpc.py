"""Campaigns and contracts read in batches, changed and deleted, and deliverables listed, over
gRPC."""

from google.protobuf.empty_pb2 import Empty
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.principal import current_principal

from vigie_partnerships.app import campaign_edits, contract_edits, single_reads
from vigie_partnerships.app.campaign_views import campaign
from vigie_partnerships.app.contract_views import deliverable
from vigie_partnerships.entrypoints.grpc.base import Base, Context


class CampaignEditMethods(Base):
    async def BatchGetCampaigns(
        self, request: rpc.BatchGetCampaignsRequest, context: Context
    ) -> rpc.BatchGetCampaignsResponse:
        who = current_principal()
        rows = await self._read(
            lambda u: campaign_edits.batch_get(u, who, request.parent, request.names)
        )
        return rpc.BatchGetCampaignsResponse(campaigns=[campaign(r) for r in rows])

    async def UpdateCampaign(
        self, request: rpc.UpdateCampaignRequest, context: Context
    ) -> pb.Campaign:
        who = current_principal()
        row = await self._write(
            lambda u: campaign_edits.update(u, who, request.campaign, request.update_mask)
        )
        return campaign(row)

    async def DeleteCampaign(self, request: rpc.DeleteCampaignRequest, context: Context) -> Empty:
        who = current_principal()
        await self._write(
            lambda u: campaign_edits.delete_campaign(u, who, request.name, request.etag)
        )
        return Empty()

    async def BatchGetContracts(
        self, request: rpc.BatchGetContractsRequest, context: Context
    ) -> rpc.BatchGetContractsResponse:
        who = current_principal()
        found = await self._read(
            lambda u: contract_edits.batch_get(u, who, request.parent, request.names)
        )
        return rpc.BatchGetContractsResponse(contracts=[f.view() for f in found])

    async def UpdateContract(
        self, request: rpc.UpdateContractRequest, context: Context
    ) -> pb.Contract:
        who = current_principal()
        found = await self._write(
            lambda u: contract_edits.update(u, who, request.contract, request.update_mask)
        )
        return found.view()

    async def GetDeliverable(
        self, request: rpc.GetDeliverableRequest, context: Context
    ) -> pb.Deliverable:
        who = current_principal()
        return deliverable(
            await self._read(lambda u: single_reads.get_deliverable(u, who, request.name))
        )

    async def ListDeliverables(
        self, request: rpc.ListDeliverablesRequest, context: Context
    ) -> rpc.ListDeliverablesResponse:
        who = current_principal()
        listed = await self._read(
            lambda u: contract_edits.list_deliverables(
                u, who, request.parent, request.statuses, request
            )
        )
        return rpc.ListDeliverablesResponse(
            deliverables=[deliverable(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )
