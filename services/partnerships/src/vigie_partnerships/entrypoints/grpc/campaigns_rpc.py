"""Campaigns and contracts over gRPC."""

from datetime import UTC

from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.principal import current_principal

from vigie_partnerships.app import campaigns, contracts, results_updates
from vigie_partnerships.app.campaign_views import campaign
from vigie_partnerships.entrypoints.grpc.base import Base, Context


class CampaignMethods(Base):
    async def CreateCampaign(
        self, request: rpc.CreateCampaignRequest, context: Context
    ) -> pb.Campaign:
        who = current_principal()
        row = await self._write(
            lambda u: campaigns.create(u, who, request.parent, request.campaign, request.request_id)
        )
        return campaign(row)

    async def GetCampaign(self, request: rpc.GetCampaignRequest, context: Context) -> pb.Campaign:
        who = current_principal()
        return campaign(await self._read(lambda u: campaigns.get(u, who, request.name)))

    async def ListCampaigns(
        self, request: rpc.ListCampaignsRequest, context: Context
    ) -> rpc.ListCampaignsResponse:
        who = current_principal()
        rows, token = await self._read(
            lambda u: campaigns.list_(
                u, who, request.parent, request.page_size, request.page_token, request.brand
            )
        )
        return rpc.ListCampaignsResponse(
            campaigns=[campaign(r) for r in rows], next_page_token=token
        )

    async def CreateContract(
        self, request: rpc.CreateContractRequest, context: Context
    ) -> pb.Contract:
        who = current_principal()
        result = await self._write(
            lambda u: contracts.create(u, who, request.parent, request.contract, request.request_id)
        )
        return result.view()

    async def GetContract(self, request: rpc.GetContractRequest, context: Context) -> pb.Contract:
        who = current_principal()
        return (await self._read(lambda u: contracts.get(u, who, request.name))).view()

    async def ListContracts(
        self, request: rpc.ListContractsRequest, context: Context
    ) -> rpc.ListContractsResponse:
        who = current_principal()
        asked = (request.parent, request.statuses, request.creator, request)
        listed = await self._read(lambda u: contracts.list_(u, who, *asked))
        return rpc.ListContractsResponse(
            contracts=[f.view() for f in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def SignContract(self, request: rpc.SignContractRequest, context: Context) -> pb.Contract:
        who = current_principal()
        signed = request.sign_time.ToDatetime(tzinfo=UTC) if request.HasField("sign_time") else None
        result = await self._write(
            lambda u: contracts.sign(u, who, request.name, request.etag, signed)
        )
        return result.view()

    async def CancelContract(
        self, request: rpc.CancelContractRequest, context: Context
    ) -> pb.Contract:
        who = current_principal()
        result = await self._write(
            lambda u: contracts.cancel(u, who, request.name, request.etag, request.reason)
        )
        return result.view()

    async def GetCampaignResults(
        self, request: rpc.GetCampaignResultsRequest, context: Context
    ) -> pb.CampaignResults:
        who = current_principal()
        # A write: computing the results announces them through the outbox.
        return await self._write(
            lambda u: results_updates.compute_and_announce(u, who, request.name, self._emv)
        )
