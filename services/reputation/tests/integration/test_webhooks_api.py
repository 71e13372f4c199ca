"""Webhooks over gRPC: bad input refused with its reason, secrets never returned, other
tenants' webhooks invisible, retries of a create idempotent."""

from typing import TYPE_CHECKING

import grpc
import pytest
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.principal import Role

if TYPE_CHECKING:
    from conftest import Reputation

TENANT = "t_acme"
SECRET = "a-shared-secret-of-32-characters"


def create(**fields: str) -> rpc.CreateWebhookRequest:
    values = {"display_name": "room", "url": "https://hooks.example/x", "secret": SECRET}
    values.update(fields)
    return rpc.CreateWebhookRequest(parent=f"tenants/{TENANT}", webhook=pb.Webhook(**values))


async def refused(call, code: grpc.StatusCode, reason: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    assert caught.value.code() == code, caught.value.details()
    info = error_info(caught.value)
    assert info is not None and info.reason == reason, info


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"url": "ftp://hooks.example/x"}, "INVALID_URL"),
        ({"url": ""}, "INVALID_URL"),
        ({"secret": "short"}, "WEAK_SECRET"),
        ({"display_name": ""}, "INVALID_ARGUMENT"),
        ({"subsidiary": "subsidiaries/france"}, "INVALID_ARGUMENT"),
    ],
)
async def test_a_bad_webhook_is_refused_with_its_reason(
    reputation: "Reputation", fields: dict[str, str], reason: str
) -> None:
    call = reputation.stub.CreateWebhook(create(**fields), metadata=reputation.admin(TENANT))
    await refused(call, grpc.StatusCode.INVALID_ARGUMENT, reason)


async def test_a_webhook_keeps_its_secret_and_a_retried_create_returns_the_first(
    reputation: "Reputation",
) -> None:
    stub, auth = reputation.stub, reputation.admin(TENANT)
    request = create()
    request.request_id = "retry-1"
    first = await stub.CreateWebhook(request, metadata=auth)
    again = await stub.CreateWebhook(request, metadata=auth)
    assert first.name == again.name and first.secret == "" and first.secret_set
    listed = await stub.ListWebhooks(
        rpc.ListWebhooksRequest(parent=f"tenants/{TENANT}"), metadata=auth
    )
    assert [w.name for w in listed.webhooks] == [first.name]


async def test_another_tenant_cannot_see_or_delete_a_webhook(reputation: "Reputation") -> None:
    stub = reputation.stub
    made = await stub.CreateWebhook(create(), metadata=reputation.admin(TENANT))
    other = reputation.admin("t_other")
    await refused(
        stub.GetWebhook(rpc.GetWebhookRequest(name=made.name), metadata=other),
        grpc.StatusCode.NOT_FOUND,
        "WEBHOOK_NOT_FOUND",
    )
    await refused(
        stub.DeleteWebhook(rpc.DeleteWebhookRequest(name=made.name), metadata=other),
        grpc.StatusCode.NOT_FOUND,
        "WEBHOOK_NOT_FOUND",
    )
    await refused(
        stub.ListWebhooks(rpc.ListWebhooksRequest(parent=f"tenants/{TENANT}"), metadata=other),
        grpc.StatusCode.NOT_FOUND,
        "TENANT_NOT_FOUND",
    )


async def test_an_analyst_may_not_create_a_webhook(reputation: "Reputation") -> None:
    analyst = reputation.as_role(TENANT, Role.ANALYST)
    await refused(
        reputation.stub.CreateWebhook(create(), metadata=analyst),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )
