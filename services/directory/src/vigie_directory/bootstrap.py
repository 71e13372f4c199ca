"""Composition root of the directory: settings, keys, plumbing, handlers, gRPC services."""

from datetime import timedelta

from vigie.directory.v1 import directory_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.host import Plumbing, ServiceSpec
from vigie_runtime.ops_servicer import operations_registration
from vigie_runtime.tokens import TokenIssuer, load_or_create_signing_key, write_jwks

from vigie_directory.adapters.orm import RUNTIME_TABLES
from vigie_directory.config import Settings
from vigie_directory.entrypoints.grpc.servicer import PUBLIC_METHODS, DirectoryServicer

MIGRATIONS = "vigie_directory:migrations"


def build(settings: Settings | None = None) -> ServiceSpec:
    settings = settings or Settings()
    platform = settings.platform
    development = platform.environment != "production"
    key = load_or_create_signing_key(settings.signing_key_file, create=development)
    if development:
        # Every local process verifies tokens against this file; production mounts it.
        write_jwks(platform.jwks_file, [key])
    plumbing = Plumbing("directory", settings, RUNTIME_TABLES)
    issuer = TokenIssuer(key, platform.token_issuer, platform.token_audience)
    servicer = DirectoryServicer(
        plumbing.uow,
        issuer,
        [key],
        user_ttl=timedelta(minutes=settings.user_token_minutes),
        partner_ttl=timedelta(minutes=settings.partner_token_minutes),
    )
    registrations = [
        ServiceRegistration(
            "vigie.directory.v1.DirectoryService",
            lambda server: directory_pb2_grpc.add_DirectoryServiceServicer_to_server(
                servicer, server
            ),
            PUBLIC_METHODS,
        ),
        operations_registration(plumbing, []),
    ]
    return ServiceSpec("directory", plumbing, MIGRATIONS, registrations)
