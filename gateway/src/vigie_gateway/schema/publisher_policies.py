"""Approval policies through GraphQL: who must approve a brand's posts before they go out."""

from datetime import datetime
from typing import Annotated

import strawberry
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import (
    After,
    Connection,
    DeleteInput,
    First,
    NamedOrderBy,
    Node,
    connection,
    list_options,
    moment,
    page_request,
    total,
    wire,
)
from vigie_gateway.schema.directory_types import Role
from vigie_gateway.schema.payloads import payload_mutation

Info = strawberry.Info[Context, None]


@strawberry.type(description="One approval step: who may approve at it.")
class ApprovalStage:
    approver_role: Role = strawberry.field(description="Who may approve at this stage.")
    approver_ids: list[strawberry.ID] = strawberry.field(
        description="Named approvers (members); empty: anyone holding the role."
    )
    require_all: bool = strawberry.field(description="Every named approver must approve.")


@strawberry.type(description="When a post needs approval, and from whom, stage by stage.")
class ApprovalPolicy(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/approvalPolicies/{approval_policy}."
    )
    display_name: str = strawberry.field(description="Its name as people see it.")
    subsidiary_id: strawberry.ID | None = strawberry.field(description="Null: group-wide.")
    brand_ids: list[strawberry.ID] = strawberry.field(description="Empty: every brand in scope.")
    stages: list[ApprovalStage] = strawberry.field(
        description="Several stages, in order; when set, they replace "
        "required_approvals/approver_roles."
    )
    reply_reach_threshold: int = strawberry.field(
        description="A community manager's reply to an author with at least this many followers "
        "waits for a social media manager; 0: no threshold."
    )
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")
    etag: str = strawberry.field(
        description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )

    @classmethod
    def of(cls, m: pb.ApprovalPolicy) -> "ApprovalPolicy":
        stages = [
            ApprovalStage(
                approver_role=Role(s.approver_role),
                approver_ids=[strawberry.ID(a) for a in s.approvers],
                require_all=s.require_all,
            )
            for s in m.stages
        ]
        return cls(
            id=strawberry.ID(m.name),
            display_name=m.display_name,
            subsidiary_id=strawberry.ID(m.subsidiary) if m.subsidiary else None,
            brand_ids=[strawberry.ID(b) for b in m.brands],
            stages=stages,
            reply_reach_threshold=m.reply_reach_threshold,
            updated_at=moment(m.update_time),
            etag=m.etag,
        )


@strawberry.input(description="One approval step.")
class ApprovalStageInput:
    approver_role: Role = strawberry.field(description="Who may approve at this stage.")
    approver_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Named approvers (tenants/{t}/members/{m}); when empty, anyone holding the "
        "role.",
    )
    require_all: bool = strawberry.field(
        default=False,
        description="Every named approver must approve (otherwise any one of them is enough).",
    )


@strawberry.input(description="A new approval policy; no stages: posts need no approval.")
class CreateApprovalPolicyInput:
    display_name: str = strawberry.field(description="Its name as people see it.")
    stages: list[ApprovalStageInput] = strawberry.field(
        description="Several stages, in order; when set, they replace "
        "required_approvals/approver_roles."
    )
    subsidiary_id: strawberry.ID | None = strawberry.field(
        default=None, description="The subsidiary it covers (resource name); empty for group-wide."
    )
    brand_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Brands it covers (resource names); empty for every brand of its scope.",
    )
    request_id: str | None = strawberry.field(
        default=None, description="Makes retries safe: the same id returns the same policy."
    )
    reply_reach_threshold: int = strawberry.field(
        default=0,
        description="A community manager's reply to an author with at least this many followers "
        "waits for a social media manager; 0: no threshold.",
    )


def _policy(input: CreateApprovalPolicyInput) -> pb.ApprovalPolicy:
    return pb.ApprovalPolicy(
        display_name=input.display_name,
        subsidiary=str(input.subsidiary_id or ""),
        brands=[str(b) for b in input.brand_ids],
        stages=[
            pb.ApprovalStage(
                approver_role=wire(s.approver_role),
                approvers=[str(a) for a in s.approver_ids],
                require_all=s.require_all,
            )
            for s in input.stages
        ],
        reply_reach_threshold=input.reply_reach_threshold,
    )


@strawberry.input(description="Which approval policies to list.")
class ApprovalPolicyFilter:
    subsidiary_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this subsidiary's (global id)."
    )


@strawberry.type
class PublisherPolicyQuery:
    @strawberry.field(description="The group's approval policies, one page at a time.")
    async def approval_policies(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            ApprovalPolicyFilter | None,
            strawberry.argument(description="Only the items that match."),
        ] = None,
        order_by: NamedOrderBy = None,
    ) -> Connection[ApprovalPolicy]:
        given = filter or ApprovalPolicyFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListApprovalPoliciesRequest(
            parent=ctx.tenant_name, page_size=page.size, page_token=page.token,
            subsidiary=str(given.subsidiary_id or ""), **list_options(info, order_by),
        )  # fmt: skip
        response = await ctx.call(ctx.clients.publisher.ListApprovalPolicies, request)
        return connection(
            [ApprovalPolicy.of(p) for p in response.approval_policies],
            response.next_page_token,
            page,
            total(info, response),
        )


@strawberry.input(description="The approvalPolicy to delete.")
class DeleteApprovalPolicyInput(DeleteInput):
    pass


@strawberry.type
class PublisherPolicyMutation:
    @payload_mutation(
        approval_policy=ApprovalPolicy,
        description="Creates an approval policy (managers of its scope).",
    )
    async def create_approval_policy(
        self, info: Info, input: CreateApprovalPolicyInput
    ) -> ApprovalPolicy:
        ctx = info.context
        request = rpc.CreateApprovalPolicyRequest(
            parent=ctx.tenant_name,
            approval_policy=_policy(input),
            request_id=input.request_id or "",
        )
        return ApprovalPolicy.of(
            await ctx.call(ctx.clients.publisher.CreateApprovalPolicy, request)
        )

    @payload_mutation(
        deleted_id=strawberry.ID,
        description="Deletes an approval policy; posts already submitted keep theirs.",
    )
    async def delete_approval_policy(
        self, info: Info, input: DeleteApprovalPolicyInput
    ) -> strawberry.ID:
        ctx = info.context
        request = rpc.DeleteApprovalPolicyRequest(name=str(input.id), etag=input.etag or "")
        await ctx.call(ctx.clients.publisher.DeleteApprovalPolicy, request)
        return input.id
