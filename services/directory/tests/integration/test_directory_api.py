"""The directory's gRPC API, as a client sees it, on SQLite or PostgreSQL."""

from datetime import timedelta
from typing import TYPE_CHECKING

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import resources_pb2 as pb
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.principal import Principal, Role, RoleGrant
from vigie_runtime.tokens import SigningKey, TokenIssuer, load_or_create_signing_key

if TYPE_CHECKING:
    from conftest import Directory


async def refused(call, code: grpc.StatusCode, reason: str | None = None) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    assert caught.value.code() == code, caught.value.details()
    info = error_info(caught.value)
    assert info is not None, "every refusal carries an ErrorInfo"
    if reason:
        assert info.reason == reason
    return info.reason


async def test_an_admin_logs_in_and_reads_who_they_are(directory: "Directory") -> None:
    me = await directory.stub.GetCurrentMember(
        rpc.GetCurrentMemberRequest(), metadata=directory.auth()
    )
    assert me.email == "admin@acme.test"
    assert me.roles[0].role == pb.ROLE_GROUP_ADMIN
    assert me.name.startswith(directory.tenant + "/members/")


async def test_a_wrong_password_is_refused_like_an_unknown_email(directory: "Directory") -> None:
    for email in ("admin@acme.test", "nobody@acme.test"):
        await refused(
            directory.stub.Login(rpc.LoginRequest(email=email, password="wrong-password")),
            grpc.StatusCode.UNAUTHENTICATED,
            "INVALID_CREDENTIALS",
        )


async def test_a_subsidiary_and_a_brand_are_created_and_read_back(directory: "Directory") -> None:
    france = await directory.subsidiary()
    assert france.time_zone == "Europe/Paris" and france.etag == "1"
    rival = await directory.stub.CreateBrand(
        rpc.CreateBrandRequest(
            parent=directory.tenant,
            brand=pb.Brand(
                subsidiary=france.name, display_name="Rival", kind=pb.BRAND_KIND_COMPETITOR
            ),
        ),
        metadata=directory.auth(),
    )
    brand = await directory.stub.CreateBrand(
        rpc.CreateBrandRequest(
            parent=directory.tenant,
            brand=pb.Brand(
                subsidiary=france.name,
                display_name="Café Lumière",
                kind=pb.BRAND_KIND_OWN,
                aliases=["Lumière", "Cafe Lumiere"],
                handles=[pb.SocialHandle(network="bluesky", handle="@lumiere.test")],
                competitors=[rival.name],
            ),
        ),
        metadata=directory.auth(),
    )
    read = await directory.stub.GetBrand(
        rpc.GetBrandRequest(name=brand.name), metadata=directory.auth()
    )
    assert read.display_name == "Café Lumière"
    assert list(read.competitors) == [rival.name]
    listed = await directory.stub.ListBrands(
        rpc.ListBrandsRequest(parent=directory.tenant, kind=pb.BRAND_KIND_OWN),
        metadata=directory.auth(),
    )
    assert [b.name for b in listed.brands] == [brand.name]
    both = await directory.stub.BatchGetBrands(
        rpc.BatchGetBrandsRequest(parent=directory.tenant, names=[rival.name, brand.name]),
        metadata=directory.auth(),
    )
    assert [b.name for b in both.brands] == [rival.name, brand.name]


async def test_lists_are_paginated_with_opaque_tokens(directory: "Directory") -> None:
    created = [await directory.subsidiary(f"Sub {i}") for i in range(5)]
    seen: list[str] = []
    token = ""
    while True:
        page = await directory.stub.ListSubsidiaries(
            rpc.ListSubsidiariesRequest(parent=directory.tenant, page_size=2, page_token=token),
            metadata=directory.auth(),
        )
        seen += [s.name for s in page.subsidiaries]
        token = page.next_page_token
        if not token:
            break
    assert seen == [s.name for s in created]


async def test_a_retried_create_with_the_same_request_id_creates_once(
    directory: "Directory",
) -> None:
    request = rpc.CreateSubsidiaryRequest(
        parent=directory.tenant,
        request_id="req-1",
        subsidiary=pb.Subsidiary(
            display_name="Deutschland", country="DE", locale="de-DE", time_zone="Europe/Berlin"
        ),
    )
    first = await directory.stub.CreateSubsidiary(request, metadata=directory.auth())
    second = await directory.stub.CreateSubsidiary(request, metadata=directory.auth())
    assert first.name == second.name
    listed = await directory.stub.ListSubsidiaries(
        rpc.ListSubsidiariesRequest(parent=directory.tenant), metadata=directory.auth()
    )
    assert len(listed.subsidiaries) == 1


async def test_an_update_with_a_stale_etag_is_aborted(directory: "Directory") -> None:
    france = await directory.subsidiary()
    renamed = await directory.stub.UpdateSubsidiary(
        rpc.UpdateSubsidiaryRequest(
            subsidiary=pb.Subsidiary(name=france.name, display_name="France SAS", etag="1"),
            update_mask=FieldMask(paths=["display_name"]),
        ),
        metadata=directory.auth(),
    )
    assert renamed.display_name == "France SAS" and renamed.time_zone == "Europe/Paris"
    await refused(
        directory.stub.UpdateSubsidiary(
            rpc.UpdateSubsidiaryRequest(
                subsidiary=pb.Subsidiary(name=france.name, display_name="Again", etag="1"),
                update_mask=FieldMask(paths=["display_name"]),
            ),
            metadata=directory.auth(),
        ),
        grpc.StatusCode.ABORTED,
        "ETAG_MISMATCH",
    )


async def test_a_community_manager_cannot_do_what_only_a_social_media_manager_may(
    directory: "Directory",
) -> None:
    france = await directory.subsidiary()
    cm = await directory.member("cm@acme.test", (pb.ROLE_COMMUNITY_MANAGER, france.name))
    smm = await directory.member("smm@acme.test", (pb.ROLE_SOCIAL_MEDIA_MANAGER, france.name))
    create = rpc.CreateBrandRequest(
        parent=directory.tenant,
        brand=pb.Brand(subsidiary=france.name, display_name="Lumière", kind=pb.BRAND_KIND_OWN),
    )
    await refused(
        directory.stub.CreateBrand(create, metadata=directory.auth(cm)),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )
    brand = await directory.stub.CreateBrand(create, metadata=directory.auth(smm))
    # ...and the community manager may still read it.
    read = await directory.stub.GetBrand(
        rpc.GetBrandRequest(name=brand.name), metadata=directory.auth(cm)
    )
    assert read.name == brand.name


async def test_a_member_of_one_subsidiary_does_not_see_another_subsidiarys_brands(
    directory: "Directory",
) -> None:
    france = await directory.subsidiary("France")
    brazil = await directory.subsidiary("Brasil", "America/Sao_Paulo")
    brand = await directory.stub.CreateBrand(
        rpc.CreateBrandRequest(
            parent=directory.tenant,
            brand=pb.Brand(subsidiary=brazil.name, display_name="Luz", kind=pb.BRAND_KIND_OWN),
        ),
        metadata=directory.auth(),
    )
    analyst = await directory.member("analyst@acme.test", (pb.ROLE_ANALYST, france.name))
    await refused(
        directory.stub.GetBrand(
            rpc.GetBrandRequest(name=brand.name), metadata=directory.auth(analyst)
        ),
        grpc.StatusCode.NOT_FOUND,
    )
    listed = await directory.stub.ListBrands(
        rpc.ListBrandsRequest(parent=directory.tenant), metadata=directory.auth(analyst)
    )
    assert list(listed.brands) == []
    subsidiaries = await directory.stub.ListSubsidiaries(
        rpc.ListSubsidiariesRequest(parent=directory.tenant), metadata=directory.auth(analyst)
    )
    assert [s.name for s in subsidiaries.subsidiaries] == [france.name]


async def test_a_social_media_manager_cannot_make_a_group_admin(directory: "Directory") -> None:
    france = await directory.subsidiary()
    smm = await directory.member("smm@acme.test", (pb.ROLE_SOCIAL_MEDIA_MANAGER, france.name))
    await refused(
        directory.stub.CreateMember(
            rpc.CreateMemberRequest(
                parent=directory.tenant,
                member=pb.Member(
                    email="x@acme.test",
                    display_name="X",
                    roles=[pb.RoleGrant(role=pb.ROLE_GROUP_ADMIN)],
                ),
                password="long-enough-1",
            ),
            metadata=directory.auth(smm),
        ),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_GRANT_REFUSED",
    )


# Tokens ------------------------------------------------------------------------------------


def forged(
    directory: "Directory",
    key: SigningKey,
    ttl: timedelta,
    tenant: str | None = None,
    audience: str = "vigie",
) -> str:
    issuer = TokenIssuer(key, "vigie-directory", audience)
    principal = Principal(
        subject=f"{tenant or directory.tenant}/members/01aaaaaaaaaaaaaaaaaaaaaaaa",
        tenant=(tenant or directory.tenant).split("/")[1],
        grants=(RoleGrant(Role.GROUP_ADMIN),),
    )
    return issuer.issue(principal, ttl)[0]


async def test_calls_without_a_token_are_refused(directory: "Directory") -> None:
    await refused(
        directory.stub.ListBrands(rpc.ListBrandsRequest(parent=directory.tenant)),
        grpc.StatusCode.UNAUTHENTICATED,
        "TOKEN_MISSING",
    )


@pytest.mark.parametrize(
    ("token_kind", "reason"),
    [
        ("expired", "TOKEN_EXPIRED"),
        ("other_key", "TOKEN_KEY_UNKNOWN"),
        ("other_audience", "TOKEN_AUDIENCE_REFUSED"),
        ("garbage", "TOKEN_MALFORMED"),
        ("alg_none", "TOKEN_ALGORITHM_REFUSED"),
    ],
)
async def test_bad_tokens_are_refused_with_their_reason(
    directory: "Directory", token_kind: str, reason: str
) -> None:
    own_key = load_or_create_signing_key(directory.settings.signing_key_file, create=False)
    token = {
        "expired": lambda: forged(directory, own_key, timedelta(minutes=-5)),
        "other_key": lambda: forged(directory, SigningKey.generate(), timedelta(minutes=5)),
        "other_audience": lambda: forged(
            directory, own_key, timedelta(minutes=5), audience="elsewhere"
        ),
        "garbage": lambda: "not-a-jwt",
        "alg_none": lambda: "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4In0.",
    }[token_kind]()
    await refused(
        directory.stub.ListBrands(
            rpc.ListBrandsRequest(parent=directory.tenant), metadata=directory.auth(token)
        ),
        grpc.StatusCode.UNAUTHENTICATED,
        reason,
    )


async def test_a_token_of_another_tenant_sees_nothing_of_this_one(directory: "Directory") -> None:
    france = await directory.subsidiary()
    own_key = load_or_create_signing_key(directory.settings.signing_key_file, create=False)
    stranger = forged(
        directory, own_key, timedelta(minutes=5), tenant="tenants/01zzzzzzzzzzzzzzzzzzzzzzzz"
    )
    await refused(
        directory.stub.GetSubsidiary(
            rpc.GetSubsidiaryRequest(name=france.name), metadata=directory.auth(stranger)
        ),
        grpc.StatusCode.NOT_FOUND,
    )
    await refused(
        directory.stub.ListSubsidiaries(
            rpc.ListSubsidiariesRequest(parent=directory.tenant), metadata=directory.auth(stranger)
        ),
        grpc.StatusCode.NOT_FOUND,
    )
