"""Creators made one at a time (idempotent by request id, refused when an account is already a
creator's), changed field by field, and deleted unless under contract; other tenants see none."""

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.grpc_errors import error_info

from .conftest import OTHER, TENANT, Service
from .test_contracts import campaign, contract, stamp
from .test_creator_import import alice

PARENT = f"tenants/{TENANT}"


async def _create(service: Service, creator: pb.Creator, request_id: str = "") -> pb.Creator:
    return await service.stub.CreateCreator(
        rpc.CreateCreatorRequest(parent=PARENT, creator=creator, request_id=request_id),
        metadata=service.admin(),
    )


def _reason(error: grpc.aio.AioRpcError) -> str:
    info = error_info(error)
    assert info is not None, "every refusal carries an ErrorInfo"
    return info.reason


async def test_a_creator_is_created_once_per_request_and_once_per_account(
    service: Service,
) -> None:
    first = await _create(service, alice(), request_id="r-1")
    again = await _create(service, alice(), request_id="r-1")
    assert again.name == first.name and first.accounts[0].network_id == "did:plc:alice"
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await _create(service, alice(), request_id="r-2")
    assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert _reason(caught.value) == "CREATOR_EXISTS"
    nobody = pb.Creator(display_name="Nobody")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await _create(service, nobody)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert _reason(refused.value) == "NO_ACCOUNT"
    listed = await service.stub.ListCreators(
        rpc.ListCreatorsRequest(parent=PARENT), metadata=service.admin()
    )
    assert [c.name for c in listed.creators] == [first.name]


async def test_an_update_changes_only_the_fields_in_the_mask(service: Service) -> None:
    made = await _create(service, alice())
    change = pb.Creator(
        name=made.name, display_name="Alice B.", topics=["Tea", "coffee"], languages=["en"],
        etag=made.etag,
    )  # fmt: skip
    changed = await service.stub.UpdateCreator(
        rpc.UpdateCreatorRequest(creator=change, update_mask=FieldMask(paths=["topics"])),
        metadata=service.admin(),
    )
    assert (changed.display_name, list(changed.topics)) == ("Alice", ["tea", "coffee"])
    assert list(changed.languages) == ["fr"] and changed.accounts[0].followers_count == 12_000
    for mask, etag, code in [
        (["accounts"], changed.etag, grpc.StatusCode.INVALID_ARGUMENT),
        (["display_name"], made.etag, grpc.StatusCode.ABORTED),
    ]:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await service.stub.UpdateCreator(
                rpc.UpdateCreatorRequest(
                    creator=pb.Creator(name=made.name, display_name="X", etag=etag),
                    update_mask=FieldMask(paths=mask),
                ),
                metadata=service.admin(),
            )
        assert caught.value.code() == code


async def test_a_creator_under_contract_is_kept_and_one_without_is_deleted(
    service: Service,
) -> None:
    kept = await _create(service, alice())
    bob = alice()
    bob.accounts[0].network_id, bob.accounts[0].handle = "did:plc:bob", "bob.bsky.social"
    gone = await _create(service, bob)
    running = await service.stub.CreateCampaign(
        rpc.CreateCampaignRequest(
            parent=PARENT, campaign=campaign(stamp(2030, 1, 1), stamp(2030, 4, 1))
        ),
        metadata=service.admin(),
    )
    await service.stub.CreateContract(
        rpc.CreateContractRequest(parent=running.name, contract=contract(kept.name)),
        metadata=service.admin(),
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.DeleteCreator(
            rpc.DeleteCreatorRequest(name=kept.name), metadata=service.admin()
        )
    assert _reason(caught.value) == "CREATOR_HAS_CONTRACTS"
    await service.stub.DeleteCreator(
        rpc.DeleteCreatorRequest(name=gone.name, etag=gone.etag), metadata=service.admin()
    )
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await service.stub.GetCreator(
            rpc.GetCreatorRequest(name=gone.name), metadata=service.admin()
        )
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    again = await _create(service, bob)  # its account is free again
    assert again.name != gone.name


async def test_another_tenant_cannot_change_or_delete_a_creator(service: Service) -> None:
    made = await _create(service, alice())
    change = pb.Creator(name=made.name, display_name="Mallory")
    calls = [
        service.stub.UpdateCreator(
            rpc.UpdateCreatorRequest(creator=change), metadata=service.admin(OTHER)
        ),
        service.stub.DeleteCreator(
            rpc.DeleteCreatorRequest(name=made.name), metadata=service.admin(OTHER)
        ),
    ]
    for call in calls:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as foreign:
        await service.stub.CreateCreator(
            rpc.CreateCreatorRequest(parent=PARENT, creator=alice()), metadata=service.admin(OTHER)
        )
    assert foreign.value.code() == grpc.StatusCode.NOT_FOUND
    read = await service.stub.GetCreator(
        rpc.GetCreatorRequest(name=made.name), metadata=service.admin()
    )
    assert read.display_name == "Alice"
