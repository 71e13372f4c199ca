"""Reading the directory: who am I, my group, its subsidiaries, brands and members."""

from enum import Enum
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
    OrderDirection,
    connection,
    list_options,
    page_request,
    total,
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


@strawberry.enum(description="What subsidiaries, brands and members can be sorted by.")
class DirectoryOrderField(Enum):
    CREATE_TIME = strawberry.enum_value("create_time", description="When it was created.")
    UPDATE_TIME = strawberry.enum_value("update_time", description="When it last changed.")
    DISPLAY_NAME = strawberry.enum_value(
        "display_name", description="Its name (the database's collation)."
    )


@strawberry.input(
    description="How to sort a directory list; by creation, oldest first, if left out."
)
class DirectoryOrder:
    field: DirectoryOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Which way."
    )


OrderBy = Annotated[
    DirectoryOrder | None,
    strawberry.argument(description="The order; by creation, oldest first, when left out."),
]


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
        self, info: Info, first: First = 50, after: After = None, order_by: OrderBy = None
    ) -> Connection[Subsidiary]:
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListSubsidiariesRequest(
            parent=ctx.tenant_name,
            page_size=page.size,
            page_token=page.token,
            **list_options(info, order_by),
        )
        response = await ctx.call(ctx.clients.directory.ListSubsidiaries, request)
        return connection(
            [Subsidiary.of(s) for s in response.subsidiaries],
            response.next_page_token,
            page,
            total(info, response),
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
        order_by: OrderBy = None,
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
            **list_options(info, order_by),
        )
        response = await ctx.call(ctx.clients.directory.ListBrands, request)
        return connection(
            [Brand.of(b) for b in response.brands],
            response.next_page_token,
            page,
            total(info, response),
        )

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
        order_by: OrderBy = None,
    ) -> Connection[Member]:
        given = filter or MemberFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListMembersRequest(
            parent=ctx.tenant_name,
            page_size=page.size,
            page_token=page.token,
            subsidiary=str(given.subsidiary_id or ""),
            **list_options(info, order_by),
        )
        response = await ctx.call(ctx.clients.directory.ListMembers, request)
        return connection(
            [Member.of(m) for m in response.members],
            response.next_page_token,
            page,
            total(info, response),
        )
