"""A campaign's results, computed from the mentions, contracts and conversions held here."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from vigie_runtime.clock import as_utc as utc
from vigie_runtime.clock import now
from vigie_runtime.errors import FailedPrecondition, InvalidArgument
from vigie_runtime.principal import Principal
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import (
    CampaignRow,
    ContractRow,
    ConversionRow,
    CreatorAccountRow,
    CreatorMentionRow,
    MentionSentimentRow,
    TrackingCodeRow,
)
from vigie_partnerships.app import campaigns
from vigie_partnerships.app.fx_rates import rates_on
from vigie_partnerships.domain.contracts import Status
from vigie_partnerships.domain.fx import MissingFxRate
from vigie_partnerships.domain.money import Money, zero
from vigie_partnerships.domain.results import EmvRates, Post, earned_media_value

SPENT = (Status.SIGNED.value, Status.ACTIVE.value, Status.COMPLETED.value)


@dataclass
class ContractFigures:
    contract: ContractRow
    posts: list[Post] = field(default_factory=list)
    conversions: int = 0
    revenue: Money = field(default_factory=lambda: zero("EUR"))
    emv: Money | None = None


@dataclass
class CampaignFigures:
    campaign: CampaignRow
    contracts: list[ContractFigures]
    sentiments: Counter[str]
    spend: Money


async def campaign_results(
    uow: UnitOfWork, who: Principal, name: str, rates: EmvRates
) -> CampaignFigures:
    if not name.endswith("/results"):
        raise InvalidArgument("name", "expected tenants/{tenant}/campaigns/{campaign}/results")
    campaign = await campaigns.get(uow, who, name.removesuffix("/results"))
    query = select(ContractRow).where(
        ContractRow.tenant == who.tenant,
        ContractRow.campaign_id == campaign.id,
        ContractRow.status.in_(SPENT),
    )
    contracts = list((await uow.session.execute(query.order_by(ContractRow.id))).scalars())
    figures = {c.id: ContractFigures(c, revenue=zero(campaign.currency)) for c in contracts}
    sentiments = await _posts(uow, campaign, figures)
    await _conversions(uow, campaign, figures)
    spend = zero(campaign.currency)
    for item in figures.values():
        spend = spend + Money(Decimal(item.contract.fee_amount), campaign.currency)
    await _emv(uow, campaign, list(figures.values()), rates)
    return CampaignFigures(campaign, list(figures.values()), sentiments, spend)


async def _emv(
    uow: UnitOfWork, campaign: CampaignRow, figures: list[ContractFigures], rates: EmvRates
) -> None:
    """EMV in the campaign's currency, converted at the rates of the campaign's last day (or of
    today while it runs); a missing rate is refused with the pair and the day."""
    day = min(utc(campaign.end_at), now()).date()
    fx = await rates_on(uow, campaign.tenant, {c for _, c in rates}, campaign.currency, day)
    for item in figures:
        try:
            item.emv = earned_media_value(item.posts, campaign.currency, rates, fx)
        except MissingFxRate as missing:
            raise FailedPrecondition(
                "FX_RATE_MISSING",
                f"earned media value needs a {missing.base} to {missing.quote} rate on or "
                f"before {day.isoformat()}: set one with SetFxRate",
            ) from None


async def _posts(
    uow: UnitOfWork, campaign: CampaignRow, figures: dict[str, ContractFigures]
) -> Counter[str]:
    by_creator = {f.contract.creator_id: f for f in figures.values()}
    mean = await _mean_engagements(uow, campaign.tenant, list(by_creator))
    query = (
        select(CreatorMentionRow, MentionSentimentRow.label)
        .outerjoin(
            MentionSentimentRow,
            (MentionSentimentRow.tenant == CreatorMentionRow.tenant)
            & (MentionSentimentRow.mention == CreatorMentionRow.mention),
        )
        .where(
            CreatorMentionRow.tenant == campaign.tenant,
            CreatorMentionRow.creator_id.in_(list(by_creator)),
            CreatorMentionRow.brand_id.in_(campaign.brands),
            CreatorMentionRow.published_at >= campaign.start_at,
            CreatorMentionRow.published_at <= campaign.end_at,
        )
    )
    sentiments: Counter[str] = Counter()
    for mention, label in (await uow.session.execute(query)).all():
        engagements = mean.get(mention.creator_id, Decimal(0))
        by_creator[mention.creator_id].posts.append(
            Post(mention.network, mention.reach, engagements)
        )
        if label:
            sentiments[label] += 1
    return sentiments


async def _mean_engagements(
    uow: UnitOfWork, tenant: str, creator_ids: list[str]
) -> dict[str, Decimal]:
    query = (
        select(CreatorAccountRow)
        .where(CreatorAccountRow.tenant == tenant, CreatorAccountRow.creator_id.in_(creator_ids))
        .order_by(CreatorAccountRow.followers)
    )
    found: dict[str, Decimal] = {}
    for account in (await uow.session.execute(query)).scalars():
        # Ordered by followers: the most followed account's figure is the one kept.
        found[account.creator_id] = Decimal(str(account.mean_engagements_per_post))
    return found


async def _conversions(
    uow: UnitOfWork, campaign: CampaignRow, figures: dict[str, ContractFigures]
) -> None:
    query = (
        select(ConversionRow, TrackingCodeRow.contract_id)
        .join(TrackingCodeRow, TrackingCodeRow.id == ConversionRow.tracking_code_id)
        .where(ConversionRow.tenant == campaign.tenant, ConversionRow.campaign_id == campaign.id)
    )
    for conversion, contract_id in (await uow.session.execute(query)).all():
        item = figures.get(contract_id)
        if item is not None:
            item.conversions += 1
            item.revenue = item.revenue + Money(
                Decimal(conversion.revenue_amount), conversion.currency
            )
