"""DirectoryService over gRPC: request -> handler (which owns the transaction) -> response."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeAlias

import grpc
from google.protobuf.empty_pb2 import Empty
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import directory_pb2_grpc
from vigie.directory.v1 import resources_pb2 as pb
from vigie_runtime.principal import current_principal
from vigie_runtime.tokens import SigningKey, TokenIssuer, jwks_document
from vigie_runtime.uow import Transactions, UnitOfWork

from vigie_directory.app import (
    brands,
    members,
    organizations,
    partner_clients,
    sessions,
    subsidiaries,
    views,
)

Context: TypeAlias = grpc.aio.ServicerContext


def _stamp(moment: Any) -> Timestamp:
    return views.stamp(moment)


class DirectoryServicer(Transactions, directory_pb2_grpc.DirectoryServiceServicer):
    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        issuer: TokenIssuer,
        keys: list[SigningKey],
        user_ttl: timedelta,
        partner_ttl: timedelta,
    ) -> None:
        self._uow = uow
        self._issuer = issuer
        self._jwks = json.dumps(jwks_document(keys))
        self._user_ttl = user_ttl
        self._partner_ttl = partner_ttl

    # Sessions and keys -------------------------------------------------------------------
    async def Login(self, request: rpc.LoginRequest, context: Context) -> rpc.LoginResponse:
        token, expires, row = await self._read(
            lambda u: sessions.login(
                u, self._issuer, request.email, request.password, self._user_ttl
            )
        )
        return rpc.LoginResponse(token=token, expire_time=_stamp(expires), member=views.member(row))

    async def IssuePartnerToken(
        self, request: rpc.IssuePartnerTokenRequest, context: Context
    ) -> rpc.IssuePartnerTokenResponse:
        token, expires = await self._read(
            lambda u: sessions.partner_token(
                u, self._issuer, request.client_id, request.client_secret, self._partner_ttl
            )
        )
        return rpc.IssuePartnerTokenResponse(token=token, expire_time=_stamp(expires))

    async def GetJwks(self, request: rpc.GetJwksRequest, context: Context) -> rpc.GetJwksResponse:
        return rpc.GetJwksResponse(jwks_json=self._jwks)

    async def GetCurrentMember(
        self, request: rpc.GetCurrentMemberRequest, context: Context
    ) -> pb.Member:
        who = current_principal()
        return views.member(await self._read(lambda u: sessions.current_member(u, who)))

    # Organization ------------------------------------------------------------------------
    async def GetOrganization(
        self, request: rpc.GetOrganizationRequest, context: Context
    ) -> pb.Organization:
        who = current_principal()
        return views.organization(
            await self._read(lambda u: organizations.get(u, who, request.name))
        )

    async def UpdateOrganization(
        self, request: rpc.UpdateOrganizationRequest, context: Context
    ) -> pb.Organization:
        who = current_principal()
        row = await self._write(
            lambda u: organizations.update(u, who, request.organization, request.update_mask)
        )
        return views.organization(row)

    # Subsidiaries ------------------------------------------------------------------------
    async def CreateSubsidiary(
        self, request: rpc.CreateSubsidiaryRequest, context: Context
    ) -> pb.Subsidiary:
        who = current_principal()
        row = await self._write(
            lambda u: subsidiaries.create(
                u, who, request.parent, request.subsidiary, request.request_id
            )
        )
        return views.subsidiary(row)

    async def GetSubsidiary(
        self, request: rpc.GetSubsidiaryRequest, context: Context
    ) -> pb.Subsidiary:
        who = current_principal()
        return views.subsidiary(await self._read(lambda u: subsidiaries.get(u, who, request.name)))

    async def ListSubsidiaries(
        self, request: rpc.ListSubsidiariesRequest, context: Context
    ) -> rpc.ListSubsidiariesResponse:
        who = current_principal()
        listed = await self._read(lambda u: subsidiaries.list_(u, who, request))
        return rpc.ListSubsidiariesResponse(
            subsidiaries=[views.subsidiary(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def BatchGetSubsidiaries(
        self, request: rpc.BatchGetSubsidiariesRequest, context: Context
    ) -> rpc.BatchGetSubsidiariesResponse:
        who = current_principal()
        rows = await self._read(
            lambda u: subsidiaries.batch_get(u, who, request.parent, request.names)
        )
        return rpc.BatchGetSubsidiariesResponse(subsidiaries=[views.subsidiary(r) for r in rows])

    async def UpdateSubsidiary(
        self, request: rpc.UpdateSubsidiaryRequest, context: Context
    ) -> pb.Subsidiary:
        who = current_principal()
        row = await self._write(
            lambda u: subsidiaries.update(u, who, request.subsidiary, request.update_mask)
        )
        return views.subsidiary(row)

    async def DeleteSubsidiary(
        self, request: rpc.DeleteSubsidiaryRequest, context: Context
    ) -> Empty:
        who = current_principal()
        await self._write(lambda u: subsidiaries.delete(u, who, request.name, request.etag))
        return Empty()

    # Brands ------------------------------------------------------------------------------
    async def CreateBrand(self, request: rpc.CreateBrandRequest, context: Context) -> pb.Brand:
        who = current_principal()
        row = await self._write(
            lambda u: brands.create(u, who, request.parent, request.brand, request.request_id)
        )
        return views.brand(row)

    async def GetBrand(self, request: rpc.GetBrandRequest, context: Context) -> pb.Brand:
        who = current_principal()
        return views.brand(await self._read(lambda u: brands.get(u, who, request.name)))

    async def ListBrands(
        self, request: rpc.ListBrandsRequest, context: Context
    ) -> rpc.ListBrandsResponse:
        who = current_principal()
        listed = await self._read(lambda u: brands.list_(u, who, request))
        return rpc.ListBrandsResponse(
            brands=[views.brand(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def BatchGetBrands(
        self, request: rpc.BatchGetBrandsRequest, context: Context
    ) -> rpc.BatchGetBrandsResponse:
        who = current_principal()
        rows = await self._read(lambda u: brands.batch_get(u, who, request.parent, request.names))
        return rpc.BatchGetBrandsResponse(brands=[views.brand(r) for r in rows])

    async def UpdateBrand(self, request: rpc.UpdateBrandRequest, context: Context) -> pb.Brand:
        who = current_principal()
        row = await self._write(lambda u: brands.update(u, who, request.brand, request.update_mask))
        return views.brand(row)

    async def DeleteBrand(self, request: rpc.DeleteBrandRequest, context: Context) -> Empty:
        who = current_principal()
        await self._write(lambda u: brands.delete(u, who, request.name, request.etag))
        return Empty()

    # Members -----------------------------------------------------------------------------
    async def CreateMember(self, request: rpc.CreateMemberRequest, context: Context) -> pb.Member:
        who = current_principal()
        row = await self._write(
            lambda u: members.create(
                u, who, request.parent, request.member, request.password, request.request_id
            )
        )
        return views.member(row)

    async def GetMember(self, request: rpc.GetMemberRequest, context: Context) -> pb.Member:
        who = current_principal()
        return views.member(await self._read(lambda u: members.get(u, who, request.name)))

    async def ListMembers(
        self, request: rpc.ListMembersRequest, context: Context
    ) -> rpc.ListMembersResponse:
        who = current_principal()
        listed = await self._read(lambda u: members.list_(u, who, request))
        return rpc.ListMembersResponse(
            members=[views.member(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def BatchGetMembers(
        self, request: rpc.BatchGetMembersRequest, context: Context
    ) -> rpc.BatchGetMembersResponse:
        who = current_principal()
        rows = await self._read(lambda u: members.batch_get(u, who, request.parent, request.names))
        return rpc.BatchGetMembersResponse(members=[views.member(r) for r in rows])

    async def UpdateMember(self, request: rpc.UpdateMemberRequest, context: Context) -> pb.Member:
        who = current_principal()
        row = await self._write(
            lambda u: members.update(u, who, request.member, request.update_mask)
        )
        return views.member(row)

    async def DeleteMember(self, request: rpc.DeleteMemberRequest, context: Context) -> Empty:
        who = current_principal()
        await self._write(lambda u: members.delete(u, who, request.name, request.etag))
        return Empty()

    # Partner clients ---------------------------------------------------------------------
    async def CreatePartnerClient(
        self, request: rpc.CreatePartnerClientRequest, context: Context
    ) -> rpc.CreatePartnerClientResponse:
        who = current_principal()
        row, secret = await self._write(
            lambda u: partner_clients.create(
                u, who, request.parent, request.partner_client, request.request_id
            )
        )
        return rpc.CreatePartnerClientResponse(
            partner_client=views.partner_client(row), client_secret=secret
        )

    async def ListPartnerClients(
        self, request: rpc.ListPartnerClientsRequest, context: Context
    ) -> rpc.ListPartnerClientsResponse:
        who = current_principal()
        rows, token = await self._read(
            lambda u: partner_clients.list_(
                u, who, request.parent, request.page_size, request.page_token
            )
        )
        return rpc.ListPartnerClientsResponse(
            partner_clients=[views.partner_client(r) for r in rows], next_page_token=token
        )

    async def RevokePartnerClient(
        self, request: rpc.RevokePartnerClientRequest, context: Context
    ) -> pb.PartnerClient:
        who = current_principal()
        row = await self._write(lambda u: partner_clients.revoke(u, who, request.name))
        return views.partner_client(row)


PUBLIC_METHODS = frozenset(
    f"/vigie.directory.v1.DirectoryService/{m}" for m in ("Login", "IssuePartnerToken", "GetJwks")
)
