"""Two groups made through the services' gRPC APIs, the way a front end or a partner would:
tenant A with subsidiaries A1 and A2, tenant B with one subsidiary, each holding one of every
kind of resource the services have, and the principals that attack across the boundaries.

Every text of a scope carries that scope's marker (`MARKERS`), so a leak is visible as a string
anywhere in a response."""

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.directory.v1 import directory_pb2 as dpb
from vigie.directory.v1 import directory_pb2_grpc as dgrpc
from vigie.directory.v1 import resources_pb2 as dres
from vigie.listener.v1 import listener_pb2_grpc as lgrpc
from vigie.partnerships.v1 import partnerships_pb2_grpc as pgrpc
from vigie.publisher.v1 import publisher_pb2_grpc as ugrpc
from vigie.reputation.v1 import reports_pb2_grpc as repgrpc
from vigie.reputation.v1 import reputation_pb2_grpc as rgrpc
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant
from vigie_runtime.testing.waiting import eventually

from tests.security.platform import Platform

T = TypeVar("T")
PASSWORD = "member-password-1"
# Scope -> the word every text of that scope carries. A1 is the attackers' own subsidiary.
MARKERS = {"A1": "xrayalpha", "A2": "yankeealpha", "B": "zulubravo"}
# The word in the texts of what a group shares across its subsidiaries (see attacks.TENANT_WIDE).
SHARED = {"A1": "alphagroup", "A2": "alphagroup", "B": "zulubravo"}
PARTNER_SCOPES = ["mentions.ingest", "mentions.read", "creators.import", "creators.read",
                  "conversions.report", "results.read"]  # fmt: skip


@dataclass
class Scope:
    """One subsidiary's resources: kind (the collection in resource names) -> names."""

    marker: str
    shared: str  # the marker of the tenant-wide resources made in this scope
    tenant: str = ""
    names: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, name: str) -> str:
        self.names.setdefault(kind, []).append(name)
        return name

    def first(self, kind: str) -> str:
        return self.names[kind][0]


@dataclass
class World:
    scopes: dict[str, Scope]  # "A1", "A2", "B"
    tokens: dict[str, str]  # principal -> bearer token
    revoked_partner_token: str = ""
    revoked_partner: tuple[str, str] = ("", "")  # client id and secret, revoked

    def texts_of(self, *scopes: str) -> list[str]:
        """What must never appear in a response to someone outside those scopes."""
        return [self.scopes[s].marker for s in scopes]

    def names_of(self, *scopes: str) -> set[str]:
        return {n for s in scopes for names in self.scopes[s].names.values() for n in names}


def stamp(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


async def until_known(call: Callable[[], Awaitable[T]]) -> T:
    """Retries while the service has not yet heard of a brand created in the directory."""
    result: list[T] = []
    last: list[str] = []

    async def done() -> bool:
        try:
            result.append(await call())
        except grpc.aio.AioRpcError as error:
            if error.code() not in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
                raise
            last.append(f"{error.code().name}: {error.details()}")
            return False
        return True

    try:
        await eventually(done, seconds=30)
    except AssertionError:
        raise AssertionError(f"still refused: {last[-1:]}") from None
    return result[0]


class Seeder:
    def __init__(self, platform: Platform, channels: dict[str, grpc.aio.Channel]) -> None:
        self.platform = platform
        self.directory = dgrpc.DirectoryServiceStub(channels["directory"])
        self.listener = lgrpc.ListenerServiceStub(channels["listener"])
        self.publisher = ugrpc.PublisherServiceStub(channels["publisher"])
        self.reputation = rgrpc.ReputationServiceStub(channels["reputation"])
        self.reports = repgrpc.ReportServiceStub(channels["reputation"])
        self.partnerships = pgrpc.PartnershipsServiceStub(channels["partnerships"])

    async def login(self, email: str, password: str) -> str:
        answer = await self.directory.Login(dpb.LoginRequest(email=email, password=password))
        return str(answer.token)

    async def tenant(self, name: str, email: str) -> tuple[str, str]:
        tenant = await bootstrap_tenant(self.platform.directory, name, email)
        return tenant, await self.login(email, ADMIN_PASSWORD)

    async def subsidiary(self, scope: Scope, admin: Any, country: str) -> str:
        made = await self.directory.CreateSubsidiary(
            dpb.CreateSubsidiaryRequest(parent=scope.tenant, subsidiary=dres.Subsidiary(
                display_name=f"Sub {scope.shared}", country=country, locale="fr-FR",
                time_zone="Europe/Paris", data_region="local")),
            metadata=admin,
        )  # fmt: skip
        return scope.add("subsidiaries", made.name)

    async def directory_kinds(self, scope: Scope, admin: Any) -> tuple[str, str]:
        """A subsidiary, its brand, and a member; returns (subsidiary, brand)."""
        subsidiary = await self.subsidiary(scope, admin, "FR")
        brand = await self.directory.CreateBrand(
            dpb.CreateBrandRequest(parent=scope.tenant, brand=dres.Brand(
                subsidiary=subsidiary, display_name=f"Brand {scope.marker}",
                kind=dres.BRAND_KIND_OWN, aliases=[scope.marker])),
            metadata=admin,
        )  # fmt: skip
        scope.add("brands", brand.name)
        await self.member(scope, admin, subsidiary, "viewer", dres.ROLE_ANALYST)
        return subsidiary, brand.name

    async def member(
        self, scope: Scope, admin: Any, subsidiary: str, who: str, role: "dres.Role.ValueType"
    ) -> str:
        email = f"{who}.{scope.marker}.{secrets.token_hex(3)}@vigie.test"
        made = await self.directory.CreateMember(
            dpb.CreateMemberRequest(parent=scope.tenant, password=PASSWORD, member=dres.Member(
                email=email, display_name=f"{who} {scope.marker}",
                roles=[dres.RoleGrant(role=role, subsidiary=subsidiary)])),
            metadata=admin,
        )  # fmt: skip
        scope.add("members", made.name)
        return email

    async def partner(self, scope: Scope, admin: Any, brand: str) -> tuple[str, str, str]:
        """A partner client of `brand`: (name, client id, secret)."""
        made = await self.directory.CreatePartnerClient(
            dpb.CreatePartnerClientRequest(parent=scope.tenant, partner_client=dres.PartnerClient(
                display_name=f"Agency {scope.marker}", brands=[brand], scopes=PARTNER_SCOPES)),
            metadata=admin,
        )  # fmt: skip
        scope.add("partnerClients", made.partner_client.name)
        return made.partner_client.name, made.partner_client.client_id, made.client_secret

    async def partner_token(self, client_id: str, secret: str) -> str:
        answer = await self.directory.IssuePartnerToken(
            dpb.IssuePartnerTokenRequest(client_id=client_id, client_secret=secret)
        )
        return str(answer.token)
