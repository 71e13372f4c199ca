"""A directory served in-process on a throw-away database, with a bootstrapped tenant."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import directory_pb2_grpc
from vigie.directory.v1 import resources_pb2 as pb
from vigie_directory.app import organizations
from vigie_directory.bootstrap import build
from vigie_directory.config import Settings
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.services import serving

ADMIN_PASSWORD = "admin-password-1"


@dataclass
class Directory:
    stub: directory_pb2_grpc.DirectoryServiceStub
    channel: grpc.aio.Channel
    tenant: str
    admin_token: str
    settings: Settings

    def auth(self, token: str | None = None) -> tuple[tuple[str, str], ...]:
        return bearer(token or self.admin_token)

    async def login(self, email: str, password: str) -> str:
        return (await self.stub.Login(rpc.LoginRequest(email=email, password=password))).token

    async def subsidiary(self, name: str = "France", zone: str = "Europe/Paris") -> pb.Subsidiary:
        return await self.stub.CreateSubsidiary(
            rpc.CreateSubsidiaryRequest(
                parent=self.tenant,
                subsidiary=pb.Subsidiary(
                    display_name=name,
                    country="FR",
                    locale="fr-FR",
                    time_zone=zone,
                    data_region="eu",
                ),
            ),
            metadata=self.auth(),
        )

    async def member(self, email: str, *grants: tuple[int, str]) -> str:
        """Creates a member with these (role, subsidiary) grants and returns their token."""
        await self.stub.CreateMember(
            rpc.CreateMemberRequest(
                parent=self.tenant,
                member=pb.Member(
                    email=email,
                    display_name=email.split("@", maxsplit=1)[0],
                    roles=[pb.RoleGrant(role=r, subsidiary=s) for r, s in grants],
                ),
                password="member-password-1",
            ),
            metadata=self.auth(),
        )
        return await self.login(email, "member-password-1")


async def bootstrap_tenant(settings: Settings, name: str, email: str) -> str:
    spec = build(settings)
    try:
        async with spec.plumbing.uow() as uow:
            organization, _ = await organizations.bootstrap(uow, name, email, ADMIN_PASSWORD)
            await uow.commit()
        return f"tenants/{organization.id}"
    finally:
        await spec.plumbing.close()


def directory_settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        grpc_address="127.0.0.1:0",
        signing_key_file=tmp_path / "keys" / "signing-key.pem",
        platform=PlatformSettings(jwks_file=tmp_path / "keys" / "jwks.json", environment="test"),
    )


@pytest.fixture
async def directory(tmp_path: Path, database_url: str) -> AsyncIterator[Directory]:
    settings = directory_settings(tmp_path, database_url)
    async with serving(build(settings)) as host:
        tenant = await bootstrap_tenant(settings, "Acme Group", "admin@acme.test")
        channel = open_channel(f"127.0.0.1:{host.grpc_port}")
        stub = directory_pb2_grpc.DirectoryServiceStub(channel)
        token = (
            await stub.Login(rpc.LoginRequest(email="admin@acme.test", password=ADMIN_PASSWORD))
        ).token
        try:
            yield Directory(stub, channel, tenant, token, settings)
        finally:
            await channel.close()
