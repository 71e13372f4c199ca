"""The replica of the partnerships' campaign results, kept for reports: the newest compute_time
wins, so a replayed or late event never brings older figures back."""

from google.protobuf import json_format
from vigie.partnerships.v1 import events_pb2
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CampaignResultRow
from vigie_reputation.app.access import BRAND
from vigie_reputation.app.views import utc

CAMPAIGN = ResourcePattern("campaign", ("tenants", "campaigns"))
SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))


async def apply_results(
    uow: UnitOfWork, tenant: str, event: events_pb2.CampaignResultsUpdated
) -> None:
    _, campaign_id = CAMPAIGN.parse_in_tenant(event.campaign, tenant, "campaign")
    computed = utc(event.results.compute_time.ToDatetime())
    row = await uow.session.get(CampaignResultRow, (tenant, campaign_id))
    if row is not None and utc(row.compute_time) >= computed:
        return
    brands = list(event.brands) or ([event.brand] if event.brand else [])
    brand_ids = [BRAND.parse_in_tenant(b, tenant, "brands")[1] for b in brands]
    subsidiary_id = (
        SUBSIDIARY.parse_in_tenant(event.subsidiary, tenant, "subsidiary")[1]
        if event.subsidiary
        else ""
    )
    if row is None:
        row = CampaignResultRow(tenant=tenant, campaign_id=campaign_id)
        uow.session.add(row)
    row.display_name = event.campaign_display_name[:200]
    row.brand_ids, row.subsidiary_id = brand_ids, subsidiary_id
    row.results = json_format.MessageToDict(event.results)
    row.compute_time = computed
