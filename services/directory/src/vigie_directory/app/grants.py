"""Who may grant which role where: the rules behind creating and changing members."""

from collections.abc import Sequence

from vigie.directory.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument, PermissionDenied
from vigie_runtime.principal import Principal, Role, RoleGrant
from vigie_runtime.tenant_rows import batch
from vigie_runtime.uow import UnitOfWork

from vigie_directory.adapters.orm import SubsidiaryRow
from vigie_directory.app.names import SUBSIDIARY

PROTO_TO_ROLE = {
    pb.ROLE_GROUP_ADMIN: Role.GROUP_ADMIN,
    pb.ROLE_SOCIAL_MEDIA_MANAGER: Role.SOCIAL_MEDIA_MANAGER,
    pb.ROLE_COMMUNITY_MANAGER: Role.COMMUNITY_MANAGER,
    pb.ROLE_ANALYST: Role.ANALYST,
    pb.ROLE_PARTNER: Role.PARTNER,
}
# What a social media manager may hand out in their own subsidiary.
DELEGABLE = frozenset({Role.COMMUNITY_MANAGER, Role.ANALYST})


async def parse(uow: UnitOfWork, tenant: str, grants: Sequence[pb.RoleGrant]) -> list[RoleGrant]:
    if len(grants) > 100:
        raise InvalidArgument("roles", "at most 100 role grants")
    parsed = []
    for grant in grants:
        if grant.role not in PROTO_TO_ROLE:
            raise InvalidArgument("roles.role", "unknown role")
        role = PROTO_TO_ROLE[grant.role]
        if role is Role.GROUP_ADMIN and grant.subsidiary:
            raise InvalidArgument("roles.subsidiary", "group_admin is always group-wide")
        parsed.append(RoleGrant(role, grant.subsidiary or None))
    names = {g.subsidiary for g in parsed if g.subsidiary}
    ids = {n: SUBSIDIARY.parse_in_tenant(n, tenant, "roles.subsidiary")[1] for n in names}
    found = await batch(uow, SubsidiaryRow, tenant, list(ids.values()))
    missing = [n for n, i in ids.items() if i not in found]
    if missing:
        raise InvalidArgument("roles.subsidiary", f"unknown subsidiary {missing[0]}")
    return list(dict.fromkeys(parsed))


def require_may_grant(who: Principal, grants: Sequence[RoleGrant]) -> None:
    for grant in grants:
        if who.is_group_admin:
            continue
        if (
            grant.subsidiary is not None
            and grant.role in DELEGABLE
            and who.holds([Role.SOCIAL_MEDIA_MANAGER], grant.subsidiary)
        ):
            continue
        where = grant.subsidiary or "group-wide"
        raise PermissionDenied("ROLE_GRANT_REFUSED", f"you may not grant {grant.role} ({where})")


def to_json(tenant: str, grants: Sequence[RoleGrant]) -> list[dict[str, str | None]]:
    return [
        {
            "role": g.role.value,
            "subsidiary": SUBSIDIARY.parse(g.subsidiary)[1] if g.subsidiary else None,
        }
        for g in grants
    ]


def from_json(tenant: str, stored: Sequence[dict[str, str | None]]) -> list[RoleGrant]:
    return [
        RoleGrant(
            Role(str(g["role"])),
            SUBSIDIARY.format(tenant, str(g["subsidiary"])) if g.get("subsidiary") else None,
        )
        for g in stored
    ]
