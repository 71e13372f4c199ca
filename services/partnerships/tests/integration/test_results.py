"""Campaign results from the contracted creator's posts, the sales reported and the fees, in
the campaign's currency, exact to the cent, with the open EMV formula."""

from datetime import UTC, datetime, timedelta

from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as reputation
from vigie_partnerships.entrypoints.nats.mentions import MENTION_CAPTURED, MENTION_SCORED
from vigie_runtime.testing.waiting import eventually

from .conftest import Producer, Service
from .test_creator_discovery import scored
from .test_deliverables import contract_now, post, signed_contract
from .test_tracking import coupon, sale


async def test_results_add_reach_engagement_sales_roi_and_emv(
    service: Service, producer: Producer
) -> None:
    contract = await signed_contract(service, 1, datetime.now(UTC) + timedelta(days=300))
    campaign = contract.name.rsplit("/contracts/", 1)[0]
    code = (await coupon(service, contract, code="ALICE10")).code
    await service.stub.ReportConversions(
        rpc.ReportConversionsRequest(
            parent=campaign,
            conversions=[sale("o-1", code, "600.00"), sale("o-2", code, "400.00")],
        ),
        metadata=service.admin(),
    )
    await producer.publish(MENTION_CAPTURED, post("p1", "#AutumnRoast #ad"), "e1")
    await producer.publish(MENTION_SCORED, scored("p1", reputation.SENTIMENT_LABEL_POSITIVE), "s1")

    async def counted() -> bool:
        results = await service.stub.GetCampaignResults(
            rpc.GetCampaignResultsRequest(name=f"{campaign}/results"), metadata=service.admin()
        )
        return results.mentions == 1 and results.positive_mentions == 1

    await eventually(counted)
    results = await service.stub.GetCampaignResults(
        rpc.GetCampaignResultsRequest(name=f"{campaign}/results"), metadata=service.admin()
    )
    # alice: 12,000 followers, 300 engagements per post; fee 800.00 EUR; sales 1,000.00 EUR
    assert (results.reach, results.engagements, results.engagement_rate) == (12_000, 300, "0.0250")
    assert (results.spend.amount, results.revenue.amount) == ("800.00", "1000.00")
    assert results.conversions == 2 and results.roi == "0.2500"
    assert results.cost_per_engagement.amount == "2.67"  # 800 / 300 = 2.666... half-even
    # EMV: 12 x 5.00 + 300 x 0.10 = 90.00
    assert results.earned_media_value.amount == "90.00"
    assert results.earned_media_value.currency_code == "EUR"
    assert results.contracts[0].fee.amount == "800.00"
    assert (await contract_now(service, contract.name)).deliverables[0].fulfilled_count == 1
