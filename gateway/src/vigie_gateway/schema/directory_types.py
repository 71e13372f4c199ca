"""The directory's objects as front-end teams see them."""

from datetime import datetime
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
    Node,
    connection,
    moment,
    page_request,
)
from vigie_gateway.schema.publisher_orders import SocialAccountOrderBy
from vigie_gateway.schema.publisher_types import (
    SocialAccount,
    SocialAccountFilter,
    social_accounts_of,
)


@strawberry.enum(description="Whether a brand belongs to the group or is watched as a competitor.")
class BrandKind(Enum):
    OWN = strawberry.enum_value(pb.BRAND_KIND_OWN, description="A brand of the group.")
    COMPETITOR = strawberry.enum_value(
        pb.BRAND_KIND_COMPETITOR, description="A competitor the group watches."
    )


@strawberry.enum(description="What a member may do, group-wide or in one subsidiary.")
class Role(Enum):
    GROUP_ADMIN = strawberry.enum_value(pb.ROLE_GROUP_ADMIN, description="Everything, group-wide.")
    SOCIAL_MEDIA_MANAGER = strawberry.enum_value(
        pb.ROLE_SOCIAL_MEDIA_MANAGER, description="Brands, posts, listening and campaigns."
    )
    COMMUNITY_MANAGER = strawberry.enum_value(
        pb.ROLE_COMMUNITY_MANAGER, description="Posts and mentions."
    )
    ANALYST = strawberry.enum_value(
        pb.ROLE_ANALYST, description="Reads everything, changes nothing."
    )
    PARTNER = strawberry.enum_value(
        pb.ROLE_PARTNER, description="An agency or partner with limited access."
    )


@strawberry.type(description="The group (tenant) the caller belongs to.")
class Organization(Node):
    id: strawberry.ID = strawberry.field(description="Global id: tenants/{tenant}.")
    display_name: str = strawberry.field(description="The group's name.")

    @classmethod
    def of(cls, message: pb.Organization) -> "Organization":
        return cls(id=strawberry.ID(message.name), display_name=message.display_name)


@strawberry.type(description="A subsidiary: a country's company of the group.")
class Subsidiary(Node):
    id: strawberry.ID = strawberry.field(description="Global id: tenants/{t}/subsidiaries/{s}.")
    display_name: str = strawberry.field(description="The subsidiary's name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 country code.")
    locale: str = strawberry.field(description="BCP 47 language tag of its texts.")
    time_zone: str = strawberry.field(description="IANA time zone its people work in.")
    data_region: str = strawberry.field(description="Where its data is kept.")
    etag: str = strawberry.field(description="Pass back on update/delete to detect conflicts.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")

    @classmethod
    def of(cls, m: pb.Subsidiary) -> "Subsidiary":
        return cls(
            id=strawberry.ID(m.name),
            display_name=m.display_name,
            country=m.country,
            locale=m.locale,
            time_zone=m.time_zone,
            data_region=m.data_region,
            etag=m.etag,
            created_at=moment(m.create_time),
        )


async def load_subsidiaries(context: Context, names: list[str]) -> list[Subsidiary]:
    """One BatchGet for every subsidiary a response nests (no N+1)."""

    async def batch(keys: list[str]) -> list[Subsidiary]:
        response = await context.call(
            context.clients.directory.BatchGetSubsidiaries,
            rpc.BatchGetSubsidiariesRequest(parent=context.tenant_name, names=keys),
        )
        return [Subsidiary.of(s) for s in response.subsidiaries]

    return list(await context.loader("subsidiaries", batch).load_many(names))


async def load_brands(context: Context, names: list[str]) -> list["Brand"]:
    async def batch(keys: list[str]) -> list[Brand]:
        response = await context.call(
            context.clients.directory.BatchGetBrands,
            rpc.BatchGetBrandsRequest(parent=context.tenant_name, names=keys),
        )
        return [Brand.of(b) for b in response.brands]

    return list(await context.loader("brands", batch).load_many(names))


@strawberry.type(description="A brand's account name on one network.")
class SocialHandle:
    network: str = strawberry.field(description="bluesky, mastodon, x, linkedin, instagram, ...")
    handle: str = strawberry.field(description="The account's handle on that network.")


@strawberry.type(description="A brand of the group, or a competitor it is compared with.")
class Brand(Node):
    id: strawberry.ID = strawberry.field(description="Global id: tenants/{t}/brands/{b}.")
    display_name: str = strawberry.field(description="The brand's name.")
    kind: BrandKind = strawberry.field(description="Own brand or competitor.")
    aliases: list[str] = strawberry.field(description="Other names people use for it.")
    handles: list[SocialHandle] = strawberry.field(description="Its accounts on the networks.")
    etag: str = strawberry.field(description="Pass back on update/delete to detect conflicts.")
    subsidiary_id: strawberry.Private[str]
    competitor_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The subsidiary that owns the brand.")
    async def subsidiary(self, info: strawberry.Info[Context, None]) -> Subsidiary:
        return (await load_subsidiaries(info.context, [self.subsidiary_id]))[0]

    @strawberry.field(description="The competitors this brand is compared with.")
    async def competitors(self, info: strawberry.Info[Context, None]) -> list["Brand"]:
        return await load_brands(info.context, self.competitor_ids)

    @strawberry.field(
        description="The brand's social accounts, one page at a time (one ListSocialAccounts per "
        "brand that asks); a competitor has none."
    )
    async def social_accounts(
        self,
        info: strawberry.Info[Context, None],
        first: First = 50,
        after: After = None,
        filter: Annotated[
            SocialAccountFilter | None,
            strawberry.argument(description="Only the items that match."),
        ] = None,
        order_by: SocialAccountOrderBy = None,
    ) -> Connection[SocialAccount]:
        if self.kind is BrandKind.COMPETITOR:  # the group publishes on its own brands only
            return connection([], "", page_request(first, after), 0)
        return await social_accounts_of(info, str(self.id), first, after, filter, order_by)

    @classmethod
    def of(cls, m: pb.Brand) -> "Brand":
        return cls(
            id=strawberry.ID(m.name),
            display_name=m.display_name,
            kind=BrandKind(m.kind),
            aliases=list(m.aliases),
            handles=[SocialHandle(network=h.network, handle=h.handle) for h in m.handles],
            etag=m.etag,
            subsidiary_id=m.subsidiary,
            competitor_ids=list(m.competitors),
        )


@strawberry.type(description="A role held by a member, group-wide or in one subsidiary.")
class RoleGrant:
    role: Role = strawberry.field(description="The role.")
    subsidiary_id: strawberry.Private[str]

    @strawberry.field(description="Where the role holds; null when group-wide.")
    async def subsidiary(self, info: strawberry.Info[Context, None]) -> Subsidiary | None:
        if not self.subsidiary_id:
            return None
        return (await load_subsidiaries(info.context, [self.subsidiary_id]))[0]


@strawberry.type(description="A person of the group, with their roles.")
class Member(Node):
    id: strawberry.ID = strawberry.field(description="Global id: tenants/{t}/members/{m}.")
    email: str = strawberry.field(description="Their login e-mail.")
    display_name: str = strawberry.field(description="Their name as shown to colleagues.")
    roles: list[RoleGrant] = strawberry.field(description="What they may do, and where.")
    etag: str = strawberry.field(description="Pass back on update/delete to detect conflicts.")

    @classmethod
    def of(cls, m: pb.Member) -> "Member":
        return cls(
            id=strawberry.ID(m.name),
            email=m.email,
            display_name=m.display_name,
            roles=[RoleGrant(role=Role(g.role), subsidiary_id=g.subsidiary) for g in m.roles],
            etag=m.etag,
        )
