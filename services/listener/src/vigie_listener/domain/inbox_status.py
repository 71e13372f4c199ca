"""An inbox item's life (pure): NEW → ASSIGNED → ANSWERED → CLOSED, and back by reopening.

Each function answers the next status, or None when the move makes no sense from here (the
handler turns None into FAILED_PRECONDITION with a reason).
"""

from enum import IntEnum


class Status(IntEnum):
    """Values are the contract's InboxStatus numbers."""

    NEW = 1
    ASSIGNED = 2
    ANSWERED = 3
    CLOSED = 4


WAITING = (Status.NEW, Status.ASSIGNED)


def _waiting_status(assignee: str) -> Status:
    return Status.ASSIGNED if assignee else Status.NEW


def after_assignment(current: Status, assignee: str) -> Status | None:
    """A closed item is reopened first; an answered one stays answered, whoever holds it."""
    if current is Status.CLOSED:
        return None
    if current is Status.ANSWERED:
        return current
    return _waiting_status(assignee)


def after_request(current: Status, wanted: Status, assignee: str) -> Status | None:
    """A person closes an item, or reopens a closed one (it waits for an answer again)."""
    if wanted is Status.CLOSED:
        return None if current is Status.CLOSED else Status.CLOSED
    if wanted is Status.NEW:
        return _waiting_status(assignee) if current is Status.CLOSED else None
    return None


def after_reply(current: Status) -> Status:
    """The brand replied: a waiting item is answered; a closed one stays closed."""
    return Status.ANSWERED if current in WAITING else current
