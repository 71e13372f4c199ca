"""Partner clients: a secret shown once, tokens scoped to brands and verbs, revocation."""

from typing import TYPE_CHECKING

import grpc
import pytest
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import resources_pb2 as pb
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.principal import PrincipalKind
from vigie_runtime.tokens import TokenVerifier

if TYPE_CHECKING:
    from conftest import Directory


async def _brand(directory: "Directory") -> str:
    france = await directory.subsidiary()
    brand = await directory.stub.CreateBrand(
        rpc.CreateBrandRequest(
            parent=directory.tenant,
            brand=pb.Brand(subsidiary=france.name, display_name="Lumière", kind=pb.BRAND_KIND_OWN),
        ),
        metadata=directory.auth(),
    )
    return brand.name


async def test_a_partner_token_carries_its_scopes_and_brands_until_the_client_is_revoked(
    directory: "Directory",
) -> None:
    brand = await _brand(directory)
    created = await directory.stub.CreatePartnerClient(
        rpc.CreatePartnerClientRequest(
            parent=directory.tenant,
            partner_client=pb.PartnerClient(
                display_name="Agence", brands=[brand], scopes=["mentions.ingest"]
            ),
        ),
        metadata=directory.auth(),
    )
    assert created.client_secret
    issued = await directory.stub.IssuePartnerToken(
        rpc.IssuePartnerTokenRequest(
            client_id=created.partner_client.client_id, client_secret=created.client_secret
        )
    )
    verifier = TokenVerifier.from_file(
        directory.settings.platform.jwks_file, "vigie-directory", "vigie"
    )
    principal = verifier.verify(issued.token)
    assert principal.kind is PrincipalKind.PARTNER
    assert principal.scopes == {"mentions.ingest"} and principal.brands == {brand}
    await directory.stub.RevokePartnerClient(
        rpc.RevokePartnerClientRequest(name=created.partner_client.name), metadata=directory.auth()
    )
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await directory.stub.IssuePartnerToken(
            rpc.IssuePartnerTokenRequest(
                client_id=created.partner_client.client_id, client_secret=created.client_secret
            )
        )
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    info = error_info(refused.value)
    assert info is not None and info.reason == "INVALID_CLIENT"


async def test_a_partner_client_needs_known_scopes_and_brands_of_this_tenant(
    directory: "Directory",
) -> None:
    brand = await _brand(directory)
    for client in (
        pb.PartnerClient(display_name="A", brands=[brand], scopes=["everything"]),
        pb.PartnerClient(display_name="B", brands=[], scopes=["mentions.ingest"]),
        pb.PartnerClient(display_name="C", brands=[brand + "x"], scopes=["mentions.ingest"]),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await directory.stub.CreatePartnerClient(
                rpc.CreatePartnerClientRequest(parent=directory.tenant, partner_client=client),
                metadata=directory.auth(),
            )
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
