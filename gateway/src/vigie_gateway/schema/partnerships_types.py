"""The partnerships' objects as front-end teams see them: creators and their explained vetting,
campaigns, contracts with deliverables, and results. Money is a decimal string with a currency."""

from datetime import datetime
from enum import Enum

import strawberry
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import moment
from vigie_gateway.schema.directory_types import Brand, load_brands

Info = strawberry.Info[Context, None]


@strawberry.enum(description="Where a contract is in its life.")
class ContractStatus(Enum):
    PROPOSED = pb.CONTRACT_STATUS_PROPOSED
    SIGNED = pb.CONTRACT_STATUS_SIGNED
    ACTIVE = pb.CONTRACT_STATUS_ACTIVE
    COMPLETED = pb.CONTRACT_STATUS_COMPLETED
    CANCELLED = pb.CONTRACT_STATUS_CANCELLED


@strawberry.enum(description="Whether a deliverable was delivered.")
class DeliverableStatus(Enum):
    PENDING = pb.DELIVERABLE_STATUS_PENDING
    FULFILLED = pb.DELIVERABLE_STATUS_FULFILLED
    MISSED = pb.DELIVERABLE_STATUS_MISSED


@strawberry.type(description="An amount: a decimal string (never a float) and its currency.")
class Money:
    amount: str
    currency_code: str

    @classmethod
    def of(cls, m: pb.Money) -> "Money":
        return cls(amount=m.amount, currency_code=m.currency_code)


@strawberry.type(description="A creator's account on one network.")
class CreatorAccount:
    network: str
    handle: str
    network_id: str
    followers_count: float
    following_count: float
    posts_count: float


@strawberry.type(description="A creator (influencer).")
class Creator:
    id: strawberry.ID
    display_name: str
    accounts: list[CreatorAccount]
    languages: list[str]
    countries: list[str]
    topics: list[str]

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
    name: str
    value: str


@strawberry.type(description="A score from 0 to 100, its inputs and its reasons.")
class VettingScore:
    score: float
    inputs: list[VettingInput]
    reasons: list[str]

    @classmethod
    def of(cls, s: pb.VettingScore) -> "VettingScore":
        inputs = [VettingInput(name=i.name, value=i.value) for i in s.inputs]
        return cls(score=s.score, inputs=inputs, reasons=list(s.reasons))


@strawberry.type(description="Whether a creator is worth working with, explained.")
class Vetting:
    engagement: VettingScore
    authenticity: VettingScore
    brand_safety: VettingScore
    overall: VettingScore

    @classmethod
    def of(cls, v: pb.Vetting) -> "Vetting":
        return cls(
            engagement=VettingScore.of(v.engagement), authenticity=VettingScore.of(v.authenticity),
            brand_safety=VettingScore.of(v.brand_safety), overall=VettingScore.of(v.overall),
        )  # fmt: skip


@strawberry.type(description="A campaign: brief, brands, dates, budget.")
class Campaign:
    id: strawberry.ID
    display_name: str
    brief: str
    brand_ids: list[strawberry.ID]
    start_time: datetime
    end_time: datetime
    budget: Money

    @strawberry.field(description="The brands it promotes (one directory call per response).")
    async def brands(self, info: Info) -> list[Brand]:
        return await load_brands(info.context, [str(b) for b in self.brand_ids])

    @classmethod
    def of(cls, c: pb.Campaign) -> "Campaign":
        return cls(
            id=strawberry.ID(c.name), display_name=c.display_name, brief=c.brief,
            brand_ids=[strawberry.ID(b) for b in c.brands], start_time=moment(c.start_time),
            end_time=moment(c.end_time), budget=Money.of(c.budget),
        )  # fmt: skip


@strawberry.type(description="What a creator owes, and whether it was seen.")
class Deliverable:
    id: strawberry.ID
    network: str
    count: int
    due_time: datetime
    required_hashtags: list[str]
    disclosure: str
    status: DeliverableStatus
    fulfilled_count: int
    matched_mention_ids: list[strawberry.ID]
    disclosure_missing: bool

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
class Contract:
    id: strawberry.ID
    creator_id: strawberry.ID
    fee: Money
    payment_terms: str
    status: ContractStatus
    deliverables: list[Deliverable]
    etag: str

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
    mentions: float
    reach: float
    engagements: float
    engagement_rate: str
    conversions: float
    revenue: Money
    spend: Money
    cost_per_engagement: Money | None
    roi: str
    earned_media_value: Money | None

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
