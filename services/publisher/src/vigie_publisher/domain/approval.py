"""Approval workflows: stages passed in order, any or all of a stage's approvers, never one's
own post, and nothing approved after its deadline. Pure rules."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Stage:
    role: str  # vigie_runtime.principal.Role value
    approvers: tuple[str, ...] = ()  # member names; empty: anyone holding the role
    require_all: bool = False


def stage_passed(stage: Stage, approved_by: Collection[str]) -> bool:
    if stage.require_all and stage.approvers:
        return set(stage.approvers) <= set(approved_by)
    return bool(approved_by)


def refusal(
    stage: Stage, actor: str, author: str, holds_role: bool, approved_by: Collection[str]
) -> str | None:
    """Why `actor` may not approve at `stage` (a stable reason), or None when they may."""
    if actor == author:
        return "SELF_APPROVAL"
    if not holds_role:
        return "ROLE_REQUIRED"
    if stage.approvers and actor not in stage.approvers:
        return "NOT_AN_APPROVER"
    if actor in approved_by:
        return "ALREADY_APPROVED"
    return None


def deadline_passed(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and now >= deadline
