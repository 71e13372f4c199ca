"""Tracking codes (collision-free, UTM links) and conversions reported by partners, idempotent
by order id, refused with reasons, in the campaign's currency."""

from datetime import UTC, datetime, timedelta

import grpc
import pytest
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.grpc_client import bearer

from .conftest import OTHER, TENANT, Service
from .test_deliverables import signed_contract

BRAND = f"tenants/{TENANT}/brands/lumiere"


async def coupon(service: Service, contract: pb.Contract, code: str = "") -> pb.TrackingCode:
    campaign = contract.name.rsplit("/contracts/", 1)[0]
    return await service.stub.CreateTrackingCode(
        rpc.CreateTrackingCodeRequest(
            parent=campaign,
            tracking_code=pb.TrackingCode(
                contract=contract.name, kind=pb.TRACKING_CODE_KIND_COUPON, code=code
            ),
        ),
        metadata=service.admin(),
    )


def sale(order: str, code: str, amount: str, currency: str = "EUR") -> pb.Conversion:
    return pb.Conversion(
        order_id=order, code=code, revenue=pb.Money(amount=amount, currency_code=currency)
    )


@pytest.fixture
async def contract(service: Service) -> pb.Contract:
    return await signed_contract(service, 1, datetime.now(UTC) + timedelta(days=300))


async def test_generated_codes_never_collide_and_links_carry_utms(
    service: Service, contract: pb.Contract
) -> None:
    first = await coupon(service, contract)
    second = await coupon(service, contract)
    assert (first.code, second.code) == ("ALICE-AUTUMN", "ALICE-AUTUMN-2")
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await coupon(service, contract, code="alice-autumn")
    assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS
    link = await service.stub.CreateTrackingCode(
        rpc.CreateTrackingCodeRequest(
            parent=contract.name.rsplit("/contracts/", 1)[0],
            tracking_code=pb.TrackingCode(
                contract=contract.name,
                kind=pb.TRACKING_CODE_KIND_LINK,
                destination_url="https://shop.example/roast",
            ),
        ),
        metadata=service.admin(),
    )
    assert "utm_medium=influencer" in link.destination_url
    assert f"utm_content={link.code}" in link.destination_url


async def test_a_partner_reports_conversions_once_per_order(
    service: Service, contract: pb.Contract
) -> None:
    code = (await coupon(service, contract, code="ALICE10")).code
    campaign = contract.name.rsplit("/contracts/", 1)[0]
    partner = bearer(service.keys.partner_token(TENANT, {"conversions.report"}, {BRAND}))
    request = rpc.ReportConversionsRequest(
        parent=campaign,
        conversions=[
            sale("o-1", "alice10", "19.90"),
            sale("o-2", "NOPE", "5.00"),
            sale("o-3", code, "5.00", "USD"),
            sale("o-4", code, "-1.00"),
        ],
    )
    first = await service.stub.ReportConversions(request, metadata=partner)
    assert first.accepted_count == 1
    assert [(r.order_id, r.reason) for r in first.refusals] == [
        ("o-2", "UNKNOWN_CODE"),
        ("o-3", "CURRENCY_MISMATCH"),
        ("o-4", "NEGATIVE_AMOUNT"),
    ]
    again = await service.stub.ReportConversions(request, metadata=partner)
    assert (again.accepted_count, again.duplicate_count) == (0, 1)


async def test_a_partner_without_the_scope_or_the_brand_cannot_report(
    service: Service, contract: pb.Contract
) -> None:
    campaign = contract.name.rsplit("/contracts/", 1)[0]
    request = rpc.ReportConversionsRequest(parent=campaign, conversions=[sale("o", "X", "1")])
    for token in (
        service.keys.partner_token(TENANT, {"creators.import"}, {BRAND}),
        service.keys.partner_token(TENANT, {"conversions.report"}, {f"tenants/{TENANT}/brands/x"}),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await service.stub.ReportConversions(request, metadata=bearer(token))
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    other = bearer(service.keys.partner_token(OTHER, {"conversions.report"}, {BRAND}))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.ReportConversions(request, metadata=other)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
