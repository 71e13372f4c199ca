"""Bad input on every directory RPC (taken from the service descriptor, so a new method is covered
without editing this test): empty, oversized, wrong-shaped and unknown-id requests get a clear
refusal with a reason — never INTERNAL, never UNKNOWN."""

from typing import TYPE_CHECKING

import grpc
import pytest
from google.protobuf import descriptor_pb2
from google.protobuf.message import Message
from vigie.directory.v1 import directory_pb2
from vigie_runtime.grpc_errors import error_info

if TYPE_CHECKING:
    from conftest import Directory

SERVICE = directory_pb2.DESCRIPTOR.services_by_name["DirectoryService"]
# Methods that legitimately succeed on an empty request.
ANSWERS_EMPTY = {"GetJwks", "GetCurrentMember"}


def _fill(message: Message, text: str) -> Message:
    """Every string field (recursively) set to `text`; every repeated string gets two of them."""
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


def _request(method_name: str, shape: str, tenant: str) -> Message:
    method = SERVICE.methods_by_name[method_name]
    request_class = directory_pb2.__dict__.get(method.input_type.name)
    assert request_class is not None
    request = request_class()
    if shape == "empty":
        return request
    if shape == "oversized":
        return _fill(request, "x" * 100_000)
    if shape == "garbage":
        return _fill(request, "../../etc/passwd\x00\u202e")
    # Unknown ids in the caller's own tenant.
    return _fill(request, f"{tenant}/brands/01aaaaaaaaaaaaaaaaaaaaaaaa")


@pytest.mark.parametrize("method_name", sorted(SERVICE.methods_by_name))
async def test_every_rpc_refuses_bad_input_with_a_reason(
    directory: "Directory", method_name: str
) -> None:
    call = getattr(directory.stub, method_name)
    for shape in ("empty", "oversized", "garbage", "unknown"):
        if shape == "empty" and method_name in ANSWERS_EMPTY:
            continue
        try:
            await call(_request(method_name, shape, directory.tenant), metadata=directory.auth())
        except grpc.aio.AioRpcError as error:
            assert error.code() not in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN), (
                shape,
                error.details(),
            )
            info = error_info(error)
            assert info is not None and info.reason, (
                f"{method_name} refused {shape} without a reason"
            )
            assert "Traceback" not in (error.details() or "")
            continue
        assert method_name in ANSWERS_EMPTY, f"{method_name} accepted a {shape} request"
