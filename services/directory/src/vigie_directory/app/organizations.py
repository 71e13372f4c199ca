"""The organization (tenant) itself: created by the operator's bootstrap, renamed by its admins."""

from google.protobuf.field_mask_pb2 import FieldMask
from vigie.directory.v1 import resources_pb2 as pb
from vigie_runtime.clock import now
from vigie_runtime.errors import NotFound
from vigie_runtime.field_masks import paths_to_update
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal, Role, RoleGrant
from vigie_runtime.uow import UnitOfWork

from vigie_directory.adapters.orm import MemberRow, OrganizationRow
from vigie_directory.adapters.passwords import hash_secret
from vigie_directory.app import grants
from vigie_directory.app.names import ORGANIZATION
from vigie_directory.domain import validation as v


async def get(uow: UnitOfWork, who: Principal, name: str) -> OrganizationRow:
    (tenant,) = ORGANIZATION.parse_in_tenant(name, who.tenant)
    row = await uow.session.get(OrganizationRow, tenant)
    if row is None:
        raise NotFound("organization", name)
    return row


async def update(
    uow: UnitOfWork, who: Principal, source: pb.Organization, mask: FieldMask
) -> OrganizationRow:
    row = await get(uow, who, source.name)
    who.require([Role.GROUP_ADMIN])
    if "display_name" in paths_to_update(mask, ["display_name"]):
        row.display_name = v.display_name(source.display_name)
    row.updated_at = now()
    return row


async def bootstrap(
    uow: UnitOfWork, display_name: str, admin_email: str, admin_password: str
) -> tuple[OrganizationRow, MemberRow]:
    """A new tenant and its first group admin: the operator's command, not an API."""
    moment = now()
    organization = OrganizationRow(
        id=new_id(), display_name=v.display_name(display_name), created_at=moment, updated_at=moment
    )
    admin = MemberRow(
        id=new_id(),
        tenant=organization.id,
        email=v.email(admin_email),
        display_name="Group admin",
        password_hash=hash_secret(v.password(admin_password)),
        roles=grants.to_json(organization.id, [RoleGrant(Role.GROUP_ADMIN, None)]),
        version=1,
        created_at=moment,
        updated_at=moment,
    )
    uow.session.add_all([organization])
    await uow.session.flush()
    uow.session.add(admin)
    await uow.session.flush()
    return organization, admin
