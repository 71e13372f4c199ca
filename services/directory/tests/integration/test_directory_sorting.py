"""Sorted directory lists (order_by) across pages, their totals, and tokens bound to an order."""

from typing import TYPE_CHECKING

import grpc
import pytest
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import resources_pb2 as pb
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant
from vigie_runtime.grpc_errors import error_info

if TYPE_CHECKING:
    from conftest import Directory

NAMES = ["Mango", "Apple", "Kiwi", "Banana", "Cherry", "Date", "Fig"]


async def brand_names(directory: "Directory", order_by: str, **filters: object) -> list[str]:
    """Every brand, page by page (2 at a time), in the order asked."""
    names: list[str] = []
    token = ""
    while True:
        page = await directory.stub.ListBrands(
            rpc.ListBrandsRequest(
                parent=directory.tenant, page_size=2, page_token=token, order_by=order_by, **filters
            ),
            metadata=directory.auth(),
        )
        names.extend(b.display_name for b in page.brands)
        token = page.next_page_token
        if not token:
            return names


async def make_brands(directory: "Directory") -> pb.Subsidiary:
    france = await directory.subsidiary()
    for index, name in enumerate(NAMES):
        await directory.stub.CreateBrand(
            rpc.CreateBrandRequest(
                parent=directory.tenant,
                brand=pb.Brand(
                    subsidiary=france.name,
                    display_name=name,
                    kind=pb.BRAND_KIND_OWN if index % 2 else pb.BRAND_KIND_COMPETITOR,
                ),
            ),
            metadata=directory.auth(),
        )
    return france


@pytest.mark.parametrize("direction", ["asc", "desc"])
async def test_brands_sorted_by_name_come_once_each_in_order_across_pages(
    directory: "Directory", direction: str
) -> None:
    await make_brands(directory)
    expected = sorted(NAMES, reverse=direction == "desc")
    assert await brand_names(directory, f"display_name {direction}") == expected


@pytest.mark.parametrize("direction", ["asc", "desc"])
async def test_brands_sorted_by_create_time_follow_creation(
    directory: "Directory", direction: str
) -> None:
    await make_brands(directory)
    expected = NAMES[::-1] if direction == "desc" else NAMES
    assert await brand_names(directory, f"create_time {direction}") == expected


async def test_a_token_from_one_order_is_refused_with_another(directory: "Directory") -> None:
    await make_brands(directory)
    first = await directory.stub.ListBrands(
        rpc.ListBrandsRequest(parent=directory.tenant, page_size=2, order_by="display_name"),
        metadata=directory.auth(),
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await directory.stub.ListBrands(
            rpc.ListBrandsRequest(
                parent=directory.tenant,
                page_size=2,
                page_token=first.next_page_token,
                order_by="display_name desc",
            ),
            metadata=directory.auth(),
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    info = error_info(caught.value)
    assert info is not None and info.metadata["field"] == "page_token"


@pytest.mark.parametrize("order_by", ["color", "display_name sideways", "display_name, id"])
async def test_an_unknown_order_is_refused_with_a_reason(
    directory: "Directory", order_by: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await directory.stub.ListSubsidiaries(
            rpc.ListSubsidiariesRequest(parent=directory.tenant, order_by=order_by),
            metadata=directory.auth(),
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    info = error_info(caught.value)
    assert info is not None and info.metadata["field"] == "order_by"


async def test_the_total_counts_the_filtered_list_of_this_tenant_only(
    directory: "Directory",
) -> None:
    await make_brands(directory)
    other = await bootstrap_tenant(directory.settings, "Other Group", "admin@other.test")
    other_token = await directory.login("admin@other.test", ADMIN_PASSWORD)
    spain = await directory.stub.CreateSubsidiary(
        rpc.CreateSubsidiaryRequest(
            parent=other,
            subsidiary=pb.Subsidiary(
                display_name="Spain",
                country="ES",
                locale="es-ES",
                time_zone="Europe/Madrid",
                data_region="eu",
            ),
        ),
        metadata=directory.auth(other_token),
    )
    for name in ("Other 1", "Other 2"):
        await directory.stub.CreateBrand(
            rpc.CreateBrandRequest(
                parent=other,
                brand=pb.Brand(subsidiary=spain.name, display_name=name, kind=pb.BRAND_KIND_OWN),
            ),
            metadata=directory.auth(other_token),
        )
    own = await directory.stub.ListBrands(
        rpc.ListBrandsRequest(
            parent=directory.tenant, page_size=2, kind=pb.BRAND_KIND_OWN, show_total_size=True
        ),
        metadata=directory.auth(),
    )
    assert own.total_size == 3  # the odd-numbered of NAMES; the other tenant's never count
    every = await directory.stub.ListBrands(
        rpc.ListBrandsRequest(parent=directory.tenant, page_size=2, show_total_size=True),
        metadata=directory.auth(),
    )
    assert every.total_size == len(NAMES)
    unasked = await directory.stub.ListBrands(
        rpc.ListBrandsRequest(parent=directory.tenant, page_size=2), metadata=directory.auth()
    )
    assert unasked.total_size == 0
    members = await directory.stub.ListMembers(
        rpc.ListMembersRequest(parent=directory.tenant, show_total_size=True),
        metadata=directory.auth(),
    )
    assert members.total_size == 1


async def test_members_sorted_by_name_come_once_each_in_order(directory: "Directory") -> None:
    france = await directory.subsidiary()
    for email in ("zoe@acme.test", "bob@acme.test", "mia@acme.test"):
        await directory.member(email, (pb.ROLE_ANALYST, france.name))
    for direction in ("asc", "desc"):
        names: list[str] = []
        token = ""
        while True:
            page = await directory.stub.ListMembers(
                rpc.ListMembersRequest(
                    parent=directory.tenant,
                    page_size=1,
                    page_token=token,
                    order_by=f"display_name {direction}",
                ),
                metadata=directory.auth(),
            )
            names.extend(m.display_name for m in page.members)
            token = page.next_page_token
            if not token:
                break
        # The admin is "Group admin": where upper case sorts depends on the collation.
        assert sorted(names) == ["Group admin", "bob", "mia", "zoe"]
        expected = sorted(["zoe", "bob", "mia"], reverse=direction == "desc")
        assert [n for n in names if n != "Group admin"] == expected
