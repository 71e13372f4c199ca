"""Campaigns and contracts: exact money, refusals with reasons, the lifecycle and its audit
trail, overlaps refused, tenants kept apart."""

from datetime import UTC, datetime

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.grpc_errors import error_info

from .conftest import OTHER, TENANT, Service
from .test_creator_import import alice

PARENT = f"tenants/{TENANT}"
BRAND = f"tenants/{TENANT}/brands/lumiere"


def stamp(year: int, month: int, day: int) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(datetime(year, month, day, tzinfo=UTC))
    return result


def campaign(start: Timestamp, end: Timestamp, budget: str = "10000.00") -> pb.Campaign:
    return pb.Campaign(
        display_name="Autumn roast",
        brief="Show the new roast",
        brands=[BRAND],
        start_time=start,
        end_time=end,
        budget=pb.Money(amount=budget, currency_code="EUR"),
        goals=[pb.CampaignGoal(metric=pb.GOAL_METRIC_REACH, target="100000")],
    )


def contract(creator: str, fee: str = "1250.50") -> pb.Contract:
    return pb.Contract(
        creator=creator,
        fee=pb.Money(amount=fee, currency_code="EUR"),
        payment_terms="50% at signature",
        deliverables=[
            pb.Deliverable(
                network="bluesky",
                kind=pb.DELIVERABLE_KIND_POST,
                count=2,
                due_time=stamp(2030, 3, 1),
                required_hashtags=["#AutumnRoast"],
                disclosure="#ad",
            )
        ],
    )


@pytest.fixture
async def setup(service: Service) -> tuple[str, str]:
    imported = await service.stub.ImportCreators(
        rpc.ImportCreatorsRequest(parent=PARENT, creators=[alice()]), metadata=service.admin()
    )
    created = await service.stub.CreateCampaign(
        rpc.CreateCampaignRequest(
            parent=PARENT, campaign=campaign(stamp(2030, 1, 1), stamp(2030, 4, 1))
        ),
        metadata=service.admin(),
    )
    return created.name, imported.creators[0].name


async def test_a_contract_goes_from_proposed_to_signed_with_its_trail(
    service: Service, setup: tuple[str, str]
) -> None:
    campaign_name, creator = setup
    proposed = await service.stub.CreateContract(
        rpc.CreateContractRequest(parent=campaign_name, contract=contract(creator)),
        metadata=service.admin(),
    )
    assert proposed.status == pb.CONTRACT_STATUS_PROPOSED
    assert proposed.fee.amount == "1250.50" and proposed.deliverables[0].required_hashtags == [
        "AutumnRoast"
    ]
    signed = await service.stub.SignContract(
        rpc.SignContractRequest(name=proposed.name, etag=proposed.etag), metadata=service.admin()
    )
    assert signed.status == pb.CONTRACT_STATUS_SIGNED  # the campaign starts in 2030
    assert [(c.from_status, c.to_status) for c in signed.history] == [
        (pb.CONTRACT_STATUS_UNSPECIFIED, pb.CONTRACT_STATUS_PROPOSED),
        (pb.CONTRACT_STATUS_PROPOSED, pb.CONTRACT_STATUS_SIGNED),
    ]
    cancelled = await service.stub.CancelContract(
        rpc.CancelContractRequest(name=signed.name, reason="brand pulled out"),
        metadata=service.admin(),
    )
    assert cancelled.status == pb.CONTRACT_STATUS_CANCELLED
    assert cancelled.history[-1].note == "brand pulled out"
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.SignContract(
            rpc.SignContractRequest(name=signed.name), metadata=service.admin()
        )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_signing_during_the_campaign_makes_the_contract_active(
    service: Service, setup: tuple[str, str]
) -> None:
    _, creator = setup
    running = await service.stub.CreateCampaign(
        rpc.CreateCampaignRequest(
            parent=PARENT,
            campaign=pb.Campaign(
                display_name="Now",
                brands=[f"tenants/{TENANT}/brands/other"],
                start_time=stamp(2026, 1, 1),
                end_time=stamp(2031, 1, 1),
                budget=pb.Money(amount="10", currency_code="EUR"),
            ),
        ),
        metadata=service.admin(),
    )
    proposed = await service.stub.CreateContract(
        rpc.CreateContractRequest(parent=running.name, contract=contract(creator)),
        metadata=service.admin(),
    )
    signed = await service.stub.SignContract(
        rpc.SignContractRequest(name=proposed.name), metadata=service.admin()
    )
    assert signed.status == pb.CONTRACT_STATUS_ACTIVE
    assert signed.history[-1].actor == "system"


async def test_an_overlapping_contract_for_the_same_brand_is_refused(
    service: Service, setup: tuple[str, str]
) -> None:
    campaign_name, creator = setup
    await service.stub.CreateContract(
        rpc.CreateContractRequest(parent=campaign_name, contract=contract(creator)),
        metadata=service.admin(),
    )
    later = await service.stub.CreateCampaign(
        rpc.CreateCampaignRequest(
            parent=PARENT, campaign=campaign(stamp(2030, 3, 1), stamp(2030, 6, 1))
        ),
        metadata=service.admin(),
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.CreateContract(
            rpc.CreateContractRequest(parent=later.name, contract=contract(creator)),
            metadata=service.admin(),
        )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert _reason(caught.value) == "CONTRACT_OVERLAP"


@pytest.mark.parametrize(
    ("fee", "reason"),
    [("-5.00", "NEGATIVE_AMOUNT"), ("10.001", "TOO_MANY_DECIMALS"), ("ten", "INVALID_AMOUNT")],
)
async def test_a_bad_fee_is_refused_and_nothing_is_written(
    service: Service, setup: tuple[str, str], fee: str, reason: str
) -> None:
    campaign_name, creator = setup
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.CreateContract(
            rpc.CreateContractRequest(parent=campaign_name, contract=contract(creator, fee)),
            metadata=service.admin(),
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert _reason(caught.value) == reason
    listed = await service.stub.ListContracts(
        rpc.ListContractsRequest(parent=campaign_name), metadata=service.admin()
    )
    assert not listed.contracts


async def test_a_contract_for_an_unknown_creator_is_refused(
    service: Service, setup: tuple[str, str]
) -> None:
    campaign_name, _ = setup
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.CreateContract(
            rpc.CreateContractRequest(
                parent=campaign_name, contract=contract(f"tenants/{TENANT}/creators/nobody")
            ),
            metadata=service.admin(),
        )
    assert _reason(caught.value) == "UNKNOWN_CREATOR"


async def test_money_keeps_every_cent(service: Service) -> None:
    created = await service.stub.CreateCampaign(
        rpc.CreateCampaignRequest(
            parent=PARENT,
            campaign=campaign(stamp(2030, 1, 1), stamp(2030, 2, 1), budget="0.10"),
        ),
        metadata=service.admin(),
    )
    assert created.budget.amount == "0.10" and created.budget.currency_code == "EUR"


async def test_another_tenant_cannot_see_or_contract_in_this_campaign(
    service: Service, setup: tuple[str, str]
) -> None:
    campaign_name, creator = setup
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.GetCampaign(
            rpc.GetCampaignRequest(name=campaign_name), metadata=service.admin(OTHER)
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.CreateContract(
            rpc.CreateContractRequest(parent=campaign_name, contract=contract(creator)),
            metadata=service.admin(OTHER),
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def _reason(error: grpc.aio.AioRpcError) -> str:
    info = error_info(error)
    assert info is not None, "every refusal carries an ErrorInfo"
    return info.reason
