"""Bad input on every listener RPC written so far (taken from the service descriptor): empty,
oversized, garbage and unknown-id requests get a refusal with a reason, never INTERNAL."""

import grpc
import pytest
from google.protobuf import descriptor_pb2
from google.protobuf.message import Message
from vigie.listener.v1 import listener_pb2
from vigie_listener.testing import TENANT, Listener
from vigie_runtime.grpc_errors import error_info

SERVICE = listener_pb2.DESCRIPTOR.services_by_name["ListenerService"]
# IngestMentions streams (its own tests).
NOT_COVERED = {"IngestMentions"}
# Methods that legitimately answer a request with only odd text in it (a query is text).
ANSWERS = {"ValidateQuery": {"empty", "oversized", "garbage", "unknown"}}


def _fill(message: Message, text: str) -> Message:
    for field in message.DESCRIPTOR.fields:
        if field.type == descriptor_pb2.FieldDescriptorProto.TYPE_STRING:
            if field.is_repeated:
                getattr(message, field.name).extend([text, text])
            else:
                setattr(message, field.name, text)
        elif (
            field.type == descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE
            and not field.is_repeated
            and field.message_type.full_name.startswith("vigie.")
        ):
            _fill(getattr(message, field.name), text)
    return message


def _request(method_name: str, shape: str) -> Message:
    method = SERVICE.methods_by_name[method_name]
    request = listener_pb2.__dict__[method.input_type.name]()
    if shape == "empty":
        return request  # type: ignore[no-any-return]
    if shape == "oversized":
        return _fill(request, "x" * 100_000)
    if shape == "garbage":
        return _fill(request, "../../etc/passwd\x00\u202e")
    return _fill(request, f"tenants/{TENANT}/brands/01aaaaaaaaaaaaaaaaaaaaaaaa")


@pytest.mark.parametrize("method_name", sorted(set(SERVICE.methods_by_name) - NOT_COVERED))
async def test_every_rpc_refuses_bad_input_with_a_reason(
    listener: Listener, method_name: str
) -> None:
    call = getattr(listener.stub, method_name)
    for shape in ("empty", "oversized", "garbage", "unknown"):
        try:
            await call(_request(method_name, shape), metadata=listener.admin())
        except grpc.aio.AioRpcError as error:
            assert error.code() not in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN), (
                shape,
                error.details(),
            )
            info = error_info(error)
            assert info is not None and info.reason, f"{method_name} refused {shape} blankly"
            continue
        assert shape in ANSWERS.get(method_name, set()), f"{method_name} accepted {shape}"
