"""Crisis playbooks as pure rules (no I/O): which playbook a crisis applies, when each of its
alert steps is due, and which holding statements it proposes."""

from vigie_reputation.domain.playbooks.plan import (
    AlertStep,
    PlannedNotification,
    PlaybookCandidate,
    choose_playbook,
    plan_notifications,
)

__all__ = [
    "AlertStep",
    "PlannedNotification",
    "PlaybookCandidate",
    "choose_playbook",
    "plan_notifications",
]
