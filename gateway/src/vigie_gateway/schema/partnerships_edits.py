"""Changing and deleting the partnerships' creators and campaigns through GraphQL.
PartnershipsMutation inherits these fields."""

from datetime import datetime

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument

from vigie_gateway.context import Context
from vigie_gateway.errors import from_app_error
from vigie_gateway.schema.common import DeleteInput
from vigie_gateway.schema.partnerships_types import Campaign, Contract, Creator
from vigie_gateway.schema.payloads import payload_mutation

Info = strawberry.Info[Context, None]


@strawberry.input(description="A creator's account on one network.")
class CreatorAccountInput:
    network: str = strawberry.field(
        description='"bluesky", "mastodon", "x", "instagram", "tiktok", "youtube", ...'
    )
    handle: str = strawberry.field(description="The account's handle on its network.")
    network_id: str = strawberry.field(
        default="",
        description="The network's stable id (a DID on Bluesky); imports are idempotent on "
        "(network, network_id).",
    )
    followers_count: int = strawberry.field(default=0, description="Its followers.")
    following_count: int = strawberry.field(default=0, description="Accounts it follows.")
    posts_count: int = strawberry.field(default=0, description="Its posts.")


@strawberry.input(description="A creator to add by hand (an account already known is refused).")
class CreateCreatorInput:
    display_name: str = strawberry.field(description="Its name as people see it.")
    accounts: list[CreatorAccountInput] = strawberry.field(
        description="The creator's accounts on the networks."
    )
    languages: list[str] = strawberry.field(
        default_factory=list, description="BCP 47 language codes they publish in."
    )
    countries: list[str] = strawberry.field(
        default_factory=list, description="ISO 3166-1 alpha-2 countries of their audience."
    )
    topics: list[str] = strawberry.field(
        default_factory=list, description='Free topics, e.g. "coffee", "travel".'
    )
    request_id: str | None = strawberry.field(
        default=None,
        description="Makes retries idempotent: the same request_id returns the first result.",
    )


@strawberry.input(description="A campaign's fields to change; unset ones keep their value.")
class UpdateCampaignInput:
    id: strawberry.ID = strawberry.field(description="The campaign's global id.")
    etag: str = strawberry.field(
        default="", description="The etag it was read with; a stale one is a CONFLICT."
    )
    display_name: str | None = strawberry.field(
        default=None, description="Its name as people see it."
    )
    brief: str | None = strawberry.field(
        default=None, description="What the creators are asked to do."
    )
    start_time: datetime | None = strawberry.field(
        default=None, description="Start (inclusive, UTC)."
    )
    end_time: datetime | None = strawberry.field(default=None, description="End (exclusive, UTC).")
    budget_amount: str | None = strawberry.field(
        default=None, description="In the campaign's currency, which does not change."
    )


def _campaign_change(id: strawberry.ID, given: UpdateCampaignInput, etag: str) -> pb.Campaign:
    change = pb.Campaign(name=str(id), etag=etag, display_name=given.display_name or "")
    change.brief = given.brief or ""
    if given.start_time is not None:
        change.start_time.FromDatetime(given.start_time)
    if given.end_time is not None:
        change.end_time.FromDatetime(given.end_time)
    change.budget.amount = given.budget_amount or ""
    return change


_CAMPAIGN_FIELDS = {
    "display_name": "display_name", "brief": "brief", "start_time": "start_time",
    "end_time": "end_time", "budget_amount": "budget",
}  # fmt: skip


@strawberry.input(
    description="A proposed contract's fields to change; unset ones keep their value."
)
class UpdateContractInput:
    id: strawberry.ID = strawberry.field(description="The contract's global id.")
    etag: str = strawberry.field(
        default="", description="The etag it was read with; a stale one is a CONFLICT."
    )
    fee_amount: str | None = strawberry.field(
        default=None, description="In the campaign's currency."
    )
    payment_terms: str | None = strawberry.field(
        default=None, description='E.g. "50% at signature, 50% at 30 days after completion".'
    )


def _require_some(paths: list[str], *more: object) -> None:
    """An empty mask means every field to the service: refuse it here instead."""
    if not paths and all(m is None for m in more):
        raise from_app_error(InvalidArgument("input", "give at least one field to change"))


@strawberry.input(description="The creator to delete.")
class DeleteCreatorInput(DeleteInput):
    pass


@strawberry.input(description="The campaign to delete.")
class DeleteCampaignInput(DeleteInput):
    pass


@strawberry.type
class PartnershipsEditMutation:
    @payload_mutation(creator=Creator, description="Adds a creator by hand.")
    async def create_creator(self, info: Info, input: CreateCreatorInput) -> Creator:
        ctx = info.context
        creator = pb.Creator(
            display_name=input.display_name, languages=input.languages,
            countries=input.countries, topics=input.topics,
            accounts=[
                pb.CreatorAccount(
                    network=a.network, handle=a.handle, network_id=a.network_id,
                    followers_count=a.followers_count, following_count=a.following_count,
                    posts_count=a.posts_count,
                )
                for a in input.accounts
            ],
        )  # fmt: skip
        request = rpc.CreateCreatorRequest(
            parent=ctx.tenant_name, creator=creator, request_id=input.request_id or ""
        )
        return Creator.of(await ctx.call(ctx.clients.partnerships.CreateCreator, request))

    @payload_mutation(
        deleted_id=strawberry.ID, description="Deletes a creator who has no contract."
    )
    async def delete_creator(self, info: Info, input: DeleteCreatorInput) -> strawberry.ID:
        ctx = info.context
        request = rpc.DeleteCreatorRequest(name=str(input.id), etag=input.etag or "")
        await ctx.call(ctx.clients.partnerships.DeleteCreator, request)
        return input.id

    @payload_mutation(
        campaign=Campaign, description="Changes the fields of a campaign that are given."
    )
    async def update_campaign(self, info: Info, input: UpdateCampaignInput) -> Campaign:
        ctx = info.context
        id, etag = input.id, input.etag
        given = {k for k, v in vars(input).items() if v is not None and k in _CAMPAIGN_FIELDS}
        mask = FieldMask(paths=sorted(_CAMPAIGN_FIELDS[k] for k in given))
        _require_some(list(mask.paths))
        change = _campaign_change(id, input, etag)
        if "budget" in mask.paths:  # the service keeps the currency; it must be named
            current = await ctx.call(
                ctx.clients.partnerships.GetCampaign, rpc.GetCampaignRequest(name=str(id))
            )
            change.budget.currency_code = current.budget.currency_code
        request = rpc.UpdateCampaignRequest(campaign=change, update_mask=mask)
        return Campaign.of(await ctx.call(ctx.clients.partnerships.UpdateCampaign, request))

    @payload_mutation(
        deleted_id=strawberry.ID, description="Deletes a campaign nothing was signed in."
    )
    async def delete_campaign(self, info: Info, input: DeleteCampaignInput) -> strawberry.ID:
        ctx = info.context
        request = rpc.DeleteCampaignRequest(name=str(input.id), etag=input.etag or "")
        await ctx.call(ctx.clients.partnerships.DeleteCampaign, request)
        return input.id

    @payload_mutation(
        contract=Contract, description="Changes a contract while it is only proposed."
    )
    async def update_contract(self, info: Info, input: UpdateContractInput) -> Contract:
        ctx = info.context
        id, etag = input.id, input.etag
        change = pb.Contract(name=str(id), etag=etag, payment_terms=input.payment_terms or "")
        paths = ["payment_terms"] if input.payment_terms is not None else []
        _require_some(paths, input.fee_amount)
        if input.fee_amount is not None:
            current = await ctx.call(
                ctx.clients.partnerships.GetContract, rpc.GetContractRequest(name=str(id))
            )
            change.fee.CopyFrom(
                pb.Money(amount=input.fee_amount, currency_code=current.fee.currency_code)
            )
            paths.append("fee")
        request = rpc.UpdateContractRequest(contract=change, update_mask=FieldMask(paths=paths))
        return Contract.of(await ctx.call(ctx.clients.partnerships.UpdateContract, request))
