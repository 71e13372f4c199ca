"""Reading the directory: who am I, my group, its subsidiaries, brands and members."""

from typing import Annotated

import strawberry
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import (
    After,
    Connection,
    First,
    NodeId,
    connection,
    page_request,
    wire,
)
from vigie_gateway.schema.directory_types import (
    Brand,
    BrandKind,
    Member,
    Organization,
    Subsidiary,
    load_brands,
    load_subsidiaries,
)

Info = strawberry.Info[Context, None]


@strawberry.input(description="Which brands to list.")
class BrandFilter:
    subsidiary_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this subsidiary's (global id)."
    )
    kind: BrandKind | None = strawberry.field(default=None, description="Only this kind.")


@strawberry.input(description="Which members to list.")
class MemberFilter:
    subsidiary_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this subsidiary's (global id)."
    )


@strawberry.type
class DirectoryQuery:
    @strawberry.field(description="The member the token belongs to.")
    async def me(self, info: Info) -> Member:
        ctx = info.context
        return Member.of(
            await ctx.call(ctx.clients.directory.GetCurrentMember, rpc.GetCurrentMemberRequest())
        )

    @strawberry.field(description="The caller's group.")
    async def organization(self, info: Info) -> Organization:
        ctx = info.context
        request = rpc.GetOrganizationRequest(name=ctx.tenant_name)
        return Organization.of(await ctx.call(ctx.clients.directory.GetOrganization, request))

    @strawberry.field(description="The subsidiaries the caller may see.")
    async def subsidiaries(
        self, info: Info, first: First = 50, after: After = None
    ) -> Connection[Subsidiary]:
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListSubsidiariesRequest(
            parent=ctx.tenant_name, page_size=page.size, page_token=page.token
        )
        response = await ctx.call(ctx.clients.directory.ListSubsidiaries, request)
        return connection(
            [Subsidiary.of(s) for s in response.subsidiaries], response.next_page_token, page
        )

    @strawberry.field(description="One subsidiary by id.")
    async def subsidiary(self, info: Info, id: NodeId) -> Subsidiary:
        return (await load_subsidiaries(info.context, [str(id)]))[0]

    @strawberry.field(description="Brands and competitors, optionally of one subsidiary or kind.")
    async def brands(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            BrandFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
    ) -> Connection[Brand]:
        given = filter or BrandFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListBrandsRequest(
            parent=ctx.tenant_name,
            page_size=page.size,
            page_token=page.token,
            subsidiary=str(given.subsidiary_id or ""),
            kind=wire(given.kind) if given.kind else pb.BRAND_KIND_UNSPECIFIED,
        )
        response = await ctx.call(ctx.clients.directory.ListBrands, request)
        return connection([Brand.of(b) for b in response.brands], response.next_page_token, page)

    @strawberry.field(description="One brand by id.")
    async def brand(self, info: Info, id: NodeId) -> Brand:
        return (await load_brands(info.context, [str(id)]))[0]

    @strawberry.field(description="Members the caller may see, optionally of one subsidiary.")
    async def members(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            MemberFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
    ) -> Connection[Member]:
        given = filter or MemberFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListMembersRequest(
            parent=ctx.tenant_name,
            page_size=page.size,
            page_token=page.token,
            subsidiary=str(given.subsidiary_id or ""),
        )
        response = await ctx.call(ctx.clients.directory.ListMembers, request)
        return connection([Member.of(m) for m in response.members], response.next_page_token, page)
