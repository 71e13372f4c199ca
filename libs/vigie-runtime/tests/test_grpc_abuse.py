"""Abuse refused at the server's door: a flood of calls from one token (RESOURCE_EXHAUSTED,
reason RATE_LIMITED, with RetryInfo) while another tenant's caller and a user are still served,
a partner client's bucket being tighter than a user's; and a message over the servers' size
limit (RESOURCE_EXHAUSTED from the transport, before any of it is parsed)."""

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from google.protobuf.wrappers_pb2 import StringValue
from google.rpc import error_details_pb2, status_pb2
from vigie_runtime.call_limits import CallLimits, CallLimitSettings
from vigie_runtime.grpc_client import bearer
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.grpc_server import MAX_MESSAGE_BYTES, GrpcServer, ServiceRegistration
from vigie_runtime.principal import Role
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.tokens import TokenVerifier

PING = "/test.Echo/Ping"


async def _ping(request: StringValue, _context: grpc.aio.ServicerContext) -> StringValue:
    return StringValue(value=request.value)


def _echo(server: grpc.aio.Server) -> None:
    handler = grpc.unary_unary_rpc_method_handler(
        _ping, StringValue.FromString, StringValue.SerializeToString
    )
    server.add_generic_rpc_handlers(
        [grpc.method_handlers_generic_handler("test.Echo", {"Ping": handler})]
    )


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[grpc.aio.Channel, TestKeys]]:
    keys = TestKeys(tmp_path / "jwks.json")
    verifier = TokenVerifier.from_file(tmp_path / "jwks.json", "vigie-directory", "vigie")
    # Burst and rate far below the defaults, so that a handful of calls shows the limit.
    limits = CallLimits(
        CallLimitSettings(
            user_calls_per_second=0.01, user_calls_burst=5,
            partner_calls_per_second=0.01, partner_calls_burst=2,
        )
    )  # fmt: skip
    server = GrpcServer([ServiceRegistration("test.Echo", _echo)], verifier, "127.0.0.1:0", limits)
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}")
    try:
        yield channel, keys
    finally:
        await channel.close()
        await server.stop(0)


async def _call(channel: grpc.aio.Channel, token: str) -> grpc.StatusCode:
    ping = channel.unary_unary(PING, StringValue.SerializeToString, StringValue.FromString)
    try:
        await ping(StringValue(value="hi"), metadata=bearer(token), timeout=10)
    except grpc.aio.AioRpcError as error:
        return error.code()
    return grpc.StatusCode.OK


async def test_a_partner_flood_is_refused_with_a_reason_and_retry_info(
    served: tuple[grpc.aio.Channel, TestKeys],
) -> None:
    channel, keys = served
    flooder = keys.partner_token("acme", {"mentions.ingest"}, {"tenants/acme/brands/b1"})
    codes = [await _call(channel, flooder) for _ in range(4)]
    assert codes == [grpc.StatusCode.OK] * 2 + [grpc.StatusCode.RESOURCE_EXHAUSTED] * 2

    ping = channel.unary_unary(PING, StringValue.SerializeToString, StringValue.FromString)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await ping(StringValue(value="hi"), metadata=bearer(flooder), timeout=10)
    info = error_info(refused.value)
    assert info is not None and info.reason == "RATE_LIMITED"
    assert int(info.metadata["retry_after_seconds"]) >= 1
    details = dict(refused.value.trailing_metadata() or ())["grpc-status-details-bin"]
    retry = error_details_pb2.RetryInfo()
    assert any(d.Unpack(retry) for d in status_pb2.Status.FromString(details).details)
    assert retry.retry_delay.seconds >= 1

    # Another tenant's partner, and a user of the flooder's own tenant, are still served.
    other = keys.partner_token("globex", {"mentions.ingest"}, {"tenants/globex/brands/b1"})
    assert await _call(channel, other) == grpc.StatusCode.OK
    user = keys.token("acme", (Role.GROUP_ADMIN, None))
    assert await _call(channel, user) == grpc.StatusCode.OK


async def test_a_user_has_a_larger_bucket_than_a_partner(
    served: tuple[grpc.aio.Channel, TestKeys],
) -> None:
    channel, keys = served
    user = keys.token("acme", (Role.ANALYST, None))
    codes = [await _call(channel, user) for _ in range(6)]
    assert codes == [grpc.StatusCode.OK] * 5 + [grpc.StatusCode.RESOURCE_EXHAUSTED]


async def test_a_message_over_the_size_limit_is_refused_and_the_server_goes_on(
    served: tuple[grpc.aio.Channel, TestKeys],
) -> None:
    channel, keys = served
    ping = channel.unary_unary(PING, StringValue.SerializeToString, StringValue.FromString)
    token = keys.token("acme", (Role.ANALYST, None))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        huge = StringValue(value="x" * (MAX_MESSAGE_BYTES + 1))
        await ping(huge, metadata=bearer(token), timeout=30)
    assert refused.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert await _call(channel, token) == grpc.StatusCode.OK
