"""Campaign rows as the contract's message."""

from vigie.partnerships.v1 import resources_pb2 as pb

from vigie_partnerships.adapters.orm import CampaignRow
from vigie_partnerships.app.names import BRAND, CAMPAIGN
from vigie_partnerships.app.views import stamp

GOAL_TO_PROTO = {
    "reach": pb.GOAL_METRIC_REACH,
    "engagements": pb.GOAL_METRIC_ENGAGEMENTS,
    "mentions": pb.GOAL_METRIC_MENTIONS,
    "conversions": pb.GOAL_METRIC_CONVERSIONS,
    "revenue": pb.GOAL_METRIC_REVENUE,
}


def campaign(row: CampaignRow) -> pb.Campaign:
    return pb.Campaign(
        name=CAMPAIGN.format(row.tenant, row.id),
        display_name=row.display_name,
        brief=row.brief,
        brands=[BRAND.format(row.tenant, b) for b in row.brands],
        start_time=stamp(row.start_at),
        end_time=stamp(row.end_at),
        budget=pb.Money(amount=row.budget_amount, currency_code=row.currency),
        goals=[
            pb.CampaignGoal(metric=GOAL_TO_PROTO[g["metric"]], target=g["target"])
            for g in row.goals
        ],
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )
