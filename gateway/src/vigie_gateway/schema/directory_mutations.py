"""Changing the directory: logging in, subsidiaries, brands and members."""

from datetime import datetime

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import DeletePayload, moment
from vigie_gateway.schema.directory_types import Brand, BrandKind, Member, Role, Subsidiary

Info = strawberry.Info[Context, None]


def _given(value: object) -> bool:
    return value is not strawberry.UNSET and value is not None


@strawberry.type(description="A session: the bearer token to send as `Authorization`.")
class LoginPayload:
    token: str = strawberry.field(description="Send as `Authorization: Bearer <token>`.")
    expires_at: datetime = strawberry.field(description="When the token stops working (UTC).")
    member: Member = strawberry.field(description="Who logged in.")


@strawberry.input(description="A new subsidiary.")
class CreateSubsidiaryInput:
    display_name: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. FR.")
    locale: str = strawberry.field(description="BCP 47, e.g. fr-FR.")
    time_zone: str = strawberry.field(description="IANA zone, e.g. Europe/Paris.")
    data_region: str = "local"
    request_id: str | None = strawberry.field(default=None, description="Makes retries safe.")


@strawberry.input(description="Changes to a subsidiary; fields left out stay as they are.")
class UpdateSubsidiaryInput:
    id: strawberry.ID
    etag: str | None = None
    display_name: str | None = strawberry.UNSET
    country: str | None = strawberry.UNSET
    locale: str | None = strawberry.UNSET
    time_zone: str | None = strawberry.UNSET
    data_region: str | None = strawberry.UNSET


@strawberry.input(description="A brand's account on one network.")
class SocialHandleInput:
    network: str
    handle: str


@strawberry.input(description="A new brand or competitor.")
class CreateBrandInput:
    subsidiary_id: strawberry.ID
    display_name: str
    kind: BrandKind = BrandKind.OWN
    aliases: list[str] = strawberry.field(default_factory=list)
    handles: list[SocialHandleInput] = strawberry.field(default_factory=list)
    competitor_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    request_id: str | None = None


@strawberry.input(description="Changes to a brand; fields left out stay as they are.")
class UpdateBrandInput:
    id: strawberry.ID
    etag: str | None = None
    display_name: str | None = strawberry.UNSET
    aliases: list[str] | None = strawberry.UNSET
    handles: list[SocialHandleInput] | None = strawberry.UNSET
    competitor_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.input(description="A role to grant; no subsidiary means group-wide.")
class RoleGrantInput:
    role: Role
    subsidiary_id: strawberry.ID | None = None


@strawberry.input(description="A new member of the group.")
class CreateMemberInput:
    email: str
    display_name: str
    password: str = strawberry.field(description="At least 10 characters.")
    roles: list[RoleGrantInput]
    request_id: str | None = None


@strawberry.input(description="Changes to a member; fields left out stay as they are.")
class UpdateMemberInput:
    id: strawberry.ID
    etag: str | None = None
    display_name: str | None = strawberry.UNSET
    roles: list[RoleGrantInput] | None = strawberry.UNSET


def _grants(roles: list[RoleGrantInput]) -> list[pb.RoleGrant]:
    return [pb.RoleGrant(role=r.role.value, subsidiary=str(r.subsidiary_id or "")) for r in roles]


def _handles(handles: list[SocialHandleInput]) -> list[pb.SocialHandle]:
    return [pb.SocialHandle(network=h.network, handle=h.handle) for h in handles]


def _mask_and_fill(target: object, source: object, fields: dict[str, str]) -> FieldMask:
    """Copies the given input fields onto the proto and names them in the update mask."""
    paths = []
    for attribute, path in fields.items():
        value = getattr(source, attribute)
        if _given(value):
            paths.append(path)
            if isinstance(value, str):
                setattr(target, path, value)
    return FieldMask(paths=paths)


@strawberry.type
class DirectoryMutation:
    @strawberry.mutation(description="Exchanges an e-mail and a password for a token.")
    async def login(self, info: Info, email: str, password: str) -> LoginPayload:
        ctx = info.context
        response = await ctx.call(
            ctx.clients.directory.Login, rpc.LoginRequest(email=email, password=password)
        )
        return LoginPayload(
            token=response.token,
            expires_at=moment(response.expire_time),
            member=Member.of(response.member),
        )

    @strawberry.mutation(description="Creates a subsidiary (group admins).")
    async def create_subsidiary(self, info: Info, input: CreateSubsidiaryInput) -> Subsidiary:
        ctx = info.context
        request = rpc.CreateSubsidiaryRequest(
            parent=ctx.tenant_name,
            request_id=input.request_id or "",
            subsidiary=pb.Subsidiary(
                display_name=input.display_name,
                country=input.country,
                locale=input.locale,
                time_zone=input.time_zone,
                data_region=input.data_region,
            ),
        )
        return Subsidiary.of(await ctx.call(ctx.clients.directory.CreateSubsidiary, request))

    @strawberry.mutation(description="Changes a subsidiary (group admins).")
    async def update_subsidiary(self, info: Info, input: UpdateSubsidiaryInput) -> Subsidiary:
        ctx = info.context
        message = pb.Subsidiary(name=str(input.id), etag=input.etag or "")
        fields = {f: f for f in ("display_name", "country", "locale", "time_zone", "data_region")}
        mask = _mask_and_fill(message, input, fields)
        request = rpc.UpdateSubsidiaryRequest(subsidiary=message, update_mask=mask)
        return Subsidiary.of(await ctx.call(ctx.clients.directory.UpdateSubsidiary, request))

    @strawberry.mutation(description="Deletes a subsidiary that has no brands (group admins).")
    async def delete_subsidiary(
        self, info: Info, id: strawberry.ID, etag: str | None = None
    ) -> DeletePayload:
        ctx = info.context
        await ctx.call(
            ctx.clients.directory.DeleteSubsidiary,
            rpc.DeleteSubsidiaryRequest(name=str(id), etag=etag or ""),
        )
        return DeletePayload(deleted_id=id)

    @strawberry.mutation(description="Creates a brand or competitor (social media managers).")
    async def create_brand(self, info: Info, input: CreateBrandInput) -> Brand:
        ctx = info.context
        request = rpc.CreateBrandRequest(
            parent=ctx.tenant_name,
            request_id=input.request_id or "",
            brand=pb.Brand(
                subsidiary=str(input.subsidiary_id),
                display_name=input.display_name,
                kind=input.kind.value,
                aliases=input.aliases,
                handles=_handles(input.handles),
                competitors=[str(c) for c in input.competitor_ids],
            ),
        )
        return Brand.of(await ctx.call(ctx.clients.directory.CreateBrand, request))

    @strawberry.mutation(description="Changes a brand (social media managers).")
    async def update_brand(self, info: Info, input: UpdateBrandInput) -> Brand:
        ctx = info.context
        message = pb.Brand(name=str(input.id), etag=input.etag or "")
        mask = _mask_and_fill(message, input, {"display_name": "display_name"})
        if _given(input.aliases):
            message.aliases.extend(input.aliases or [])
            mask.paths.append("aliases")
        if _given(input.handles):
            message.handles.extend(_handles(input.handles or []))
            mask.paths.append("handles")
        if _given(input.competitor_ids):
            message.competitors.extend(str(c) for c in input.competitor_ids or [])
            mask.paths.append("competitors")
        request = rpc.UpdateBrandRequest(brand=message, update_mask=mask)
        return Brand.of(await ctx.call(ctx.clients.directory.UpdateBrand, request))

    @strawberry.mutation(description="Deletes a brand (social media managers).")
    async def delete_brand(
        self, info: Info, id: strawberry.ID, etag: str | None = None
    ) -> DeletePayload:
        ctx = info.context
        await ctx.call(
            ctx.clients.directory.DeleteBrand, rpc.DeleteBrandRequest(name=str(id), etag=etag or "")
        )
        return DeletePayload(deleted_id=id)

    @strawberry.mutation(
        description="Adds a member with roles (group admins; managers for their subsidiary)."
    )
    async def create_member(self, info: Info, input: CreateMemberInput) -> Member:
        ctx = info.context
        request = rpc.CreateMemberRequest(
            parent=ctx.tenant_name,
            request_id=input.request_id or "",
            password=input.password,
            member=pb.Member(
                email=input.email, display_name=input.display_name, roles=_grants(input.roles)
            ),
        )
        return Member.of(await ctx.call(ctx.clients.directory.CreateMember, request))

    @strawberry.mutation(description="Changes a member's name or roles.")
    async def update_member(self, info: Info, input: UpdateMemberInput) -> Member:
        ctx = info.context
        message = pb.Member(name=str(input.id), etag=input.etag or "")
        mask = _mask_and_fill(message, input, {"display_name": "display_name"})
        if _given(input.roles):
            message.roles.extend(_grants(input.roles or []))
            mask.paths.append("roles")
        request = rpc.UpdateMemberRequest(member=message, update_mask=mask)
        return Member.of(await ctx.call(ctx.clients.directory.UpdateMember, request))

    @strawberry.mutation(description="Removes a member.")
    async def delete_member(
        self, info: Info, id: strawberry.ID, etag: str | None = None
    ) -> DeletePayload:
        ctx = info.context
        await ctx.call(
            ctx.clients.directory.DeleteMember,
            rpc.DeleteMemberRequest(name=str(id), etag=etag or ""),
        )
        return DeletePayload(deleted_id=id)
