"""A directory served in-process on a throw-away database, with a bootstrapped tenant."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import directory_pb2_grpc
from vigie.directory.v1 import resources_pb2 as pb
from vigie_directory.bootstrap import build
from vigie_directory.config import Settings
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.testing.services import serving


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
