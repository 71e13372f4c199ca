"""Every service's gRPC server answers server reflection (grpcurl, and tests/security, which
builds its isolation matrix from it): the services it serves and their methods' messages."""

import asyncio
from pathlib import Path

import grpc
from google.protobuf import descriptor_pool
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)
from vigie_runtime.grpc_server import GrpcServer
from vigie_runtime.ops_servicer import operations_registration
from vigie_runtime.tokens import TokenVerifier


def _described(target: str) -> tuple[list[str], dict[str, str]]:
    """The services listed, and each OperationsService method's input message."""
    with grpc.insecure_channel(target) as channel:
        database = ProtoReflectionDescriptorDatabase(channel)
        services = list(database.get_services())
        service = descriptor_pool.DescriptorPool(database).FindServiceByName(
            "vigie.ops.v1.OperationsService"
        )
        return services, {m.name: m.input_type.full_name for m in service.methods}


async def test_the_server_describes_its_services_by_reflection(tmp_path: Path) -> None:
    verifier = TokenVerifier.from_file(tmp_path / "jwks.json", "vigie-directory", "vigie")
    registration = operations_registration(None, [])  # type: ignore[arg-type]  # not called
    server = GrpcServer([registration], verifier, "127.0.0.1:0")
    await server.start()
    try:
        services, methods = await asyncio.to_thread(_described, f"127.0.0.1:{server.port}")
    finally:
        await server.stop(0)
    assert set(services) == {
        "vigie.ops.v1.OperationsService",
        "grpc.health.v1.Health",
        "grpc.reflection.v1alpha.ServerReflection",
    }
    assert methods["ListDeadLetters"] == "vigie.ops.v1.ListDeadLettersRequest"
