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
from vigie_gateway.schema.payloads import payload_mutation

Info = strawberry.Info[Context, None]


def _stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


@strawberry.input(description='An amount as a decimal string, e.g. "1250.00", and its currency.')
class MoneyInput:
    amount: str = strawberry.field(
        description='A decimal string with at most the currency\'s minor units, e.g. "1250.00".'
    )
    currency_code: str = strawberry.field(description='ISO 4217, e.g. "EUR".')


def _money(money: MoneyInput) -> pb.Money:
    return pb.Money(amount=money.amount, currency_code=money.currency_code)


@strawberry.input(description="A campaign to create.")
class CreateCampaignInput:
    display_name: str = strawberry.field(description="Its name as people see it.")
    brand_ids: list[strawberry.ID] = strawberry.field(description="Brands (resource names).")
    start_time: datetime = strawberry.field(description="Start (inclusive, UTC).")
    end_time: datetime = strawberry.field(description="End (exclusive, UTC).")
    budget: MoneyInput = strawberry.field(description="What the campaign may spend.")
    brief: str = strawberry.field(default="", description="What the creators are asked to do.")
    request_id: str | None = strawberry.field(
        default=None,
        description="Makes retries safe: the same id returns what the first request made.",
    )


@strawberry.input(description="A post (or more) a creator owes.")
class DeliverableInput:
    network: str = strawberry.field(description="Same values as CreatorAccount.network.")
    count: int = strawberry.field(description="How many posts are owed.")
    due_time: datetime = strawberry.field(description="When it must be posted by (UTC).")
    required_hashtags: list[str] = strawberry.field(
        default_factory=list, description="Without '#'."
    )
    required_mentions: list[str] = strawberry.field(
        default_factory=list, description="Handles the post must mention."
    )
    required_codes: list[str] = strawberry.field(
        default_factory=list, description="Tracking codes the post must show."
    )
    disclosure: str = strawberry.field(
        default="",
        description='The disclosure the post must carry, e.g. "#ad" or "#sponsorisé"; empty when '
        "none is needed.",
    )


@strawberry.input(description="A contract to propose to a creator.")
class CreateContractInput:
    campaign_id: strawberry.ID = strawberry.field(description="The campaign's global id.")
    creator_id: strawberry.ID = strawberry.field(
        description="A global id: tenants/{tenant}/creators/{creator}."
    )
    fee: MoneyInput = strawberry.field(description="What the creator is paid.")
    deliverables: list[DeliverableInput] = strawberry.field(
        description="What the creator must post."
    )
    payment_terms: str = strawberry.field(
        default="", description='E.g. "50% at signature, 50% at 30 days after completion".'
    )
    request_id: str | None = strawberry.field(
        default=None,
        description="Makes retries safe: the same id returns what the first request made.",
    )


@strawberry.input(description="What `signContract` needs.")
class SignContractInput:
    id: strawberry.ID = strawberry.field(description="The object's global id.")
    etag: str = strawberry.field(
        default="", description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )


@strawberry.input(description="What `cancelContract` needs.")
class CancelContractInput:
    id: strawberry.ID = strawberry.field(description="The object's global id.")
    reason: str = strawberry.field(description="Why, for people.")
    etag: str = strawberry.field(
        default="", description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )


@strawberry.type
class PartnershipsMutation(
    PartnershipsEditMutation, PartnershipsReferenceMutation, PartnershipsTrackingMutation
):
    @payload_mutation(campaign=Campaign, description="Creates a campaign.")
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

    @payload_mutation(contract=Contract, description="Proposes a contract to a creator.")
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

    @payload_mutation(contract=Contract, description="Records that a contract was signed.")
    async def sign_contract(self, info: Info, input: SignContractInput) -> Contract:
        ctx = info.context
        request = rpc.SignContractRequest(name=str(input.id), etag=input.etag or "")
        return Contract.of(await ctx.call(ctx.clients.partnerships.SignContract, request))

    @payload_mutation(contract=Contract, description="Cancels a contract, with the reason.")
    async def cancel_contract(self, info: Info, input: CancelContractInput) -> Contract:
        ctx = info.context
        request = rpc.CancelContractRequest(
            name=str(input.id), etag=input.etag, reason=input.reason
        )
        return Contract.of(await ctx.call(ctx.clients.partnerships.CancelContract, request))
