"""Tracking codes read, listed and deleted (sales already attributed stay, new ones with the code
are refused), and conversions listed page by page; another tenant sees none of it."""

from datetime import UTC, datetime, timedelta

import grpc
import pytest
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb

from .conftest import OTHER, Service
from .test_deliverables import signed_contract
from .test_tracking import coupon, sale


@pytest.fixture
async def signed(service: Service) -> pb.Contract:
    return await signed_contract(service, 1, datetime.now(UTC) + timedelta(days=300))


async def _report(
    service: Service, campaign: str, *sales: pb.Conversion
) -> rpc.ReportConversionsResponse:
    return await service.stub.ReportConversions(
        rpc.ReportConversionsRequest(parent=campaign, conversions=sales), metadata=service.admin()
    )


async def test_codes_are_read_listed_and_deleted_while_their_sales_stay(
    service: Service, signed: pb.Contract
) -> None:
    contract = signed
    campaign = contract.name.rsplit("/contracts/", 1)[0]
    first, second = await coupon(service, contract, "ALICE10"), await coupon(service, contract)
    read = await service.stub.GetTrackingCode(
        rpc.GetTrackingCodeRequest(name=first.name), metadata=service.admin()
    )
    assert (read.code, read.contract) == ("ALICE10", contract.name)
    listed = await service.stub.ListTrackingCodes(
        rpc.ListTrackingCodesRequest(parent=campaign, contract=contract.name),
        metadata=service.admin(),
    )
    assert sorted(c.name for c in listed.tracking_codes) == sorted([first.name, second.name])
    await _report(service, campaign, sale("o-1", "ALICE10", "10.00"))
    await service.stub.DeleteTrackingCode(
        rpc.DeleteTrackingCodeRequest(name=first.name), metadata=service.admin()
    )
    late = await _report(service, campaign, sale("o-2", "ALICE10", "10.00"))
    assert [r.reason for r in late.refusals] == ["UNKNOWN_CODE"]
    kept = await service.stub.ListConversions(
        rpc.ListConversionsRequest(parent=campaign), metadata=service.admin()
    )
    assert [(c.order_id, c.revenue.amount, c.tracking_code) for c in kept.conversions] == [
        ("o-1", "10.00", first.name)
    ]
    with pytest.raises(grpc.aio.AioRpcError) as gone:
        await service.stub.GetTrackingCode(
            rpc.GetTrackingCodeRequest(name=first.name), metadata=service.admin()
        )
    assert gone.value.code() == grpc.StatusCode.NOT_FOUND


async def test_conversions_are_listed_page_by_page_and_by_code(
    service: Service, signed: pb.Contract
) -> None:
    contract = signed
    campaign = contract.name.rsplit("/contracts/", 1)[0]
    one, two = await coupon(service, contract, "ONE"), await coupon(service, contract, "TWO")
    await _report(
        service, campaign, sale("o-1", "ONE", "1.00"), sale("o-2", "TWO", "2.00"),
        sale("o-3", "ONE", "3.00"),
    )  # fmt: skip
    first = await service.stub.ListConversions(
        rpc.ListConversionsRequest(parent=campaign, page_size=2), metadata=service.admin()
    )
    rest = await service.stub.ListConversions(
        rpc.ListConversionsRequest(parent=campaign, page_size=2, page_token=first.next_page_token),
        metadata=service.admin(),
    )
    orders = [c.order_id for c in [*first.conversions, *rest.conversions]]
    assert sorted(orders) == ["o-1", "o-2", "o-3"] and rest.next_page_token == ""
    by_code = await service.stub.ListConversions(
        rpc.ListConversionsRequest(parent=campaign, tracking_code=two.name),
        metadata=service.admin(),
    )
    assert [c.order_id for c in by_code.conversions] == ["o-2"]
    assert one.name != two.name


async def test_another_tenant_reads_and_deletes_no_code(
    service: Service, signed: pb.Contract
) -> None:
    contract = signed
    campaign = contract.name.rsplit("/contracts/", 1)[0]
    code = await coupon(service, contract)
    calls = [
        service.stub.GetTrackingCode(
            rpc.GetTrackingCodeRequest(name=code.name), metadata=service.admin(OTHER)
        ),
        service.stub.DeleteTrackingCode(
            rpc.DeleteTrackingCodeRequest(name=code.name), metadata=service.admin(OTHER)
        ),
        service.stub.ListTrackingCodes(
            rpc.ListTrackingCodesRequest(parent=campaign), metadata=service.admin(OTHER)
        ),
        service.stub.ListConversions(
            rpc.ListConversionsRequest(parent=campaign), metadata=service.admin(OTHER)
        ),
    ]
    for call in calls:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    still = await service.stub.GetTrackingCode(
        rpc.GetTrackingCodeRequest(name=code.name), metadata=service.admin()
    )
    assert still.code == code.code
