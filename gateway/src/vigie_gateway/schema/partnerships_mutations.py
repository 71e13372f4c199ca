"""Changing the partnerships: campaigns, contracts and their lifecycle."""

from datetime import datetime

import strawberry
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.partnerships_edits import PartnershipsEditMutation
from vigie_gateway.schema.partnerships_reference import PartnershipsReferenceMutation
from vigie_gateway.schema.partnerships_tracking import PartnershipsTrackingMutation
from vigie_gateway.schema.partnerships_types import Campaign, Contract

Info = strawberry.Info[Context, None]


def _stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


@strawberry.input(description='An amount as a decimal string, e.g. "1250.00", and its currency.')
class MoneyInput:
    amount: str
    currency_code: str


def _money(money: MoneyInput) -> pb.Money:
    return pb.Money(amount=money.amount, currency_code=money.currency_code)


@strawberry.input(description="A campaign to create.")
class CreateCampaignInput:
    display_name: str
    brand_ids: list[strawberry.ID]
    start_time: datetime
    end_time: datetime
    budget: MoneyInput
    brief: str = ""
    request_id: str | None = None


@strawberry.input(description="A post (or more) a creator owes.")
class DeliverableInput:
    network: str
    count: int
    due_time: datetime
    required_hashtags: list[str] = strawberry.field(default_factory=list)
    required_mentions: list[str] = strawberry.field(default_factory=list)
    required_codes: list[str] = strawberry.field(default_factory=list)
    disclosure: str = ""


@strawberry.input(description="A contract to propose to a creator.")
class CreateContractInput:
    campaign_id: strawberry.ID
    creator_id: strawberry.ID
    fee: MoneyInput
    deliverables: list[DeliverableInput]
    payment_terms: str = ""
    request_id: str | None = None


@strawberry.type
class PartnershipsMutation(
    PartnershipsEditMutation, PartnershipsReferenceMutation, PartnershipsTrackingMutation
):
    @strawberry.mutation(description="Creates a campaign.")
    async def create_campaign(self, info: Info, input: CreateCampaignInput) -> Campaign:
        ctx = info.context
        request = rpc.CreateCampaignRequest(
            parent=ctx.tenant_name,
            campaign=pb.Campaign(
                display_name=input.display_name, brief=input.brief,
                brands=[str(b) for b in input.brand_ids], start_time=_stamp(input.start_time),
                end_time=_stamp(input.end_time),
                budget=_money(input.budget),
            ),
            request_id=input.request_id or "",
        )  # fmt: skip
        return Campaign.of(await ctx.call(ctx.clients.partnerships.CreateCampaign, request))

    @strawberry.mutation(description="Proposes a contract to a creator.")
    async def create_contract(self, info: Info, input: CreateContractInput) -> Contract:
        ctx = info.context
        request = rpc.CreateContractRequest(
            parent=str(input.campaign_id),
            contract=pb.Contract(
                creator=str(input.creator_id), payment_terms=input.payment_terms,
                fee=_money(input.fee),
                deliverables=[
                    pb.Deliverable(
                        network=d.network, kind=pb.DELIVERABLE_KIND_POST, count=d.count,
                        due_time=_stamp(d.due_time), required_hashtags=d.required_hashtags,
                        required_mentions=d.required_mentions, required_codes=d.required_codes,
                        disclosure=d.disclosure,
                    )
                    for d in input.deliverables
                ],
            ),
            request_id=input.request_id or "",
        )  # fmt: skip
        return Contract.of(await ctx.call(ctx.clients.partnerships.CreateContract, request))

    @strawberry.mutation(description="Records that a contract was signed.")
    async def sign_contract(self, info: Info, id: strawberry.ID, etag: str = "") -> Contract:
        ctx = info.context
        request = rpc.SignContractRequest(name=str(id), etag=etag)
        return Contract.of(await ctx.call(ctx.clients.partnerships.SignContract, request))

    @strawberry.mutation(description="Cancels a contract, with the reason.")
    async def cancel_contract(
        self, info: Info, id: strawberry.ID, reason: str, etag: str = ""
    ) -> Contract:
        ctx = info.context
        request = rpc.CancelContractRequest(name=str(id), etag=etag, reason=reason)
        return Contract.of(await ctx.call(ctx.clients.partnerships.CancelContract, request))
