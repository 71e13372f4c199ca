"""Changing the directory: logging in, subsidiaries, brands and members."""

from datetime import datetime

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import DeleteInput, moment, wire
from vigie_gateway.schema.directory_types import Brand, BrandKind, Member, Role, Subsidiary
from vigie_gateway.schema.payloads import payload_mutation

Info = strawberry.Info[Context, None]


def _given(value: object) -> bool:
    return value is not strawberry.UNSET and value is not None


@strawberry.input(description="An e-mail and a password to exchange for a token.")
class LoginInput:
    email: str = strawberry.field(description="The member's login e-mail.")
    password: str = strawberry.field(description="The member's password.")


@strawberry.input(description="A new subsidiary.")
class CreateSubsidiaryInput:
    display_name: str = strawberry.field(description="Its name as people see it.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. FR.")
    locale: str = strawberry.field(description="BCP 47, e.g. fr-FR.")
    time_zone: str = strawberry.field(description="IANA zone, e.g. Europe/Paris.")
    data_region: str = strawberry.field(
        default="local", description='Where this subsidiary\'s data lives, e.g. "eu".'
    )
    request_id: str | None = strawberry.field(default=None, description="Makes retries safe.")


@strawberry.input(description="Changes to a subsidiary; fields left out stay as they are.")
class UpdateSubsidiaryInput:
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/subsidiaries/{subsidiary}."
    )
    etag: str | None = strawberry.field(
        default=None,
        description="Optimistic concurrency: Update and Delete fail with ABORTED when it does not "
        "match.",
    )
    display_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="Its name as people see it."
    )
    country: str | None = strawberry.field(
        default=strawberry.UNSET, description='ISO 3166-1 alpha-2, e.g. "FR".'
    )
    locale: str | None = strawberry.field(
        default=strawberry.UNSET, description='BCP 47 language tag, e.g. "fr-FR".'
    )
    time_zone: str | None = strawberry.field(
        default=strawberry.UNSET, description='IANA time zone, e.g. "Europe/Paris".'
    )
    data_region: str | None = strawberry.field(
        default=strawberry.UNSET, description='Where this subsidiary\'s data lives, e.g. "eu".'
    )


@strawberry.input(description="A brand's account on one network.")
class SocialHandleInput:
    network: str = strawberry.field(
        description='"bluesky", "mastodon", "x", "linkedin", "instagram", "threads", "facebook".'
    )
    handle: str = strawberry.field(description="The account's handle on its network.")


@strawberry.input(description="A new brand or competitor.")
class CreateBrandInput:
    subsidiary_id: strawberry.ID = strawberry.field(
        description="The subsidiary that owns the brand: "
        "tenants/{tenant}/subsidiaries/{subsidiary}."
    )
    display_name: str = strawberry.field(description="Its name as people see it.")
    kind: BrandKind = strawberry.field(default=BrandKind.OWN, description="Which kind it is.")
    aliases: list[str] = strawberry.field(
        default_factory=list, description="Other names people use for it."
    )
    handles: list[SocialHandleInput] = strawberry.field(
        default_factory=list, description="Its accounts on the networks."
    )
    competitor_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Resource names of the competitor brands this brand is compared with.",
    )
    request_id: str | None = strawberry.field(
        default=None,
        description="Makes retries safe: the same id returns what the first request made.",
    )


@strawberry.input(description="Changes to a brand; fields left out stay as they are.")
class UpdateBrandInput:
    id: strawberry.ID = strawberry.field(description="Global id: tenants/{tenant}/brands/{brand}.")
    etag: str | None = strawberry.field(
        default=None, description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )
    display_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="Its name as people see it."
    )
    aliases: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Other names people use for it (replaces them all)."
    )
    handles: list[SocialHandleInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Its accounts on the networks (replaces them all)."
    )
    competitor_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Resource names of the competitor brands this brand is compared with.",
    )


@strawberry.input(description="A role to grant; no subsidiary means group-wide.")
class RoleGrantInput:
    role: Role = strawberry.field(description="The role.")
    subsidiary_id: strawberry.ID | None = strawberry.field(
        default=None, description="The subsidiary where the role holds; empty for group-wide."
    )


@strawberry.input(description="A new member of the group.")
class CreateMemberInput:
    email: str = strawberry.field(description="Their login e-mail.")
    display_name: str = strawberry.field(description="Its name as people see it.")
    password: str = strawberry.field(description="At least 10 characters.")
    roles: list[RoleGrantInput] = strawberry.field(description="What they may do, and where.")
    request_id: str | None = strawberry.field(
        default=None,
        description="Makes retries safe: the same id returns what the first request made.",
    )


@strawberry.input(description="Changes to a member; fields left out stay as they are.")
class UpdateMemberInput:
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/members/{member}."
    )
    etag: str | None = strawberry.field(
        default=None, description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )
    display_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="Its name as people see it."
    )
    roles: list[RoleGrantInput] | None = strawberry.field(
        default=strawberry.UNSET, description="What they may do, and where (replaces them all)."
    )


def _grants(roles: list[RoleGrantInput]) -> list[pb.RoleGrant]:
    return [pb.RoleGrant(role=wire(r.role), subsidiary=str(r.subsidiary_id or "")) for r in roles]


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


@strawberry.input(description="The subsidiary to delete.")
class DeleteSubsidiaryInput(DeleteInput):
    pass


@strawberry.input(description="The brand to delete.")
class DeleteBrandInput(DeleteInput):
    pass


@strawberry.input(description="The member to delete.")
class DeleteMemberInput(DeleteInput):
    pass


@strawberry.type
class DirectoryMutation:
    @payload_mutation(
        token=(str, "Send as `Authorization: Bearer <token>`."),
        expires_at=(datetime, "When the token stops working (UTC)."),
        member=(Member, "Who logged in."),
        description="Exchanges an e-mail and a password for a token: send it as "
        "`Authorization: Bearer <token>` until `expiresAt` (UTC).",
    )
    async def login(self, info: Info, input: LoginInput) -> dict[str, object]:
        ctx = info.context
        request = rpc.LoginRequest(email=input.email, password=input.password)
        response = await ctx.call(ctx.clients.directory.Login, request)
        return {
            "token": response.token,
            "expires_at": moment(response.expire_time),
            "member": Member.of(response.member),
        }

    @payload_mutation(subsidiary=Subsidiary, description="Creates a subsidiary (group admins).")
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

    @payload_mutation(subsidiary=Subsidiary, description="Changes a subsidiary (group admins).")
    async def update_subsidiary(self, info: Info, input: UpdateSubsidiaryInput) -> Subsidiary:
        ctx = info.context
        message = pb.Subsidiary(name=str(input.id), etag=input.etag or "")
        fields = {f: f for f in ("display_name", "country", "locale", "time_zone", "data_region")}
        mask = _mask_and_fill(message, input, fields)
        request = rpc.UpdateSubsidiaryRequest(subsidiary=message, update_mask=mask)
        return Subsidiary.of(await ctx.call(ctx.clients.directory.UpdateSubsidiary, request))

    @payload_mutation(
        deleted_id=strawberry.ID,
        description="Deletes a subsidiary that has no brands (group admins).",
    )
    async def delete_subsidiary(self, info: Info, input: DeleteSubsidiaryInput) -> strawberry.ID:
        ctx = info.context
        await ctx.call(
            ctx.clients.directory.DeleteSubsidiary,
            rpc.DeleteSubsidiaryRequest(name=str(input.id), etag=input.etag or ""),
        )
        return input.id

    @payload_mutation(
        brand=Brand, description="Creates a brand or competitor (social media managers)."
    )
    async def create_brand(self, info: Info, input: CreateBrandInput) -> Brand:
        ctx = info.context
        request = rpc.CreateBrandRequest(
            parent=ctx.tenant_name,
            request_id=input.request_id or "",
            brand=pb.Brand(
                subsidiary=str(input.subsidiary_id),
                display_name=input.display_name,
                kind=wire(input.kind),
                aliases=input.aliases,
                handles=_handles(input.handles),
                competitors=[str(c) for c in input.competitor_ids],
            ),
        )
        return Brand.of(await ctx.call(ctx.clients.directory.CreateBrand, request))

    @payload_mutation(brand=Brand, description="Changes a brand (social media managers).")
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

    @payload_mutation(
        deleted_id=strawberry.ID, description="Deletes a brand (social media managers)."
    )
    async def delete_brand(self, info: Info, input: DeleteBrandInput) -> strawberry.ID:
        ctx = info.context
        await ctx.call(
            ctx.clients.directory.DeleteBrand,
            rpc.DeleteBrandRequest(name=str(input.id), etag=input.etag or ""),
        )
        return input.id

    @payload_mutation(
        member=Member,
        description="Adds a member with roles (group admins; managers for their subsidiary).",
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

    @payload_mutation(member=Member, description="Changes a member's name or roles.")
    async def update_member(self, info: Info, input: UpdateMemberInput) -> Member:
        ctx = info.context
        message = pb.Member(name=str(input.id), etag=input.etag or "")
        mask = _mask_and_fill(message, input, {"display_name": "display_name"})
        if _given(input.roles):
            message.roles.extend(_grants(input.roles or []))
            mask.paths.append("roles")
        request = rpc.UpdateMemberRequest(member=message, update_mask=mask)
        return Member.of(await ctx.call(ctx.clients.directory.UpdateMember, request))

    @payload_mutation(deleted_id=strawberry.ID, description="Removes a member.")
    async def delete_member(self, info: Info, input: DeleteMemberInput) -> strawberry.ID:
        ctx = info.context
        await ctx.call(
            ctx.clients.directory.DeleteMember,
            rpc.DeleteMemberRequest(name=str(input.id), etag=input.etag or ""),
        )
        return input.id
