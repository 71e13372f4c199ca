"""Importing creators over gRPC and as CSV: idempotent by network id, refusals with reasons,
scoped to the caller's tenant and to partner clients holding `creators.import`."""

import grpc
import pytest
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.grpc_client import bearer
from vigie_runtime.principal import Role

from .conftest import OTHER, TENANT, Service

PARENT = f"tenants/{TENANT}"


def alice(followers: int = 12_000, topics: tuple[str, ...] = ("coffee",)) -> pb.Creator:
    return pb.Creator(
        display_name="Alice",
        accounts=[
            pb.CreatorAccount(
                network="bluesky",
                handle="alice.bsky.social",
                network_id="did:plc:alice",
                followers_count=followers,
                following_count=300,
                posts_count=800,
                mean_engagements_per_post=300,
            )
        ],
        languages=["fr"],
        countries=["FR"],
        topics=list(topics),
    )


async def test_importing_the_same_creators_twice_changes_nothing(service: Service) -> None:
    request = rpc.ImportCreatorsRequest(parent=PARENT, creators=[alice()])
    first = await service.stub.ImportCreators(request, metadata=service.admin())
    again = await service.stub.ImportCreators(request, metadata=service.admin())
    assert (first.created_count, first.updated_count, first.unchanged_count) == (1, 0, 0)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)
    assert first.creators[0].name == again.creators[0].name
    assert again.creators[0].etag == "1"
    snapshots = await service.stub.ListCreatorSnapshots(
        rpc.ListCreatorSnapshotsRequest(parent=first.creators[0].name), metadata=service.admin()
    )
    assert len(snapshots.snapshots) == 1


async def test_new_figures_update_the_creator_and_add_a_snapshot(service: Service) -> None:
    await service.stub.ImportCreators(
        rpc.ImportCreatorsRequest(parent=PARENT, creators=[alice()]), metadata=service.admin()
    )
    grown = await service.stub.ImportCreators(
        rpc.ImportCreatorsRequest(parent=PARENT, creators=[alice(followers=15_000)]),
        metadata=service.admin(),
    )
    assert grown.updated_count == 1 and grown.creators[0].etag == "2"
    assert grown.creators[0].accounts[0].followers_count == 15_000
    snapshots = await service.stub.ListCreatorSnapshots(
        rpc.ListCreatorSnapshotsRequest(parent=grown.creators[0].name), metadata=service.admin()
    )
    assert [s.accounts[0].followers_count for s in snapshots.snapshots] == [15_000, 12_000]


async def test_bad_creators_are_refused_with_their_index_and_the_rest_imported(
    service: Service,
) -> None:
    no_account = pb.Creator(display_name="Nobody")
    negative = alice()
    negative.accounts[0].network_id = "did:plc:neg"
    negative.accounts[0].followers_count = -1
    answer = await service.stub.ImportCreators(
        rpc.ImportCreatorsRequest(parent=PARENT, creators=[no_account, alice(), negative]),
        metadata=service.admin(),
    )
    assert answer.created_count == 1
    assert [(r.index, r.reason) for r in answer.refusals] == [
        (0, "NO_ACCOUNT"),
        (2, "NEGATIVE_COUNT"),
    ]


async def test_a_csv_import_reports_each_malformed_row(service: Service) -> None:
    csv = (
        b"display_name,network,handle,network_id,followers,topics\n"
        b"Alice,bluesky,alice.bsky.social,did:plc:alice,12000,coffee\n"
        b"Bob,bluesky,bob,did:plc:bob,lots,coffee\n"
        b"Carol,friendster,carol,,10,\n"
    )
    answer = await service.stub.ImportCreators(
        rpc.ImportCreatorsRequest(parent=PARENT, csv=csv), metadata=service.admin()
    )
    assert answer.created_count == 1
    assert [(r.index, r.reason) for r in answer.refusals] == [
        (3, "INVALID_COUNT"),
        (4, "UNKNOWN_NETWORK"),
    ]
    listed = await service.stub.ListCreators(
        rpc.ListCreatorsRequest(parent=PARENT), metadata=service.admin()
    )
    assert [c.display_name for c in listed.creators] == ["Alice"]


async def test_a_csv_with_an_unknown_column_writes_nothing(service: Service) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.ImportCreators(
            rpc.ImportCreatorsRequest(parent=PARENT, csv=b"network,handle,folowers\nx,a,1\n"),
            metadata=service.admin(),
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    listed = await service.stub.ListCreators(
        rpc.ListCreatorsRequest(parent=PARENT), metadata=service.admin()
    )
    assert not listed.creators


async def test_another_tenant_neither_sees_nor_imports_into_this_one(service: Service) -> None:
    imported = await service.stub.ImportCreators(
        rpc.ImportCreatorsRequest(parent=PARENT, creators=[alice()]), metadata=service.admin()
    )
    name = imported.creators[0].name
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.GetCreator(
            rpc.GetCreatorRequest(name=name), metadata=service.admin(OTHER)
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.ImportCreators(
            rpc.ImportCreatorsRequest(parent=PARENT, creators=[alice()]),
            metadata=service.admin(OTHER),
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    theirs = await service.stub.ImportCreators(
        rpc.ImportCreatorsRequest(parent=f"tenants/{OTHER}", creators=[alice()]),
        metadata=service.admin(OTHER),
    )
    assert theirs.created_count == 1 and theirs.creators[0].name != name


async def test_a_partner_needs_the_creators_import_scope(service: Service) -> None:
    request = rpc.ImportCreatorsRequest(parent=PARENT, creators=[alice()])
    without = bearer(service.keys.partner_token(TENANT, {"conversions.report"}, set()))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.ImportCreators(request, metadata=without)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    scoped = bearer(service.keys.partner_token(TENANT, {"creators.import"}, set()))
    assert (await service.stub.ImportCreators(request, metadata=scoped)).created_count == 1


async def test_an_analyst_reads_creators_but_cannot_import_them(service: Service) -> None:
    analyst = bearer(service.keys.token(TENANT, (Role.ANALYST, None)))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.ImportCreators(
            rpc.ImportCreatorsRequest(parent=PARENT, creators=[alice()]), metadata=analyst
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    listed = await service.stub.ListCreators(
        rpc.ListCreatorsRequest(parent=PARENT), metadata=analyst
    )
    assert not listed.creators
