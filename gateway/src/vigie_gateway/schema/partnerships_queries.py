"""Reading the partnerships: creators and their search, vetting, campaigns, contracts, results."""

from enum import Enum
from typing import Annotated

import strawberry
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie_runtime.errors import InvalidArgument

from vigie_gateway.context import Context
from vigie_gateway.errors import from_app_error
from vigie_gateway.schema.common import (
    PLAIN_LIST_SIZE,
    After,
    Connection,
    First,
    NodeId,
    OrderDirection,
    connection,
    list_options,
    page_request,
    total,
)
from vigie_gateway.schema.partnerships_orders import DeliverableOrderBy
from vigie_gateway.schema.partnerships_reference import PartnershipsReferenceQuery
from vigie_gateway.schema.partnerships_tracking import PartnershipsTrackingQuery
from vigie_gateway.schema.partnerships_types import (
    Campaign,
    CampaignResults,
    Contract,
    Creator,
    Deliverable,
    Vetting,
)

Info = strawberry.Info[Context, None]


@strawberry.enum(description="What creators can be sorted by.")
class CreatorOrderField(Enum):
    FOLLOWERS = strawberry.enum_value("followers", description="Audience size.")
    ENGAGEMENT_RATE = strawberry.enum_value(
        "engagement_rate", description="Engagements per follower."
    )
    AUTHENTICITY = strawberry.enum_value("authenticity", description="Authenticity score.")
    OVERALL = strawberry.enum_value("overall", description="Overall vetting score.")


@strawberry.input(description="How to sort creators; the service sorts them best first only.")
class CreatorOrder:
    field: CreatorOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="DESC only: ASC is refused (INVALID_ARGUMENT)."
    )


def _order(order: CreatorOrder | None) -> str:
    if order is None:
        return ""
    if order.direction != OrderDirection.DESC:
        raise from_app_error(
            InvalidArgument("orderBy.direction", "creators are sorted best first (DESC) only")
        )
    return f"{order.field.value} desc"


@strawberry.input(description="Criteria that combine with AND; empty ones do not restrict.")
class CreatorFilter:
    query: str = strawberry.field(
        default="", description="Words in the display name, handles or topics."
    )
    topics: list[str] = strawberry.field(
        default_factory=list, description='Free topics, e.g. "coffee", "travel".'
    )
    languages: list[str] = strawberry.field(
        default_factory=list, description="BCP 47 language codes they publish in."
    )
    countries: list[str] = strawberry.field(
        default_factory=list, description="ISO 3166-1 alpha-2 countries of their audience."
    )
    networks: list[str] = strawberry.field(
        default_factory=list, description="Only creators on these networks."
    )
    min_followers: float = strawberry.field(
        default=0, description="Followers on at least one account, inclusive; 0 for no bound."
    )
    max_followers: float = strawberry.field(default=0, description="At most this many followers.")
    min_engagement_rate: float = strawberry.field(
        default=0, description="Engagement rate at least this (0.02 is 2 %); 0 for no bound."
    )
    min_authenticity: float = strawberry.field(
        default=0, description="Authenticity score at least this, in [0, 100]; 0 for no bound."
    )
    min_overall_score: float = strawberry.field(
        default=0, description="Overall vetting score at least this, in [0, 100]; 0 for no bound."
    )
    similar_to_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Creators similar to this one (resource name): shared topics, languages, "
        "countries and a close audience size, most similar first; other criteria still apply.",
    )


@strawberry.input(description="Which deliverables to list.")
class DeliverableFilter:
    contract_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this contract's (global id)."
    )
    campaign_id: strawberry.ID | None = strawberry.field(
        default=None, description="The campaign's global id."
    )


@strawberry.type
class PartnershipsQuery(PartnershipsReferenceQuery, PartnershipsTrackingQuery):
    @strawberry.field(description="One creator.")
    async def creator(self, info: Info, id: NodeId) -> Creator:
        ctx = info.context
        request = rpc.GetCreatorRequest(name=str(id))
        return Creator.of(await ctx.call(ctx.clients.partnerships.GetCreator, request))

    @strawberry.field(description="Creators matching the criteria, best first.")
    async def search_creators(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        filter: Annotated[
            CreatorFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: Annotated[
            CreatorOrder | None,
            strawberry.argument(description="The order; by followers, most first, when left out."),
        ] = None,
    ) -> Connection[Creator]:
        search = filter or CreatorFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.SearchCreatorsRequest(
            parent=ctx.tenant_name, page_size=page.size, page_token=page.token,
            query=search.query, topics=search.topics, languages=search.languages,
            countries=search.countries, networks=search.networks,
            min_followers=int(search.min_followers), max_followers=int(search.max_followers),
            min_engagement_rate=search.min_engagement_rate,
            min_authenticity=search.min_authenticity, min_overall_score=search.min_overall_score,
            order_by=_order(order_by), similar_to=str(search.similar_to_id or ""),
        )  # fmt: skip
        answer = await ctx.call(ctx.clients.partnerships.SearchCreators, request)
        return connection([Creator.of(c) for c in answer.creators], answer.next_page_token, page)

    @strawberry.field(description="A creator's vetting, for a brand when given.")
    async def vetting(
        self,
        info: Info,
        creator_id: Annotated[
            strawberry.ID, strawberry.argument(description="The creator's global id.")
        ],
        brand_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The brand's global id (`tenants/{t}/brands/{b}`)."),
        ] = None,
    ) -> Vetting:
        ctx = info.context
        request = rpc.GetVettingRequest(name=f"{creator_id}/vetting", brand=str(brand_id or ""))
        return Vetting.of(await ctx.call(ctx.clients.partnerships.GetVetting, request))

    @strawberry.field(description="One campaign.")
    async def campaign(self, info: Info, id: NodeId) -> Campaign:
        ctx = info.context
        request = rpc.GetCampaignRequest(name=str(id))
        return Campaign.of(await ctx.call(ctx.clients.partnerships.GetCampaign, request))

    @strawberry.field(
        description="A campaign's contracts with their deliverables (the first 1,000).",
        deprecation_reason="Use `Campaign.contracts`: paged, filtered, sorted and counted.",
    )
    async def contracts(
        self,
        info: Info,
        campaign_id: Annotated[
            strawberry.ID, strawberry.argument(description="The campaign's global id.")
        ],
    ) -> list[Contract]:
        ctx = info.context
        request = rpc.ListContractsRequest(parent=str(campaign_id), page_size=PLAIN_LIST_SIZE)
        answer = await ctx.call(ctx.clients.partnerships.ListContracts, request)
        return [Contract.of(c) for c in answer.contracts]

    @strawberry.field(description="One contract with its deliverables.")
    async def contract(self, info: Info, id: NodeId) -> Contract:
        ctx = info.context
        request = rpc.GetContractRequest(name=str(id))
        return Contract.of(await ctx.call(ctx.clients.partnerships.GetContract, request))

    @strawberry.field(description="What a campaign brought so far.")
    async def campaign_results(
        self,
        info: Info,
        campaign_id: Annotated[
            strawberry.ID, strawberry.argument(description="The campaign's global id.")
        ],
    ) -> CampaignResults:
        ctx = info.context
        request = rpc.GetCampaignResultsRequest(name=f"{campaign_id}/results")
        answer = await ctx.call(ctx.clients.partnerships.GetCampaignResults, request)
        return CampaignResults.of(answer)

    @strawberry.field(description="A contract's deliverables, or every one of a campaign's.")
    async def deliverables(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            DeliverableFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: DeliverableOrderBy = None,
    ) -> Connection[Deliverable]:
        given = filter or DeliverableFilter()
        ctx = info.context
        page = page_request(first, after)
        parent = str(given.contract_id) if given.contract_id else f"{given.campaign_id}/contracts/-"
        request = rpc.ListDeliverablesRequest(
            parent=parent,
            page_size=page.size,
            page_token=page.token,
            **list_options(info, order_by),
        )
        answer = await ctx.call(ctx.clients.partnerships.ListDeliverables, request)
        return connection(
            [Deliverable.of(d) for d in answer.deliverables],
            answer.next_page_token,
            page,
            total(info, answer),
        )
