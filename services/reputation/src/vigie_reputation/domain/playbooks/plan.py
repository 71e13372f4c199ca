"""Choosing a crisis's playbook and scheduling its alert steps."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class PlaybookCandidate:
    """A playbook that could apply: the brand's own, or its subsidiary's."""

    id: str
    scope: str  # "brand" or "subsidiary"
    create_time: datetime


@dataclass(frozen=True)
class AlertStep:
    member: str
    webhook_id: str
    delay_seconds: int


@dataclass(frozen=True)
class PlannedNotification:
    step: int  # from 1, in the playbook's order
    member: str
    webhook_id: str
    due_time: datetime


def choose_playbook(candidates: Sequence[PlaybookCandidate]) -> PlaybookCandidate | None:
    """The brand's own playbook wins over its subsidiary's; among several of one scope, the
    oldest (the one people have had longest to review), then the smallest id for a tie."""
    for scope in ("brand", "subsidiary"):
        mine = [c for c in candidates if c.scope == scope]
        if mine:
            return min(mine, key=lambda c: (c.create_time, c.id))
    return None


def plan_notifications(
    steps: Sequence[AlertStep], open_time: datetime
) -> list[PlannedNotification]:
    """Each step is due its delay after the opening, but never before the step listed before it:
    the playbook's order is the order people hear about the crisis."""
    planned: list[PlannedNotification] = []
    due = open_time
    for index, step in enumerate(steps, start=1):
        due = max(due, open_time + timedelta(seconds=step.delay_seconds))
        planned.append(PlannedNotification(index, step.member, step.webhook_id, due))
    return planned
