"""A gRPC client of a publisher served for the test: callers of any role and tenant, refusals
checked by their reason."""

from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import publisher_pb2_grpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.bootstrap import build
from vigie_publisher.config import Settings
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.principal import Role
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys, bearer

from .conftest import BRAND_NAME, FRANCE, TENANT, account_source

Stub = publisher_pb2_grpc.PublisherServiceStub


class Api:
    def __init__(self, stub: Stub, keys: TestKeys) -> None:
        self.stub, self.keys = stub, keys

    def as_(self, role: Role, member: str = "m1", tenant: str = TENANT) -> Any:
        where = None if role is Role.GROUP_ADMIN else FRANCE
        subject = f"tenants/{tenant}/members/{member}"
        return bearer(self.keys.token(tenant, (role, where), subject=subject))


async def serve_api(db_settings: Settings) -> AsyncIterator[Api]:
    keys = TestKeys(db_settings.platform.jwks_file)
    async with (
        serving(build(db_settings)) as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        yield Api(Stub(channel), keys)


async def refused(call: Any, code: grpc.StatusCode, reason: str) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    assert caught.value.code() == code, caught.value.details()
    info = error_info(caught.value)
    assert info is not None and info.reason == reason, caught.value.details()


async def account(api: Api) -> str:
    created = await api.stub.CreateSocialAccount(
        rpc.CreateSocialAccountRequest(
            parent=BRAND_NAME,
            social_account=account_source(pb.NETWORK_X, "@lumiere"),  # type: ignore[arg-type]
        ),
        metadata=api.as_(Role.SOCIAL_MEDIA_MANAGER),
    )
    assert created.credentials_set and not created.HasField("credentials")
    return created.name


def post(accounts: list[str], text: str = "Bonjour", **media: Any) -> pb.Post:
    variant = pb.PostVariant(network=pb.NETWORK_X, text=text)
    if media:
        variant.media.append(pb.Media(**media))
    return pb.Post(social_accounts=accounts, variants=[variant])
