"""The listener's replica of the directory's members: where each holds a role, so an inbox
item is assigned only to a person of its subsidiary (or one who works group-wide). Events may
come twice or out of order: each carries the directory's time, and older facts are ignored."""

from datetime import datetime

from vigie.directory.v1 import resources_pb2 as directory
from vigie_runtime.clock import as_utc
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import KnownMemberRow
from vigie_listener.app.names import MEMBER, SUBSIDIARY


async def record_member(
    uow: UnitOfWork, tenant: str, member: directory.Member, changed_at: datetime
) -> None:
    member_tenant, member_id = MEMBER.parse(member.name, "member.name")
    if member_tenant != tenant:
        return
    row = await _row(uow, tenant, member_id)
    if row.updated_at is not None and as_utc(row.updated_at) > as_utc(changed_at):
        return
    subsidiaries = sorted(
        {SUBSIDIARY.parse(g.subsidiary, "subsidiary")[1] for g in member.roles if g.subsidiary}
    )
    row.subsidiaries = subsidiaries
    row.group_wide = any(not g.subsidiary for g in member.roles)
    row.deleted = False
    row.updated_at = changed_at


async def forget_member(uow: UnitOfWork, tenant: str, name: str, deleted_at: datetime) -> None:
    member_tenant, member_id = MEMBER.parse(name, "name")
    if member_tenant != tenant:
        return
    row = await _row(uow, tenant, member_id)
    if row.updated_at is not None and as_utc(row.updated_at) > as_utc(deleted_at):
        return
    row.deleted, row.updated_at = True, deleted_at


async def _row(uow: UnitOfWork, tenant: str, member_id: str) -> KnownMemberRow:
    row = await uow.session.get(KnownMemberRow, (tenant, member_id))
    if row is None:
        # A tombstone-able row: a deletion before the creation still wins by its time.
        row = KnownMemberRow(tenant=tenant, id=member_id, subsidiaries=[], group_wide=False)
        row.deleted = False
        uow.session.add(row)
    return row


async def works_in(uow: UnitOfWork, tenant: str, member_id: str, subsidiary_id: str) -> bool:
    row = await uow.session.get(KnownMemberRow, (tenant, member_id))
    if row is None or row.deleted:
        return False
    return row.group_wide or subsidiary_id in row.subsidiaries
