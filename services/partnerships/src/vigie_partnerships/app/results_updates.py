"""Computing a campaign's results announces them (`campaign.results_updated`, through the
outbox), so the reputation's reports keep a replica instead of querying this database."""

from sqlalchemy import select
from vigie.partnerships.v1 import events_pb2
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.principal import Principal
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import CampaignRow, KnownBrandRow
from vigie_partnerships.app import events, results, results_view
from vigie_partnerships.app.names import BRAND, CAMPAIGN
from vigie_partnerships.domain.results import EmvRates


async def compute_and_announce(
    uow: UnitOfWork, who: Principal, name: str, rates: EmvRates
) -> pb.CampaignResults:
    """The results of `name` (tenants/{t}/campaigns/{c}/results), emitted in the same
    transaction; consumers keep the one with the newest compute_time."""
    figures = await results.campaign_results(uow, who, name, rates)
    message = results_view.campaign_results(figures)
    announcement = await _announcement(uow, figures.campaign, message)
    uow.emit(events.CAMPAIGN_RESULTS_UPDATED, who.tenant, announcement)
    return message


async def _announcement(
    uow: UnitOfWork, campaign: CampaignRow, message: pb.CampaignResults
) -> events_pb2.CampaignResultsUpdated:
    brands = [BRAND.format(campaign.tenant, b) for b in campaign.brands]
    subsidiary = ""
    if campaign.brands:
        query = select(KnownBrandRow.subsidiary_id).where(
            KnownBrandRow.tenant == campaign.tenant, KnownBrandRow.id == campaign.brands[0]
        )
        subsidiary_id = (await uow.session.execute(query)).scalar()
        if subsidiary_id:
            subsidiary = f"tenants/{campaign.tenant}/subsidiaries/{subsidiary_id}"
    return events_pb2.CampaignResultsUpdated(
        results=message,
        campaign=CAMPAIGN.format(campaign.tenant, campaign.id),
        campaign_display_name=campaign.display_name,
        brand=brands[0] if brands else "",
        subsidiary=subsidiary,
        brands=brands,
    )
