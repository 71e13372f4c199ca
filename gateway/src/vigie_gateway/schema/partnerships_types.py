"""The partnerships' objects as front-end teams see them: creators and their explained vetting,
campaigns, contracts with deliverables, and results. Money is a decimal string with a currency."""

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import (
    After,
    Connection,
    First,
    Node,
    list_options,
    listed,
    moment,
    page_request,
    wire,
)
from vigie_gateway.schema.directory_types import Brand, load_brands
from vigie_gateway.schema.partnerships_orders import ContractOrderBy

Info = strawberry.Info[Context, None]


@strawberry.enum(description="Where a contract is in its life.")
class ContractStatus(Enum):
    PROPOSED = strawberry.enum_value(
        pb.CONTRACT_STATUS_PROPOSED, description="Proposed; may still change."
    )
    SIGNED = strawberry.enum_value(
        pb.CONTRACT_STATUS_SIGNED, description="Signed: deliverables are tracked."
    )
    ACTIVE = strawberry.enum_value(
        pb.CONTRACT_STATUS_ACTIVE, description="Signed and within the campaign's dates."
    )
    COMPLETED = strawberry.enum_value(
        pb.CONTRACT_STATUS_COMPLETED, description="Every deliverable fulfilled or missed."
    )
    CANCELLED = strawberry.enum_value(
        pb.CONTRACT_STATUS_CANCELLED, description="Cancelled, with its reason."
    )


@strawberry.enum(description="Whether a deliverable was delivered.")
class DeliverableStatus(Enum):
    PENDING = strawberry.enum_value(pb.DELIVERABLE_STATUS_PENDING, description="Not posted yet.")
    FULFILLED = strawberry.enum_value(
        pb.DELIVERABLE_STATUS_FULFILLED,
        description="Enough matching posts were seen before the due time.",
    )
    MISSED = strawberry.enum_value(
        pb.DELIVERABLE_STATUS_MISSED, description="The due time passed without them."
    )


@strawberry.type(description="An amount: a decimal string (never a float) and its currency.")
class Money:
    amount: str = strawberry.field(
        description='A decimal string with at most the currency\'s minor units, e.g. "1250.00".'
    )
    currency_code: str = strawberry.field(description='ISO 4217, e.g. "EUR".')

    @classmethod
    def of(cls, m: pb.Money) -> "Money":
        return cls(amount=m.amount, currency_code=m.currency_code)


@strawberry.type(description="A creator's account on one network.")
class CreatorAccount:
    network: str = strawberry.field(
        description='"bluesky", "mastodon", "x", "instagram", "tiktok", "youtube", ...'
    )
    handle: str = strawberry.field(description="The account's handle on its network.")
    network_id: str = strawberry.field(
        description="The network's stable id (a DID on Bluesky); imports are idempotent on "
        "(network, network_id)."
    )
    followers_count: float = strawberry.field(description="Its followers.")
    following_count: float = strawberry.field(description="Accounts it follows.")
    posts_count: float = strawberry.field(description="Its posts.")


@strawberry.type(description="A creator (influencer).")
class Creator(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/creators/{creator}."
    )
    display_name: str = strawberry.field(description="Its name as people see it.")
    accounts: list[CreatorAccount] = strawberry.field(
        description="The creator's accounts on the networks."
    )
    languages: list[str] = strawberry.field(description="BCP 47 language codes they publish in.")
    countries: list[str] = strawberry.field(
        description="ISO 3166-1 alpha-2 countries of their audience."
    )
    topics: list[str] = strawberry.field(description='Free topics, e.g. "coffee", "travel".')

    @classmethod
    def of(cls, c: pb.Creator) -> "Creator":
        return cls(
            id=strawberry.ID(c.name), display_name=c.display_name,
            accounts=[
                CreatorAccount(
                    network=a.network, handle=a.handle, network_id=a.network_id,
                    followers_count=a.followers_count, following_count=a.following_count,
                    posts_count=a.posts_count,
                )
                for a in c.accounts
            ],
            languages=list(c.languages), countries=list(c.countries), topics=list(c.topics),
        )  # fmt: skip


@strawberry.type(description="One figure a score was computed from.")
class VettingInput:
    name: str = strawberry.field(description='E.g. "engagement_rate", "follower_growth_30d".')
    value: str = strawberry.field(description='As a decimal string, e.g. "0.034".')


@strawberry.type(description="A score from 0 to 100, its inputs and its reasons.")
class VettingScore:
    score: float = strawberry.field(description="The score.")
    inputs: list[VettingInput] = strawberry.field(description="What the score was computed from.")
    reasons: list[str] = strawberry.field(description="Sentences for people, most important first.")

    @classmethod
    def of(cls, s: pb.VettingScore) -> "VettingScore":
        inputs = [VettingInput(name=i.name, value=i.value) for i in s.inputs]
        return cls(score=s.score, inputs=inputs, reasons=list(s.reasons))


@strawberry.type(description="Whether a creator is worth working with, explained.")
class Vetting:
    engagement: VettingScore = strawberry.field(
        description="How engaged the creator's audience is."
    )
    authenticity: VettingScore = strawberry.field(description="How genuine the audience looks.")
    brand_safety: VettingScore = strawberry.field(
        description="How safe the creator's texts are for the brand."
    )
    overall: VettingScore = strawberry.field(description="The scores together.")

    @classmethod
    def of(cls, v: pb.Vetting) -> "Vetting":
        return cls(
            engagement=VettingScore.of(v.engagement), authenticity=VettingScore.of(v.authenticity),
            brand_safety=VettingScore.of(v.brand_safety), overall=VettingScore.of(v.overall),
        )  # fmt: skip


@strawberry.input(description="Which of a campaign's contracts to list.")
class ContractFilter:
    statuses: list[ContractStatus] | None = strawberry.field(
        default=None, description="Only these statuses; all when left out."
    )
    creator_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this creator's contract (global id)."
    )


@strawberry.type(description="A campaign: brief, brands, dates, budget.")
class Campaign(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/campaigns/{campaign}."
    )
    display_name: str = strawberry.field(description="Its name as people see it.")
    brief: str = strawberry.field(description="What the creators are asked to do.")
    brand_ids: list[strawberry.ID] = strawberry.field(description="Brands (resource names).")
    start_time: datetime = strawberry.field(description="Start (inclusive, UTC).")
    end_time: datetime = strawberry.field(description="End (exclusive, UTC).")
    budget: Money = strawberry.field(description="What the campaign may spend.")

    @strawberry.field(description="The brands it promotes (one directory call per response).")
    async def brands(self, info: Info) -> list[Brand]:
        return await load_brands(info.context, [str(b) for b in self.brand_ids])

    @strawberry.field(
        description="Its contracts with their deliverables, one page at a time (one "
        "ListContracts per campaign that asks)."
    )
    async def contracts(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            ContractFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: ContractOrderBy = None,
    ) -> Connection["Contract"]:
        given = filter or ContractFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListContractsRequest(
            parent=str(self.id), page_size=page.size, page_token=page.token,
            statuses=[wire(s) for s in given.statuses or []],
            creator=str(given.creator_id or ""), **list_options(info, order_by),
        )  # fmt: skip
        return await listed(
            info, ctx.clients.partnerships.ListContracts, request, page,
            lambda found: [Contract.of(c) for c in found.contracts],
        )  # fmt: skip

    @classmethod
    def of(cls, c: pb.Campaign) -> "Campaign":
        return cls(
            id=strawberry.ID(c.name), display_name=c.display_name, brief=c.brief,
            brand_ids=[strawberry.ID(b) for b in c.brands], start_time=moment(c.start_time),
            end_time=moment(c.end_time), budget=Money.of(c.budget),
        )  # fmt: skip


@strawberry.type(description="What a creator owes, and whether it was seen.")
class Deliverable(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: "
        "tenants/{tenant}/campaigns/{campaign}/contracts/{contract}/deliverables/{deliverable}."
    )
    network: str = strawberry.field(description="Same values as CreatorAccount.network.")
    count: int = strawberry.field(description="How many posts are owed.")
    due_time: datetime = strawberry.field(description="When it must be posted by (UTC).")
    required_hashtags: list[str] = strawberry.field(description="Without '#'.")
    disclosure: str = strawberry.field(
        description='The disclosure the post must carry, e.g. "#ad" or "#sponsorisé"; empty when '
        "none is needed."
    )
    status: DeliverableStatus = strawberry.field(description="Output only.")
    fulfilled_count: int = strawberry.field(description="Output only: posts counted so far.")
    matched_mention_ids: list[strawberry.ID] = strawberry.field(
        description="Output only: the listener's mentions that counted (resource names)."
    )
    disclosure_missing: bool = strawberry.field(
        description="Output only: a matching post lacked the required disclosure (it did not "
        "count)."
    )

    @classmethod
    def of(cls, d: pb.Deliverable) -> "Deliverable":
        return cls(
            id=strawberry.ID(d.name), network=d.network, count=d.count,
            due_time=moment(d.due_time), required_hashtags=list(d.required_hashtags),
            disclosure=d.disclosure, status=DeliverableStatus(d.status),
            fulfilled_count=d.fulfilled_count,
            matched_mention_ids=[strawberry.ID(m) for m in d.matched_mentions],
            disclosure_missing=d.disclosure_missing,
        )  # fmt: skip


@strawberry.type(description="An agreement with a creator inside a campaign.")
class Contract(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/campaigns/{campaign}/contracts/{contract}."
    )
    creator_id: strawberry.ID = strawberry.field(
        description="A global id: tenants/{tenant}/creators/{creator}."
    )
    fee: Money = strawberry.field(description="What the creator is paid.")
    payment_terms: str = strawberry.field(
        description='E.g. "50% at signature, 50% at 30 days after completion".'
    )
    status: ContractStatus = strawberry.field(
        description="Output only: changed by SignContract, CancelContract and the deliverables."
    )
    deliverables: list[Deliverable] = strawberry.field(description="What the creator must post.")
    etag: str = strawberry.field(
        description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )

    @strawberry.field(description="The creator (one BatchGetCreators per response).")
    async def creator(self, info: Info) -> Creator:
        return (await load_creators(info.context, [str(self.creator_id)]))[0]

    @strawberry.field(description="Its campaign (one BatchGetCampaigns per response).")
    async def campaign(self, info: Info) -> Campaign:
        campaign_id = str(self.id).split("/contracts/")[0]
        return (await load_campaigns(info.context, [campaign_id]))[0]

    @classmethod
    def of(cls, c: pb.Contract) -> "Contract":
        return cls(
            id=strawberry.ID(c.name), creator_id=strawberry.ID(c.creator), fee=Money.of(c.fee),
            etag=c.etag,
            payment_terms=c.payment_terms, status=ContractStatus(c.status),
            deliverables=[Deliverable.of(d) for d in c.deliverables],
        )  # fmt: skip


async def load_creators(context: Context, names: list[str]) -> list[Creator]:
    """One BatchGet for every creator a response nests (no N+1)."""

    async def batch(keys: list[str]) -> list[Creator]:
        response = await context.call(
            context.clients.partnerships.BatchGetCreators,
            rpc.BatchGetCreatorsRequest(parent=context.tenant_name, names=keys),
        )
        return [Creator.of(c) for c in response.creators]

    return list(await context.loader("partnerships.creators", batch).load_many(names))


async def load_campaigns(context: Context, names: list[str]) -> list[Campaign]:
    """One BatchGet for every campaign a response nests (no N+1)."""

    async def batch(keys: list[str]) -> list[Campaign]:
        response = await context.call(
            context.clients.partnerships.BatchGetCampaigns,
            rpc.BatchGetCampaignsRequest(parent=context.tenant_name, names=keys),
        )
        return [Campaign.of(c) for c in response.campaigns]

    return list(await context.loader("partnerships.campaigns", batch).load_many(names))


@strawberry.type(description="What a campaign brought, in its currency.")
class CampaignResults:
    mentions: float = strawberry.field(description="Mentions attributed to the campaign.")
    reach: float = strawberry.field(description="Followers reached by those mentions.")
    engagements: float = strawberry.field(
        description="Likes, reposts, replies and quotes of those mentions."
    )
    engagement_rate: str = strawberry.field(
        description='Engagements / reach, as a decimal string ("0.0312"); "" without reach.'
    )
    conversions: float = strawberry.field(description="Sales attributed through tracking codes.")
    revenue: Money = strawberry.field(
        description="Revenue of those sales, in the campaign's currency."
    )
    spend: Money = strawberry.field(description="Sum of the fees of signed contracts.")
    cost_per_engagement: Money | None = strawberry.field(
        description="Spend / engagements; absent without engagements."
    )
    roi: str = strawberry.field(
        description='(revenue - spend) / spend, as a decimal string ("1.25" is +125 %); "" '
        "without spend."
    )
    earned_media_value: Money | None = strawberry.field(
        description="Sum over the campaign's mentions of reach / 1000 x the network's CPM + "
        "engagements x the network's rate per engagement (rates per network and currency, set "
        "in the service's settings), converted with the stored FX rates into the campaign's "
        "currency."
    )

    @classmethod
    def of(cls, r: pb.CampaignResults) -> "CampaignResults":
        cpe = Money.of(r.cost_per_engagement) if r.HasField("cost_per_engagement") else None
        emv = Money.of(r.earned_media_value) if r.HasField("earned_media_value") else None
        return cls(
            mentions=r.mentions, reach=r.reach, engagements=r.engagements,
            engagement_rate=r.engagement_rate, conversions=r.conversions,
            revenue=Money.of(r.revenue), spend=Money.of(r.spend), cost_per_engagement=cpe,
            roi=r.roi, earned_media_value=emv,
        )  # fmt: skip
