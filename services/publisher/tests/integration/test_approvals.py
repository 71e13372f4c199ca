"""Approval workflows: none, one stage, several stages of any or all approvers; nobody approves
their own post; rejections need a reason; the trail records everything; a deadline stops it."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from vigie.directory.v1 import resources_pb2 as directory
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.orm import PostRow
from vigie_publisher.app import approvals, policies, posts
from vigie_publisher.app.events import POST_APPROVED
from vigie_runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from vigie_runtime.host import Plumbing
from vigie_runtime.principal import Principal, Role
from vigie_runtime.uow import UnitOfWork

from .conftest import BRAND_NAME, FRANCE, TENANT, connect_account, emitted, person

WRITER = person(Role.COMMUNITY_MANAGER, "writer")
MANAGER = person(Role.SOCIAL_MEDIA_MANAGER, "manager")
BOSS_A = person(Role.SOCIAL_MEDIA_MANAGER, "boss-a")
BOSS_B = person(Role.SOCIAL_MEDIA_MANAGER, "boss-b")
ADMIN = person(Role.GROUP_ADMIN, "admin", where=None)
SMM = directory.ROLE_SOCIAL_MEDIA_MANAGER


async def policy(uow: Callable[[], UnitOfWork], *stages: pb.ApprovalStage) -> None:
    async with uow() as u:
        source = pb.ApprovalPolicy(subsidiary=FRANCE, stages=stages)
        await policies.create(u, ADMIN, f"tenants/{TENANT}", source)
        await u.commit()


async def drafted(uow: Callable[[], UnitOfWork], author: Principal = WRITER) -> str:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    source = pb.Post(
        variants=[pb.PostVariant(network=pb.NETWORK_X, text="Bientôt")], social_accounts=[x]
    )
    source.approval_deadline.FromDatetime(datetime.now(UTC) + timedelta(days=1))
    async with uow() as u:
        row = await posts.create(u, author, BRAND_NAME, source, "")
        await u.commit()
        return f"{BRAND_NAME}/posts/{row.id}"


async def act(
    uow: Callable[[], UnitOfWork],
    step: Callable[..., object],
    who: Principal,
    name: str,
    comment: str = "",
) -> PostRow:
    async with uow() as u:
        row: PostRow = await step(u, who, name, "", comment)  # type: ignore[misc]
        await u.commit()
        return row


async def test_without_a_policy_a_submitted_post_is_approved_at_once(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    name = await drafted(uow)
    assert (await act(uow, approvals.submit, WRITER, name)).status == "approved"
    assert len(await emitted(plumbing, POST_APPROVED.ce_type)) == 1


async def test_a_manager_approves_what_a_community_manager_submitted(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    await policy(uow, pb.ApprovalStage(approver_role=SMM))
    name = await drafted(uow)
    assert (await act(uow, approvals.submit, WRITER, name, "prêt")).status == "submitted"
    with pytest.raises(PermissionDenied) as caught:
        await act(uow, approvals.approve, person(Role.COMMUNITY_MANAGER, "peer"), name)
    assert caught.value.reason == "ROLE_REQUIRED"
    row = await act(uow, approvals.approve, MANAGER, name, "ok")
    assert row.status == "approved"
    async with uow() as u:
        trail = await posts.trail(u, row)
    assert [(e.action, e.actor, e.comment) for e in trail] == [
        ("submitted", WRITER.subject, "prêt"),
        ("approved", MANAGER.subject, "ok"),
    ]
    assert len(await emitted(plumbing, POST_APPROVED.ce_type)) == 1


async def test_nobody_approves_their_own_post(uow: Callable[[], UnitOfWork]) -> None:
    await policy(uow, pb.ApprovalStage(approver_role=SMM))
    name = await drafted(uow, author=MANAGER)
    await act(uow, approvals.submit, MANAGER, name)
    with pytest.raises(PermissionDenied) as caught:
        await act(uow, approvals.approve, MANAGER, name)
    assert caught.value.reason == "SELF_APPROVAL"


async def test_a_stage_needing_all_its_approvers_waits_for_each_of_them(
    uow: Callable[[], UnitOfWork],
) -> None:
    bosses = [BOSS_A.subject, BOSS_B.subject]
    await policy(
        uow,
        pb.ApprovalStage(approver_role=SMM),
        pb.ApprovalStage(approver_role=SMM, approvers=bosses, require_all=True),
    )
    name = await drafted(uow)
    await act(uow, approvals.submit, WRITER, name)
    assert (await act(uow, approvals.approve, MANAGER, name)).status == "submitted"
    with pytest.raises(PermissionDenied) as outsider:
        await act(uow, approvals.approve, person(Role.SOCIAL_MEDIA_MANAGER, "other"), name)
    assert outsider.value.reason == "NOT_AN_APPROVER"
    assert (await act(uow, approvals.approve, BOSS_A, name)).status == "submitted"
    with pytest.raises(PermissionDenied) as twice:
        await act(uow, approvals.approve, BOSS_A, name)
    assert twice.value.reason == "ALREADY_APPROVED"
    assert (await act(uow, approvals.approve, BOSS_B, name)).status == "approved"


async def test_a_stage_of_any_approver_passes_with_the_first_one(
    uow: Callable[[], UnitOfWork],
) -> None:
    bosses = [BOSS_A.subject, BOSS_B.subject]
    await policy(uow, pb.ApprovalStage(approver_role=SMM, approvers=bosses))
    name = await drafted(uow)
    await act(uow, approvals.submit, WRITER, name)
    assert (await act(uow, approvals.approve, BOSS_B, name)).status == "approved"


async def test_a_rejection_needs_a_reason_and_sends_the_post_back_to_draft(
    uow: Callable[[], UnitOfWork],
) -> None:
    await policy(uow, pb.ApprovalStage(approver_role=SMM))
    name = await drafted(uow)
    await act(uow, approvals.submit, WRITER, name)
    with pytest.raises(InvalidArgument):
        await act(uow, approvals.reject, MANAGER, name, " ")
    row = await act(uow, approvals.reject, MANAGER, name, "le ton ne va pas")
    assert row.status == "draft"
    async with uow() as u:
        trail = await posts.trail(u, row)
    assert [e.action for e in trail] == ["submitted", "rejected"]


async def test_after_its_deadline_a_post_can_no_longer_be_approved(
    uow: Callable[[], UnitOfWork],
) -> None:
    await policy(uow, pb.ApprovalStage(approver_role=SMM))
    name = await drafted(uow)
    await act(uow, approvals.submit, WRITER, name)
    async with uow() as u:
        row = await u.session.get(PostRow, name.rsplit("/", 1)[1])
        assert row is not None
        row.approval_deadline = datetime.now(UTC) - timedelta(minutes=1)
        await u.commit()
    with pytest.raises(FailedPrecondition) as caught:
        await act(uow, approvals.approve, MANAGER, name)
    assert caught.value.reason == "APPROVAL_DEADLINE_PASSED"
