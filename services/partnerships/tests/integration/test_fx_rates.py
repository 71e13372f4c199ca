"""FX rates stored per tenant and day: the earned media value of a campaign in another currency
than the EMV rates' is converted with the latest stored rate (or its pair's inverse), and is
refused with the missing pair, never computed at a rate of 1."""

from datetime import UTC, datetime, timedelta

import grpc
import pytest
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_partnerships.entrypoints.nats.mentions import MENTION_CAPTURED
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.testing.waiting import eventually

from .conftest import OTHER, TENANT, Producer, Service
from .test_deliverables import post, signed_contract

PARENT = f"tenants/{TENANT}"


async def _set(service: Service, pair: str, rate: str, day: str, tenant: str = TENANT) -> pb.FxRate:
    base, quote = pair.split("/")
    return await service.stub.SetFxRate(
        rpc.SetFxRateRequest(
            parent=f"tenants/{tenant}",
            fx_rate=pb.FxRate(
                base_currency=base, quote_currency=quote, rate=rate, effective_date=day
            ),
        ),
        metadata=service.admin(tenant),
    )


async def _campaign_in_usd_with_one_post(service: Service, producer: Producer) -> str:
    """A USD campaign whose creator posted once (12,000 reach, 300 engagements): 90.00 EUR of
    EMV at the service's EUR rates."""
    contract = await signed_contract(service, 1, datetime.now(UTC) + timedelta(days=300), "USD")
    await producer.publish(MENTION_CAPTURED, post("p1", "#AutumnRoast #ad"), "e1")
    return contract.name.rsplit("/contracts/", 1)[0] + "/results"


async def _results(service: Service, name: str) -> pb.CampaignResults:
    return await service.stub.GetCampaignResults(
        rpc.GetCampaignResultsRequest(name=name), metadata=service.admin()
    )


async def test_emv_without_a_rate_is_refused_with_the_missing_pair(
    service: Service, producer: Producer
) -> None:
    results = await _campaign_in_usd_with_one_post(service, producer)
    refusals: list[grpc.aio.AioRpcError] = []

    async def refused() -> bool:
        try:
            await _results(service, results)
        except grpc.aio.AioRpcError as error:
            refusals.append(error)
            return True
        return False  # the post has not arrived yet: nothing to convert

    await eventually(refused)
    error = refusals[-1]
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert (info := error_info(error)) is not None and info.reason == "FX_RATE_MISSING"
    assert "EUR to USD" in (error.details() or "")
    await _set(service, "EUR/USD", "1.0800", "2026-01-01", tenant=OTHER)  # not ours
    with pytest.raises(grpc.aio.AioRpcError):
        await _results(service, results)


async def test_emv_uses_the_latest_rate_on_or_before_the_day_exactly(
    service: Service, producer: Producer
) -> None:
    results = await _campaign_in_usd_with_one_post(service, producer)
    await _set(service, "EUR/USD", "1.05", "2025-01-01")
    await _set(service, "EUR/USD", "1.0837", "2026-01-01")
    await _set(service, "EUR/USD", "2.00", "2099-01-01")  # not yet in force

    async def counted() -> bool:
        return (await _results(service, results)).mentions == 1

    await eventually(counted)
    emv = (await _results(service, results)).earned_media_value
    # 90.00 EUR x 1.0837 = 97.533 USD -> 97.53
    assert (emv.amount, emv.currency_code) == ("97.53", "USD")
    corrected = await _set(service, "EUR/USD", "1.10", "2026-01-01")  # the same day: replaced
    assert corrected.name == f"{PARENT}/fxRates/EUR-USD-2026-01-01"
    assert (await _results(service, results)).earned_media_value.amount == "99.00"


async def test_the_inverse_pair_serves_when_only_it_is_stored(
    service: Service, producer: Producer
) -> None:
    results = await _campaign_in_usd_with_one_post(service, producer)
    await _set(service, "USD/EUR", "0.80", "2026-01-01")

    async def counted() -> bool:
        return (await _results(service, results)).mentions == 1

    await eventually(counted)
    # 90.00 EUR / 0.80 = 112.50 USD
    assert (await _results(service, results)).earned_media_value.amount == "112.50"


@pytest.mark.parametrize(
    ("pair", "rate", "day", "reason"),
    [
        ("EUR/XXX", "1.1", "2026-01-01", "UNKNOWN_CURRENCY"),
        ("EUR/EUR", "1", "2026-01-01", "SAME_CURRENCY"),
        ("EUR/USD", "0", "2026-01-01", "INVALID_RATE"),
        ("EUR/USD", "-1.2", "2026-01-01", "INVALID_RATE"),
        ("EUR/USD", "1,08", "2026-01-01", "INVALID_RATE"),
        ("EUR/USD", "NaN", "2026-01-01", "INVALID_RATE"),
        ("EUR/USD", "1.08", "01/12/2026", "INVALID_DATE"),
    ],
)
async def test_a_malformed_rate_is_refused_with_its_reason(
    service: Service, pair: str, rate: str, day: str, reason: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await _set(service, pair, rate, day)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert (info := error_info(caught.value)) is not None and info.reason == reason


async def test_rates_are_listed_by_pair_and_day_within_the_tenant(service: Service) -> None:
    await _set(service, "EUR/USD", "1.08", "2026-02-01")
    await _set(service, "EUR/USD", "1.07", "2026-01-01")
    await _set(service, "EUR/GBP", "0.85", "2026-01-01")
    await _set(service, "EUR/USD", "9.99", "2026-01-01", tenant=OTHER)
    listed = await service.stub.ListFxRates(
        rpc.ListFxRatesRequest(parent=PARENT, page_size=2), metadata=service.admin()
    )
    following = await service.stub.ListFxRates(
        rpc.ListFxRatesRequest(parent=PARENT, page_size=2, page_token=listed.next_page_token),
        metadata=service.admin(),
    )
    rates = [(r.name.rsplit("/", 1)[1], r.rate) for r in [*listed.fx_rates, *following.fx_rates]]
    assert rates == [
        ("EUR-GBP-2026-01-01", "0.85"),
        ("EUR-USD-2026-01-01", "1.07"),
        ("EUR-USD-2026-02-01", "1.08"),
    ]
    assert following.next_page_token == ""
    pair = await service.stub.ListFxRates(
        rpc.ListFxRatesRequest(parent=PARENT, base_currency="eur", quote_currency="gbp"),
        metadata=service.admin(),
    )
    assert [r.rate for r in pair.fx_rates] == ["0.85"]
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.ListFxRates(
            rpc.ListFxRatesRequest(parent=PARENT), metadata=service.admin(OTHER)
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
