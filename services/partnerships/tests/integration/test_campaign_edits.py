"""Campaigns and contracts read in batches (in the order asked, another tenant's refused),
changed field by field (a proposed contract only, a negative fee refused), deleted while
nothing was signed, and deliverables listed page by page."""

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb

from .conftest import OTHER, TENANT, Service
from .test_contracts import campaign, contract, stamp
from .test_creator_edits import _reason
from .test_creator_import import alice

PARENT = f"tenants/{TENANT}"


async def _campaign(service: Service, year: int = 2030) -> pb.Campaign:
    return await service.stub.CreateCampaign(
        rpc.CreateCampaignRequest(
            parent=PARENT, campaign=campaign(stamp(year, 1, 1), stamp(year, 4, 1))
        ),
        metadata=service.admin(),
    )


async def _proposed(service: Service, parent: str) -> pb.Contract:
    imported = await service.stub.ImportCreators(
        rpc.ImportCreatorsRequest(parent=PARENT, creators=[alice()]), metadata=service.admin()
    )
    return await service.stub.CreateContract(
        rpc.CreateContractRequest(parent=parent, contract=contract(imported.creators[0].name)),
        metadata=service.admin(),
    )


async def test_campaigns_and_contracts_are_read_in_batches_in_the_order_asked(
    service: Service,
) -> None:
    first, second = await _campaign(service, 2030), await _campaign(service, 2031)
    found = await service.stub.BatchGetCampaigns(
        rpc.BatchGetCampaignsRequest(parent=PARENT, names=[second.name, first.name]),
        metadata=service.admin(),
    )
    assert [c.name for c in found.campaigns] == [second.name, first.name]
    proposed = await _proposed(service, first.name)
    contracts = await service.stub.BatchGetContracts(
        rpc.BatchGetContractsRequest(parent=PARENT, names=[proposed.name]),
        metadata=service.admin(),
    )
    assert [c.fee.amount for c in contracts.contracts] == ["1250.50"]
    elsewhere = proposed.name.replace(first.name, second.name)  # the contract, wrong campaign
    with pytest.raises(grpc.aio.AioRpcError) as misplaced:
        await service.stub.BatchGetContracts(
            rpc.BatchGetContractsRequest(parent=PARENT, names=[proposed.name, elsewhere]),
            metadata=service.admin(),
        )
    assert misplaced.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as unknown:
        await service.stub.BatchGetCampaigns(
            rpc.BatchGetCampaignsRequest(parent=PARENT, names=[f"{PARENT}/campaigns/nope"]),
            metadata=service.admin(),
        )
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as foreign:
        await service.stub.BatchGetCampaigns(
            rpc.BatchGetCampaignsRequest(parent=f"tenants/{OTHER}", names=[first.name]),
            metadata=service.admin(OTHER),
        )
    assert foreign.value.code() == grpc.StatusCode.NOT_FOUND


async def test_a_campaign_update_changes_only_the_masked_fields(service: Service) -> None:
    made = await _campaign(service)
    change = pb.Campaign(
        name=made.name, display_name="Winter roast", brief="ignored", etag=made.etag,
        budget=pb.Money(amount="12000.00", currency_code="EUR"),
    )  # fmt: skip
    changed = await service.stub.UpdateCampaign(
        rpc.UpdateCampaignRequest(
            campaign=change, update_mask=FieldMask(paths=["display_name", "budget"])
        ),
        metadata=service.admin(),
    )
    assert (changed.display_name, changed.brief) == ("Winter roast", "Show the new roast")
    assert changed.budget.amount == "12000.00" and changed.etag != made.etag
    for paths, given in [
        (["budget"], pb.Campaign(budget=pb.Money(amount="1.00", currency_code="USD"))),
        (["end_time"], pb.Campaign(end_time=stamp(2029, 1, 1))),
    ]:
        given.name, given.etag = made.name, changed.etag
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await service.stub.UpdateCampaign(
                rpc.UpdateCampaignRequest(campaign=given, update_mask=FieldMask(paths=paths)),
                metadata=service.admin(),
            )
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    read = await service.stub.GetCampaign(
        rpc.GetCampaignRequest(name=made.name), metadata=service.admin()
    )
    assert read.etag == changed.etag  # nothing half-written by the refusals


async def test_only_a_proposed_contract_changes_and_a_negative_fee_is_refused(
    service: Service,
) -> None:
    running = await _campaign(service)
    proposed = await _proposed(service, running.name)
    change = pb.Contract(
        name=proposed.name, etag=proposed.etag, payment_terms="all at the end",
        fee=pb.Money(amount="-1.00", currency_code="EUR"),
    )  # fmt: skip
    with pytest.raises(grpc.aio.AioRpcError) as negative:
        await service.stub.UpdateContract(
            rpc.UpdateContractRequest(contract=change, update_mask=FieldMask(paths=["fee"])),
            metadata=service.admin(),
        )
    assert _reason(negative.value) == "NEGATIVE_AMOUNT"
    changed = await service.stub.UpdateContract(
        rpc.UpdateContractRequest(contract=change, update_mask=FieldMask(paths=["payment_terms"])),
        metadata=service.admin(),
    )
    assert (changed.payment_terms, changed.fee.amount) == ("all at the end", "1250.50")
    signed = await service.stub.SignContract(
        rpc.SignContractRequest(name=proposed.name), metadata=service.admin()
    )
    change.etag = signed.etag
    with pytest.raises(grpc.aio.AioRpcError) as late:
        await service.stub.UpdateContract(
            rpc.UpdateContractRequest(
                contract=change, update_mask=FieldMask(paths=["payment_terms"])
            ),
            metadata=service.admin(),
        )
    assert _reason(late.value) == "CONTRACT_NOT_PROPOSED"


async def test_deliverables_are_listed_by_contract_or_campaign_page_by_page(
    service: Service,
) -> None:
    running = await _campaign(service)
    proposed = await _proposed(service, running.name)
    two = pb.Contract(name=proposed.name, deliverables=[*proposed.deliverables] * 2)
    await service.stub.UpdateContract(
        rpc.UpdateContractRequest(contract=two, update_mask=FieldMask(paths=["deliverables"])),
        metadata=service.admin(),
    )
    first = await service.stub.ListDeliverables(
        rpc.ListDeliverablesRequest(parent=proposed.name, page_size=1), metadata=service.admin()
    )
    rest = await service.stub.ListDeliverables(
        rpc.ListDeliverablesRequest(
            parent=proposed.name, page_size=1, page_token=first.next_page_token
        ),
        metadata=service.admin(),
    )
    names = [d.name for d in [*first.deliverables, *rest.deliverables]]
    assert len(set(names)) == 2 and not any(
        n in names for n in (d.name for d in proposed.deliverables)
    )
    everything = await service.stub.ListDeliverables(
        rpc.ListDeliverablesRequest(
            parent=f"{running.name}/contracts/-", statuses=[pb.DELIVERABLE_STATUS_PENDING]
        ),
        metadata=service.admin(),
    )
    assert sorted(d.name for d in everything.deliverables) == sorted(names)
    with pytest.raises(grpc.aio.AioRpcError) as foreign:
        await service.stub.ListDeliverables(
            rpc.ListDeliverablesRequest(parent=proposed.name), metadata=service.admin(OTHER)
        )
    assert foreign.value.code() == grpc.StatusCode.NOT_FOUND


async def test_a_campaign_is_deleted_only_while_nothing_was_signed(service: Service) -> None:
    running = await _campaign(service)
    proposed = await _proposed(service, running.name)
    await service.stub.SignContract(
        rpc.SignContractRequest(name=proposed.name), metadata=service.admin()
    )
    with pytest.raises(grpc.aio.AioRpcError) as kept:
        await service.stub.DeleteCampaign(
            rpc.DeleteCampaignRequest(name=running.name), metadata=service.admin()
        )
    assert _reason(kept.value) == "CAMPAIGN_HAS_SIGNED_CONTRACTS"
    draft = await _campaign(service, 2032)
    later = contract(proposed.creator)
    later.deliverables[0].due_time.CopyFrom(stamp(2032, 3, 1))
    await service.stub.CreateContract(
        rpc.CreateContractRequest(parent=draft.name, contract=later), metadata=service.admin()
    )
    with pytest.raises(grpc.aio.AioRpcError) as foreign:
        await service.stub.DeleteCampaign(
            rpc.DeleteCampaignRequest(name=draft.name), metadata=service.admin(OTHER)
        )
    assert foreign.value.code() == grpc.StatusCode.NOT_FOUND
    await service.stub.DeleteCampaign(
        rpc.DeleteCampaignRequest(name=draft.name, etag=draft.etag), metadata=service.admin()
    )
    listed = await service.stub.ListContracts(
        rpc.ListContractsRequest(parent=f"{PARENT}/campaigns/-"), metadata=service.admin()
    )
    assert [c.name for c in listed.contracts] == [proposed.name]


async def test_moving_a_campaign_onto_another_contract_of_its_creator_is_refused(
    service: Service,
) -> None:
    spring = await _campaign(service, 2030)
    proposed = await _proposed(service, spring.name)
    autumn = await service.stub.CreateCampaign(
        rpc.CreateCampaignRequest(
            parent=PARENT, campaign=campaign(stamp(2030, 6, 1), stamp(2030, 9, 1))
        ),
        metadata=service.admin(),
    )
    later = contract(proposed.creator)
    later.deliverables[0].due_time.CopyFrom(stamp(2030, 8, 1))
    await service.stub.CreateContract(
        rpc.CreateContractRequest(parent=autumn.name, contract=later), metadata=service.admin()
    )
    earlier = pb.Campaign(name=autumn.name, start_time=stamp(2030, 3, 1))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.UpdateCampaign(
            rpc.UpdateCampaignRequest(
                campaign=earlier, update_mask=FieldMask(paths=["start_time"])
            ),
            metadata=service.admin(),
        )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert _reason(caught.value) == "CONTRACT_OVERLAP"
    shorter = pb.Campaign(name=autumn.name, end_time=stamp(2030, 8, 15))
    moved = await service.stub.UpdateCampaign(
        rpc.UpdateCampaignRequest(campaign=shorter, update_mask=FieldMask(paths=["end_time"])),
        metadata=service.admin(),
    )
    assert moved.start_time == autumn.start_time  # the refused move left nothing behind
