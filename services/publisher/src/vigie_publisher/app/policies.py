"""Approval policies of a tenant, and the one that applies to a brand."""

from typing import Any

from sqlalchemy import select
from vigie.directory.v1 import resources_pb2 as directory
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal, Role
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import load
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import ApprovalPolicyRow, PostRow
from vigie_publisher.app.common import now
from vigie_publisher.app.names import APPROVAL_POLICY, BRAND, MEMBER, SUBSIDIARY
from vigie_publisher.domain.approval import Stage

ROLES = {
    directory.ROLE_GROUP_ADMIN: Role.GROUP_ADMIN,
    directory.ROLE_SOCIAL_MEDIA_MANAGER: Role.SOCIAL_MEDIA_MANAGER,
    directory.ROLE_COMMUNITY_MANAGER: Role.COMMUNITY_MANAGER,
}
MAX_STAGES = 10
_CREATE = "CreateApprovalPolicy"


def _role(value: "directory.Role.ValueType", field: str) -> str:
    if value not in ROLES:
        raise InvalidArgument(field, "approvers are group admins, managers or community managers")
    return ROLES[value].value


def stages_of(source: pb.ApprovalPolicy, tenant: str) -> list[dict[str, Any]]:
    """Stages as stored; the older single-stage fields make one stage of any approver."""
    if len(source.stages) > MAX_STAGES:
        raise InvalidArgument("stages", f"at most {MAX_STAGES} stages")
    stages = []
    for i, stage in enumerate(source.stages):
        for name in stage.approvers:
            MEMBER.parse_in_tenant(name, tenant, f"stages[{i}].approvers")
        role = _role(stage.approver_role, f"stages[{i}].approver_role")
        stages.append(
            {"role": role, "approvers": list(stage.approvers), "require_all": stage.require_all}
        )
    if not stages and source.required_approvals > 0:
        first = source.approver_roles[0] if source.approver_roles else directory.ROLE_UNSPECIFIED
        role = _role(first, "approver_roles")
        stages = [{"role": role, "approvers": [], "require_all": False}] * min(
            source.required_approvals, MAX_STAGES
        )
    return stages


def reach_threshold(value: int) -> int:
    if value < 0:
        raise InvalidArgument("reply_reach_threshold", "0 or more followers", "NEGATIVE_THRESHOLD")
    return value


def to_stage(data: dict[str, Any]) -> Stage:
    return Stage(data["role"], tuple(data["approvers"]), bool(data["require_all"]))


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.ApprovalPolicy, request_id: str = ""
) -> ApprovalPolicyRow:
    require_parent(parent, who.tenant)
    subsidiary_id = ""
    if source.subsidiary:
        subsidiary_id = SUBSIDIARY.parse_in_tenant(source.subsidiary, who.tenant, "subsidiary")[1]
    who.require((Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER), source.subsidiary or None)
    brands = [BRAND.parse_in_tenant(b, who.tenant, "brands")[1] for b in source.brands]
    if earlier := await idempotency.created_before(uow, who.tenant, request_id, _CREATE):
        policy_id = APPROVAL_POLICY.parse_in_tenant(earlier, who.tenant)[1]
        return await load(uow, ApprovalPolicyRow, "approval_policy", who.tenant, policy_id, earlier)
    moment = now()
    row = ApprovalPolicyRow(
        id=new_id(),
        tenant=who.tenant,
        display_name=source.display_name[:200],
        subsidiary_id=subsidiary_id,
        brand_ids=brands,
        stages=stages_of(source, who.tenant),
        reply_reach_threshold=reach_threshold(source.reply_reach_threshold),
        version=1,
        created_at=moment,
        updated_at=moment,
    )
    uow.session.add(row)
    name = APPROVAL_POLICY.format(who.tenant, row.id)
    await idempotency.remember(uow, who.tenant, request_id, _CREATE, name)
    return row


async def policy_for(
    uow: UnitOfWork, tenant: str, subsidiary_id: str, brand_id: str
) -> ApprovalPolicyRow | None:
    """The most specific policy of a brand: the brand's, else its subsidiary's, else the group's."""
    query = select(ApprovalPolicyRow).where(ApprovalPolicyRow.tenant == tenant)
    rows = list((await uow.session.execute(query.order_by(ApprovalPolicyRow.id))).scalars())

    def rank(row: ApprovalPolicyRow) -> int:
        if row.subsidiary_id and row.subsidiary_id != subsidiary_id:
            return -1
        if row.brand_ids:
            return 2 if brand_id in row.brand_ids else -1
        return 1 if row.subsidiary_id else 0

    ranked = sorted((r for r in rows if rank(r) >= 0), key=rank, reverse=True)
    return ranked[0] if ranked else None


async def stages_for(uow: UnitOfWork, post: PostRow) -> list[dict[str, Any]]:
    policy = await policy_for(uow, post.tenant, post.subsidiary_id, post.brand_id)
    return list(policy.stages) if policy else []
