"""Sorted partnerships lists (order_by) across pages, totals with the list's filter, page
tokens bound to their order; another tenant's rows are never counted."""

from datetime import UTC, datetime
from typing import Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.grpc_errors import error_info

from .conftest import OTHER, TENANT, Service

PARENT = f"tenants/{TENANT}"
# (pair, day) in the order they are set: ids sort by pair then day, not by day.
RATES = [
    ("EUR/USD", "2026-03-01"),
    ("EUR/GBP", "2026-01-15"),
    ("EUR/USD", "2026-01-01"),
    ("EUR/CHF", "2026-02-10"),
    ("EUR/GBP", "2026-04-20"),
]


async def set_rates(service: Service) -> None:
    for tenant, rates in ((TENANT, RATES), (OTHER, RATES[:2])):
        for pair, day in rates:
            base, quote = pair.split("/")
            await service.stub.SetFxRate(
                rpc.SetFxRateRequest(
                    parent=f"tenants/{tenant}",
                    fx_rate=pb.FxRate(
                        base_currency=base, quote_currency=quote, rate="1.5", effective_date=day
                    ),
                ),
                metadata=service.admin(tenant),
            )


async def every_day(service: Service, order_by: str) -> list[str]:
    days: list[str] = []
    token = ""
    while True:
        page = await service.stub.ListFxRates(
            rpc.ListFxRatesRequest(parent=PARENT, page_size=2, page_token=token, order_by=order_by),
            metadata=service.admin(),
        )
        days.extend(r.effective_date for r in page.fx_rates)
        token = page.next_page_token
        if not token:
            return days


@pytest.mark.parametrize("direction", ["asc", "desc"])
async def test_fx_rates_sorted_by_day_come_once_each_in_order_across_pages(
    service: Service, direction: str
) -> None:
    await set_rates(service)
    expected = sorted((day for _, day in RATES), reverse=direction == "desc")
    assert await every_day(service, f"effective_date {direction}") == expected


async def test_a_token_of_one_order_is_refused_with_another(service: Service) -> None:
    await set_rates(service)
    first = await service.stub.ListFxRates(
        rpc.ListFxRatesRequest(parent=PARENT, page_size=2, order_by="effective_date"),
        metadata=service.admin(),
    )
    for order_by, field in (("update_time", "page_token"), ("rate desc", "order_by")):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await service.stub.ListFxRates(
                rpc.ListFxRatesRequest(
                    parent=PARENT, page_size=2, page_token=first.next_page_token, order_by=order_by
                ),
                metadata=service.admin(),
            )
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        info = error_info(caught.value)
        assert info is not None and info.metadata["field"] == field


async def test_the_total_counts_the_filter_within_the_tenant(service: Service) -> None:
    await set_rates(service)

    async def total(tenant: str = TENANT, **pair: str) -> int:
        answer = await service.stub.ListFxRates(
            rpc.ListFxRatesRequest(
                parent=f"tenants/{tenant}", page_size=1, show_total_size=True, **pair
            ),
            metadata=service.admin(tenant),
        )
        return answer.total_size

    assert await total() == len(RATES)
    assert await total(base_currency="EUR", quote_currency="GBP") == 2
    assert await total(OTHER) == 2


# --- contracts ----------------------------------------------------------------------------

# (fee, status) of contracts c0..c4 in the order they are proposed: two fees tie, and text
# order ("10000.00" < "1250.50" < "80.00") differs from the amounts'.
CONTRACTS = [
    ("900.00", "proposed"),
    ("1250.50", "signed"),
    ("80.00", "active"),
    ("1250.50", "cancelled"),
    ("10000.00", "proposed"),
]


def creator(key: str) -> pb.Creator:
    account = pb.CreatorAccount(
        network="bluesky", handle=f"{key}.bsky.social", network_id=f"did:plc:{key}"
    )
    return pb.Creator(display_name=key, accounts=[account])


def stamp(year: int, month: int, day: int) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(datetime(year, month, day, tzinfo=UTC))
    return result


async def a_campaign(service: Service, tenant: str) -> str:
    made = await service.stub.CreateCampaign(
        rpc.CreateCampaignRequest(
            parent=f"tenants/{tenant}",
            campaign=pb.Campaign(
                display_name="Autumn", brands=[f"tenants/{tenant}/brands/lumiere"],
                start_time=stamp(2030, 1, 1), end_time=stamp(2030, 4, 1),
                budget=pb.Money(amount="50000.00", currency_code="EUR"),
            ),
        ),
        metadata=service.admin(tenant),
    )  # fmt: skip
    return str(made.name)


async def propose(service: Service, campaign: str, tenant: str, fees: list[str]) -> list[Any]:
    keys = [f"{tenant}-{i}".replace("_", "") for i in range(len(fees))]
    imported = await service.stub.ImportCreators(
        rpc.ImportCreatorsRequest(parent=f"tenants/{tenant}", creators=[creator(k) for k in keys]),
        metadata=service.admin(tenant),
    )
    by_name = {c.display_name: c.name for c in imported.creators}
    made = []
    for key, fee in zip(keys, fees, strict=True):
        terms = pb.Contract(
            creator=by_name[key], fee=pb.Money(amount=fee, currency_code="EUR"),
            deliverables=[pb.Deliverable(
                network="bluesky", kind=pb.DELIVERABLE_KIND_POST, count=1,
                due_time=stamp(2030, 3, 1),
            )],
        )  # fmt: skip
        made.append(
            await service.stub.CreateContract(
                rpc.CreateContractRequest(parent=campaign, contract=terms),
                metadata=service.admin(tenant),
            )
        )
    return made


@pytest.fixture
async def contracts(service: Service) -> tuple[str, list[str]]:
    """A campaign with the CONTRACTS (names in order); another tenant's campaign with one."""
    campaign = await a_campaign(service, TENANT)
    made = await propose(service, campaign, TENANT, [fee for fee, _ in CONTRACTS])
    for contract, (_, status) in zip(made, CONTRACTS, strict=True):
        if status in ("signed", "active"):
            sign = rpc.SignContractRequest(name=contract.name, etag=contract.etag)
            if status == "active":  # signed once the campaign has started
                sign.sign_time.CopyFrom(stamp(2030, 2, 1))
            await service.stub.SignContract(sign, metadata=service.admin())
        elif status == "cancelled":
            await service.stub.CancelContract(
                rpc.CancelContractRequest(name=contract.name, etag=contract.etag, reason="no"),
                metadata=service.admin(),
            )
    await propose(service, await a_campaign(service, OTHER), OTHER, ["1.00"])
    return campaign, [c.name for c in made]


async def contract_order(service: Service, parent: str, order_by: str, **filters: Any) -> list[str]:
    names: list[str] = []
    token = ""
    while True:
        page = await service.stub.ListContracts(
            rpc.ListContractsRequest(
                parent=parent, page_size=2, page_token=token, order_by=order_by, **filters
            ),
            metadata=service.admin(),
        )
        names.extend(c.name for c in page.contracts)
        token = page.next_page_token
        if not token:
            return names


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("", [0, 1, 2, 3, 4]),
        ("create_time desc", [4, 3, 2, 1, 0]),
        ("fee", [2, 0, 1, 3, 4]),  # by amount; the tie by id
        ("fee desc", [4, 3, 1, 0, 2]),
        ("status", [0, 4, 1, 2, 3]),  # proposed, signed, active, (completed), cancelled
        ("status desc", [3, 2, 1, 4, 0]),
    ],
)
async def test_a_campaigns_contracts_come_once_each_in_the_order_asked_across_pages(
    service: Service, contracts: tuple[str, list[str]], order_by: str, expected: list[int]
) -> None:
    campaign, names = contracts
    listed = await contract_order(service, campaign, order_by)
    assert listed == [names[i] for i in expected]


async def test_contracts_are_counted_with_their_filter_within_the_tenant(
    service: Service, contracts: tuple[str, list[str]]
) -> None:
    campaign, names = contracts

    async def total(parent: str = campaign, **filters: Any) -> int:
        answer = await service.stub.ListContracts(
            rpc.ListContractsRequest(parent=parent, page_size=1, show_total_size=True, **filters),
            metadata=service.admin(),
        )
        return int(answer.total_size)

    assert await total() == len(CONTRACTS)
    assert await total(f"{PARENT}/campaigns/-") == len(CONTRACTS)  # the other tenant's: not
    assert await total(statuses=[pb.CONTRACT_STATUS_PROPOSED]) == 2
    first = await service.stub.GetContract(
        rpc.GetContractRequest(name=names[0]), metadata=service.admin()
    )
    assert await total(creator=first.creator) == 1
    proposed = await contract_order(
        service, campaign, "fee desc", statuses=[pb.CONTRACT_STATUS_PROPOSED]
    )
    assert proposed == [names[4], names[0]]
    everyone = await contract_order(service, f"{PARENT}/campaigns/-", "status desc")
    assert everyone == [names[i] for i in (3, 2, 1, 4, 0)]


async def test_a_contracts_token_of_one_order_is_refused_with_another(
    service: Service, contracts: tuple[str, list[str]]
) -> None:
    campaign, _ = contracts
    first = await service.stub.ListContracts(
        rpc.ListContractsRequest(parent=campaign, page_size=2, order_by="fee"),
        metadata=service.admin(),
    )
    refusals = [
        (campaign, first.next_page_token, "fee desc", "page_token"),
        (campaign, first.next_page_token, "status", "page_token"),
        (campaign, "", "payment_terms", "order_by"),
        # Fees are in their campaign's currency: not compared across campaigns.
        (f"{PARENT}/campaigns/-", "", "fee", "order_by"),
    ]
    for parent, token, order_by, field in refusals:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await service.stub.ListContracts(
                rpc.ListContractsRequest(
                    parent=parent, page_size=2, page_token=token, order_by=order_by
                ),
                metadata=service.admin(),
            )
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        info = error_info(caught.value)
        assert info is not None and info.metadata["field"] == field, order_by
