"""Approval policies through GraphQL: who must approve a brand's posts before they go out."""

from datetime import datetime

import strawberry
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import Connection, DeletePayload, moment, page_info, page_size
from vigie_gateway.schema.directory_types import Role

Info = strawberry.Info[Context, None]


@strawberry.type(description="One approval step: who may approve at it.")
class ApprovalStage:
    approver_role: Role
    approver_ids: list[strawberry.ID] = strawberry.field(
        description="Named approvers (members); empty: anyone holding the role."
    )
    require_all: bool = strawberry.field(description="Every named approver must approve.")


@strawberry.type(description="When a post needs approval, and from whom, stage by stage.")
class ApprovalPolicy:
    id: strawberry.ID
    display_name: str
    subsidiary_id: strawberry.ID | None = strawberry.field(description="Null: group-wide.")
    brand_ids: list[strawberry.ID] = strawberry.field(description="Empty: every brand in scope.")
    stages: list[ApprovalStage]
    updated_at: datetime
    etag: str

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
            updated_at=moment(m.update_time),
            etag=m.etag,
        )


@strawberry.input(description="One approval step.")
class ApprovalStageInput:
    approver_role: Role
    approver_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    require_all: bool = False


@strawberry.input(description="A new approval policy; no stages: posts need no approval.")
class CreateApprovalPolicyInput:
    display_name: str
    stages: list[ApprovalStageInput]
    subsidiary_id: strawberry.ID | None = None
    brand_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


def _policy(input: CreateApprovalPolicyInput) -> pb.ApprovalPolicy:
    return pb.ApprovalPolicy(
        display_name=input.display_name,
        subsidiary=str(input.subsidiary_id or ""),
        brands=[str(b) for b in input.brand_ids],
        stages=[
            pb.ApprovalStage(
                approver_role=s.approver_role.value,
                approvers=[str(a) for a in s.approver_ids],
                require_all=s.require_all,
            )
            for s in input.stages
        ],
    )


@strawberry.type
class PublisherPolicyQuery:
    @strawberry.field(description="The group's approval policies, one page at a time.")
    async def approval_policies(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        subsidiary_id: strawberry.ID | None = None,
    ) -> Connection[ApprovalPolicy]:
        ctx = info.context
        request = rpc.ListApprovalPoliciesRequest(
            parent=ctx.tenant_name, page_size=page_size(first), page_token=after or "",
            subsidiary=str(subsidiary_id or ""),
        )  # fmt: skip
        response = await ctx.call(ctx.clients.publisher.ListApprovalPolicies, request)
        return Connection(
            nodes=[ApprovalPolicy.of(p) for p in response.approval_policies],
            page_info=page_info(response.next_page_token),
        )


@strawberry.type
class PublisherPolicyMutation:
    @strawberry.mutation(description="Creates an approval policy (managers of its scope).")
    async def create_approval_policy(
        self, info: Info, input: CreateApprovalPolicyInput
    ) -> ApprovalPolicy:
        ctx = info.context
        request = rpc.CreateApprovalPolicyRequest(
            parent=ctx.tenant_name, approval_policy=_policy(input)
        )
        return ApprovalPolicy.of(
            await ctx.call(ctx.clients.publisher.CreateApprovalPolicy, request)
        )

    @strawberry.mutation(
        description="Deletes an approval policy; posts already submitted keep theirs."
    )
    async def delete_approval_policy(
        self, info: Info, id: strawberry.ID, etag: str = ""
    ) -> DeletePayload:
        ctx = info.context
        request = rpc.DeleteApprovalPolicyRequest(name=str(id), etag=etag)
        await ctx.call(ctx.clients.publisher.DeleteApprovalPolicy, request)
        return DeletePayload(deleted_id=id)
