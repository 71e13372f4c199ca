"""A post's way to approval: submitted by its writer, approved stage by stage by others,
rejected back to draft with a reason; every step in the audit trail."""

from datetime import datetime

from sqlalchemy import select
from vigie.publisher.v1 import events_pb2
from vigie_runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from vigie_runtime.field_masks import check_etag
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal, Role
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import AuditEntryRow, PostRow
from vigie_publisher.app import events, policies, posts, views
from vigie_publisher.app.accounts import subsidiary_of
from vigie_publisher.app.common import now, utc
from vigie_publisher.app.names import POST
from vigie_publisher.domain.approval import deadline_passed, refusal, stage_passed


def audit(uow: UnitOfWork, row: PostRow, action: str, who: Principal, comment: str) -> None:
    uow.session.add(
        AuditEntryRow(
            id=new_id(),
            tenant=row.tenant,
            subject=POST.format(row.tenant, row.brand_id, row.id),
            action=action,
            actor=who.subject,
            comment=comment[:2000],
            stage=row.stage_index,
            at=now(),
        )
    )


def _moving(row: PostRow, status: str, etag: str, moment: datetime) -> None:
    if etag:
        check_etag(etag, row.version)
    if row.status != status:
        raise FailedPrecondition("POST_NOT_" + status.upper(), f"the post is {row.status}")
    deadline = utc(row.approval_deadline) if row.approval_deadline else None
    if deadline_passed(deadline, moment):
        raise FailedPrecondition("APPROVAL_DEADLINE_PASSED", "the approval deadline has passed")


def _emit(uow: UnitOfWork, row: PostRow, approved: bool) -> None:
    message = views.post(row)
    if approved:
        event = events_pb2.PostApproved(post=message, subsidiary=subsidiary_of(row))
        uow.emit(events.POST_APPROVED, row.tenant, event)
    else:
        event2 = events_pb2.PostSubmitted(post=message, subsidiary=subsidiary_of(row))
        uow.emit(events.POST_SUBMITTED, row.tenant, event2)


def _touch(row: PostRow, status: str) -> None:
    row.status, row.version, row.updated_at = status, row.version + 1, now()


async def submit(uow: UnitOfWork, who: Principal, name: str, etag: str, comment: str) -> PostRow:
    row = await posts.get(uow, who, name)
    who.require(posts.WRITERS, subsidiary_of(row))
    _moving(row, "draft", etag, now())
    row.stages, row.stage_index = await policies.stages_for(uow, row), 0
    _touch(row, "submitted" if row.stages else "approved")
    audit(uow, row, "submitted", who, comment)
    _emit(uow, row, approved=not row.stages)
    return row


async def _approvals_at_stage(uow: UnitOfWork, row: PostRow) -> list[str]:
    subject = POST.format(row.tenant, row.brand_id, row.id)
    query = select(AuditEntryRow.actor).where(
        AuditEntryRow.tenant == row.tenant,
        AuditEntryRow.subject == subject,
        AuditEntryRow.action == "approved",
        AuditEntryRow.stage == row.stage_index,
    )
    # A rejection sends the post back: only approvals since the last submission count.
    since = (
        select(AuditEntryRow.at)
        .where(
            AuditEntryRow.tenant == row.tenant,
            AuditEntryRow.subject == subject,
            AuditEntryRow.action == "submitted",
        )
        .order_by(AuditEntryRow.at.desc())
        .limit(1)
    )
    return list(
        (
            await uow.session.execute(query.where(AuditEntryRow.at >= since.scalar_subquery()))
        ).scalars()
    )


async def approve(uow: UnitOfWork, who: Principal, name: str, etag: str, comment: str) -> PostRow:
    row = await posts.get(uow, who, name)
    _moving(row, "submitted", etag, now())
    stage = policies.to_stage(row.stages[row.stage_index])
    approved_by = await _approvals_at_stage(uow, row)
    holds = who.holds((Role(stage.role),), subsidiary_of(row))
    reason = refusal(stage, who.subject, row.author, holds, approved_by)
    if reason:
        raise PermissionDenied(reason, f"{who.subject} cannot approve this post: {reason}")
    audit(uow, row, "approved", who, comment)
    if stage_passed(stage, [*approved_by, who.subject]):
        row.stage_index += 1
    done = row.stage_index >= len(row.stages)
    _touch(row, "approved" if done else "submitted")
    if done:
        _emit(uow, row, approved=True)
    return row


async def reject(uow: UnitOfWork, who: Principal, name: str, etag: str, comment: str) -> PostRow:
    if not comment.strip():
        raise InvalidArgument("comment", "say why the post is rejected", "COMMENT_REQUIRED")
    row = await posts.get(uow, who, name)
    _moving(row, "submitted", etag, now())
    stage = policies.to_stage(row.stages[row.stage_index])
    holds = who.holds((Role(stage.role),), subsidiary_of(row))
    reason = refusal(stage, who.subject, row.author, holds, [])
    if reason:
        raise PermissionDenied(reason, f"{who.subject} cannot reject this post: {reason}")
    audit(uow, row, "rejected", who, comment)
    row.stage_index = 0
    _touch(row, "draft")
    return row
