"""Campaign figures as the contract's CampaignResults, with the formulas of domain/results."""

from decimal import Decimal

from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.clock import now

from vigie_partnerships.app.money import money_message
from vigie_partnerships.app.names import CAMPAIGN, CONTRACT, CREATOR
from vigie_partnerships.app.results import CampaignFigures, ContractFigures
from vigie_partnerships.app.views import stamp
from vigie_partnerships.domain.money import zero
from vigie_partnerships.domain.results import cost_per_engagement, engagement_rate, roi

BASIS = "estimated: posts x the creator's mean engagements per post"


def campaign_results(figures: CampaignFigures) -> pb.CampaignResults:
    campaign = figures.campaign
    currency = campaign.currency
    reach = sum(p.reach for c in figures.contracts for p in c.posts)
    engagements = sum((p.engagements for c in figures.contracts for p in c.posts), Decimal(0))
    revenue = sum((c.revenue for c in figures.contracts), zero(currency))
    emvs = [c.emv for c in figures.contracts]
    message = pb.CampaignResults(
        name=CAMPAIGN.format(campaign.tenant, campaign.id) + "/results",
        mentions=sum(len(c.posts) for c in figures.contracts),
        reach=reach,
        engagements=int(engagements),
        conversions=sum(c.conversions for c in figures.contracts),
        revenue=money_message(revenue),
        spend=money_message(figures.spend),
        compute_time=stamp(now()),
        positive_mentions=figures.sentiments["positive"],
        neutral_mentions=figures.sentiments["neutral"],
        negative_mentions=figures.sentiments["negative"],
        engagements_basis=BASIS,
        contracts=[_contract(c) for c in figures.contracts],
    )
    rate = engagement_rate(engagements, reach)
    message.engagement_rate = f"{rate:f}" if rate is not None else ""
    cost = cost_per_engagement(figures.spend, engagements)
    if cost is not None:
        message.cost_per_engagement.CopyFrom(money_message(cost))
    gain = roi(revenue, figures.spend)
    message.roi = f"{gain:f}" if gain is not None else ""
    if all(e is not None for e in emvs):
        total = sum((e for e in emvs if e is not None), zero(currency))
        message.earned_media_value.CopyFrom(money_message(total))
    return message


def _contract(figures: ContractFigures) -> pb.ContractResults:
    contract, posts = figures.contract, figures.posts
    message = pb.ContractResults(
        contract=CONTRACT.format(contract.tenant, contract.campaign_id, contract.id),
        creator=CREATOR.format(contract.tenant, contract.creator_id),
        mentions=len(posts),
        reach=sum(p.reach for p in posts),
        engagements=int(sum((p.engagements for p in posts), Decimal(0))),
        conversions=figures.conversions,
        revenue=money_message(figures.revenue),
        fee=pb.Money(amount=contract.fee_amount, currency_code=contract.currency),
    )
    if figures.emv is not None:
        message.earned_media_value.CopyFrom(money_message(figures.emv))
    return message
