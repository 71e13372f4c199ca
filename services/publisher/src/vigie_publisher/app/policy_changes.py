"""Reading, changing and deleting approval policies.

A post takes its policy's stages when it is submitted, so changing or deleting a policy governs
the posts submitted afterwards, never one already on its way to approval.
"""

from sqlalchemy import or_, select
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.field_masks import check_etag
from vigie_runtime.principal import READ_ROLES, Principal, Role
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import Listed, list_page, load
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import ApprovalPolicyRow
from vigie_publisher.app import policies
from vigie_publisher.app.common import now
from vigie_publisher.app.names import APPROVAL_POLICY, BRAND, SUBSIDIARY
from vigie_publisher.app.views import stamp

MANAGERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)
UPDATABLE = (
    "display_name",
    "subsidiary",
    "brands",
    "stages",
    "required_approvals",
    "approver_roles",
    "reply_reach_threshold",
)
_ROLE_NUMBERS = {role.value: number for number, role in policies.ROLES.items()}


def _scope(row: ApprovalPolicyRow) -> str | None:
    return SUBSIDIARY.format(row.tenant, row.subsidiary_id) if row.subsidiary_id else None


def view(row: ApprovalPolicyRow) -> pb.ApprovalPolicy:
    stages = [
        pb.ApprovalStage(
            approver_role=_ROLE_NUMBERS.get(s["role"], 0),  # type: ignore[arg-type]
            approvers=list(s["approvers"]),
            require_all=bool(s["require_all"]),
        )
        for s in row.stages
    ]
    return pb.ApprovalPolicy(
        name=APPROVAL_POLICY.format(row.tenant, row.id),
        display_name=row.display_name,
        subsidiary=_scope(row) or "",
        brands=[BRAND.format(row.tenant, b) for b in row.brand_ids],
        required_approvals=len(row.stages),
        stages=stages,
        reply_reach_threshold=row.reply_reach_threshold,
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )


async def get(uow: UnitOfWork, who: Principal, name: str) -> ApprovalPolicyRow:
    _, policy_id = APPROVAL_POLICY.parse_in_tenant(name, who.tenant)
    row = await load(uow, ApprovalPolicyRow, "approval_policy", who.tenant, policy_id, name)
    # A group-wide policy governs everyone's posts: every member may read it.
    if row.subsidiary_id:
        who.require(READ_ROLES, _scope(row))
    return row


ORDERS = {
    "create_time": ApprovalPolicyRow.created_at,
    "update_time": ApprovalPolicyRow.updated_at,
    "display_name": ApprovalPolicyRow.display_name,
}


async def list_(
    uow: UnitOfWork, who: Principal, request: rpc.ListApprovalPoliciesRequest
) -> Listed[ApprovalPolicyRow]:
    require_parent(request.parent, who.tenant)
    query = select(ApprovalPolicyRow).where(ApprovalPolicyRow.tenant == who.tenant)
    allowed = who.subsidiaries_with(READ_ROLES)
    if allowed is not None:
        ids = [SUBSIDIARY.parse(n)[1] for n in allowed]
        query = query.where(
            or_(ApprovalPolicyRow.subsidiary_id == "", ApprovalPolicyRow.subsidiary_id.in_(ids))
        )
    if request.subsidiary:
        wanted = SUBSIDIARY.parse_in_tenant(request.subsidiary, who.tenant, "subsidiary")[1]
        query = query.where(ApprovalPolicyRow.subsidiary_id == wanted)
    fingerprint = ["approvalPolicies", who.tenant, request.subsidiary]
    return await list_page(uow, query, ApprovalPolicyRow, request, fingerprint, ORDERS)


async def _managed(uow: UnitOfWork, who: Principal, name: str, etag: str) -> ApprovalPolicyRow:
    row = await get(uow, who, name)
    who.require(MANAGERS, _scope(row))
    if etag:
        check_etag(etag, row.version)
    return row


async def update(
    uow: UnitOfWork, who: Principal, source: pb.ApprovalPolicy, paths: set[str]
) -> ApprovalPolicyRow:
    row = await _managed(uow, who, source.name, source.etag)
    if "display_name" in paths:
        row.display_name = source.display_name[:200]
    if "subsidiary" in paths:
        row.subsidiary_id = ""
        if source.subsidiary:
            ids = SUBSIDIARY.parse_in_tenant(source.subsidiary, who.tenant, "subsidiary")
            row.subsidiary_id = ids[1]
        who.require(MANAGERS, _scope(row))  # managing where it moves to, too
    if "brands" in paths:
        row.brand_ids = [BRAND.parse_in_tenant(b, who.tenant, "brands")[1] for b in source.brands]
    if paths & {"stages", "required_approvals", "approver_roles"}:
        row.stages = policies.stages_of(source, who.tenant)
    if "reply_reach_threshold" in paths:
        row.reply_reach_threshold = policies.reach_threshold(source.reply_reach_threshold)
    row.version, row.updated_at = row.version + 1, now()
    return row


async def delete(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    await uow.session.delete(await _managed(uow, who, name, etag))
