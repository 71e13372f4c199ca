"""Every gRPC method the running services serve, found by server reflection, and a way to call
any of them with a message built from its descriptor."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.descriptor import Descriptor, MethodDescriptor
from google.rpc import error_details_pb2, status_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

# Plumbing every server has: not part of the product's API.
PLUMBING = ("grpc.health.v1.", "grpc.reflection.")


@dataclass(frozen=True)
class Method:
    target: str  # host:port
    service: str  # full name, e.g. vigie.directory.v1.DirectoryService
    descriptor: MethodDescriptor

    @property
    def name(self) -> str:
        return self.descriptor.name

    @property
    def path(self) -> str:
        return f"/{self.service}/{self.name}"

    @property
    def input(self) -> Descriptor:
        return self.descriptor.input_type

    def new_request(self) -> Any:
        return message_factory.GetMessageClass(self.descriptor.input_type)()


def _reflect(target: str) -> list[Method]:
    with grpc.insecure_channel(target) as channel:
        database = ProtoReflectionDescriptorDatabase(channel)
        pool = descriptor_pool.DescriptorPool(database)
        methods = []
        for service in database.get_services():
            if service.startswith(PLUMBING):
                continue
            described = pool.FindServiceByName(service)
            methods += [Method(target, service, m) for m in described.methods]
        return methods


async def reflect(targets: dict[str, str]) -> list[Method]:
    """The methods of every service behind `targets`, one entry per (server, method).

    Reflection's client is blocking: it runs in a thread so the in-process servers keep serving.
    """
    found = await asyncio.gather(*(asyncio.to_thread(_reflect, t) for t in targets.values()))
    return [m for methods in found for m in methods]


@dataclass(frozen=True)
class Answer:
    code: grpc.StatusCode
    text: str  # the response, or the status details and trailing metadata, as text
    reason: str  # the ErrorInfo reason when refused


# Long enough for a password hash (Login, IssuePartnerToken) queued behind the matrix's other
# calls on a loaded 2-core machine; a hang still shows as DEADLINE_EXCEEDED.
DEADLINE_SECONDS = 60


async def call(channel: grpc.aio.Channel, method: Method, request: Any, metadata: Any) -> Answer:
    response_class = message_factory.GetMessageClass(method.descriptor.output_type)
    serialize, parse = (lambda m: m.SerializeToString()), response_class.FromString
    try:
        if method.descriptor.client_streaming:
            stub = channel.stream_unary(method.path, serialize, parse)

            async def one() -> AsyncIterator[Any]:
                yield request

            reply = await stub(one(), metadata=metadata, timeout=DEADLINE_SECONDS)
            return Answer(grpc.StatusCode.OK, str(reply), "")
        if method.descriptor.server_streaming:
            stream = channel.unary_stream(method.path, serialize, parse)
            items = [
                str(item)
                async for item in stream(request, metadata=metadata, timeout=DEADLINE_SECONDS)
            ]
            return Answer(grpc.StatusCode.OK, "\n".join(items), "")
        unary = channel.unary_unary(method.path, serialize, parse)
        reply = await unary(request, metadata=metadata, timeout=DEADLINE_SECONDS)
        return Answer(grpc.StatusCode.OK, str(reply), "")
    except grpc.aio.AioRpcError as error:
        trailing = error.trailing_metadata() or ()
        text = f"{error.details()} {[(k, v) for k, v in trailing]}"
        return Answer(error.code(), text, _reason(trailing))


def _reason(trailing: Any) -> str:
    for key, value in trailing:
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                info = error_details_pb2.ErrorInfo()
                if detail.Unpack(info):
                    return str(info.reason)
    return ""
