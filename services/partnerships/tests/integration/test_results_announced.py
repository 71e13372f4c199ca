"""Computing a campaign's results announces them on `campaign.results_updated`, so the
reputation's reports can keep a replica instead of reading this database."""

from datetime import UTC, datetime

import nats
from vigie.partnerships.v1 import events_pb2
from vigie.partnerships.v1 import partnerships_pb2 as rpc

from .conftest import TENANT, Service
from .test_deliverables import signed_contract


async def test_computed_results_are_announced_with_the_campaign_and_its_brands(
    service: Service, nats_url: str
) -> None:
    contract = await signed_contract(service, 1, datetime(2030, 6, 1, tzinfo=UTC))
    campaign = contract.name.rsplit("/contracts/", 1)[0]
    connection = await nats.connect(nats_url)
    announced = await connection.subscribe(
        f"vigie.partnerships.{TENANT}.campaign.results_updated.v1"
    )
    results = await service.stub.GetCampaignResults(
        rpc.GetCampaignResultsRequest(name=f"{campaign}/results"), metadata=service.admin()
    )
    message = await announced.next_msg(timeout=20)
    await connection.close()
    event = events_pb2.CampaignResultsUpdated.FromString(message.data)
    assert event.campaign == campaign
    assert event.campaign_display_name == "Autumn roast"
    assert event.brand == f"tenants/{TENANT}/brands/lumiere"
    assert list(event.brands) == [event.brand]
    assert event.results == results
    assert event.results.spend.amount == "800.00"
