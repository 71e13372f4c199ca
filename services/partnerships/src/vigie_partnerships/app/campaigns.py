"""Campaigns: a brief, brands, dates, a budget in one currency, goals."""

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import select
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.clock import now
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import load, page
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import CampaignRow
from vigie_partnerships.app.common import MANAGERS, require_anywhere, require_reader
from vigie_partnerships.app.money import money_of
from vigie_partnerships.app.names import BRAND, CAMPAIGN

GOALS = {
    pb.GOAL_METRIC_REACH: "reach",
    pb.GOAL_METRIC_ENGAGEMENTS: "engagements",
    pb.GOAL_METRIC_MENTIONS: "mentions",
    pb.GOAL_METRIC_CONVERSIONS: "conversions",
    pb.GOAL_METRIC_REVENUE: "revenue",
}
READ_SCOPE = "campaigns.read"


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.Campaign, request_id: str
) -> CampaignRow:
    require_parent(parent, who.tenant)
    require_anywhere(who, MANAGERS)
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateCampaign")
    if earlier:
        return await get(uow, who, earlier)
    name = source.display_name.strip()
    if not 1 <= len(name) <= 200:
        raise InvalidArgument("display_name", "1 to 200 characters")
    if len(source.brief) > 20_000:
        raise InvalidArgument("brief", "at most 20,000 characters")
    if not source.brands or len(source.brands) > 50:
        raise InvalidArgument("brands", "1 to 50 brands")
    brands = [BRAND.parse_in_tenant(b, who.tenant, "brands")[1] for b in source.brands]
    start = required_time(source.start_time, "start_time")
    end = required_time(source.end_time, "end_time")
    if end <= start:
        raise InvalidArgument("end_time", "must be after start_time")
    budget = money_of(source.budget, "budget")
    moment = now()
    row = CampaignRow(
        id=new_id(),
        tenant=who.tenant,
        display_name=name,
        brief=source.brief,
        brands=list(dict.fromkeys(brands)),
        start_at=start,
        end_at=end,
        budget_amount=budget.text(),
        currency=budget.currency,
        goals=checked_goals(source.goals),
        version=1,
        created_at=moment,
        updated_at=moment,
    )
    uow.session.add(row)
    await uow.session.flush()
    resource = CAMPAIGN.format(who.tenant, row.id)
    await idempotency.remember(uow, who.tenant, request_id, "CreateCampaign", resource)
    return row


def require_reading(who: Principal) -> None:
    require_reader(who, READ_SCOPE)


async def get(uow: UnitOfWork, who: Principal, name: str) -> CampaignRow:
    require_reading(who)
    return await get_unchecked(uow, who, name)


async def get_unchecked(uow: UnitOfWork, who: Principal, name: str) -> CampaignRow:
    """The campaign in the caller's tenant, for handlers that check the caller themselves."""
    _, campaign_id = CAMPAIGN.parse_in_tenant(name, who.tenant)
    return await load(uow, CampaignRow, "campaign", who.tenant, campaign_id, name)


async def list_(
    uow: UnitOfWork, who: Principal, parent: str, size: int, token: str, brand: str
) -> tuple[Sequence[CampaignRow], str]:
    require_parent(parent, who.tenant)
    require_reader(who, READ_SCOPE)
    query = select(CampaignRow).where(CampaignRow.tenant == who.tenant)
    rows, next_token = await page(uow, query, CampaignRow, size, token, ["campaigns", brand])
    if brand:
        brand_id = BRAND.parse_in_tenant(brand, who.tenant, "brand")[1]
        rows = [r for r in rows if brand_id in r.brands]
    return rows, next_token


def required_time(stamp: Timestamp, field: str) -> datetime:
    if not stamp.seconds and not stamp.nanos:
        raise InvalidArgument(field, "is required")
    return stamp.ToDatetime(tzinfo=UTC)


def checked_goals(goals: Sequence[pb.CampaignGoal]) -> list[dict[str, str]]:
    if len(goals) > 20:
        raise InvalidArgument("goals", "at most 20 goals")
    found = []
    for goal in goals:
        if goal.metric not in GOALS:
            raise InvalidArgument("goals", "each goal needs a metric")
        try:
            target = Decimal(goal.target)
        except InvalidOperation:
            raise InvalidArgument("goals", f"target {goal.target!r} is not a decimal") from None
        if not target.is_finite() or target < 0:
            raise InvalidArgument("goals", f"target {goal.target!r} must be >= 0")
        found.append({"metric": GOALS[goal.metric], "target": str(target)})
    return found
