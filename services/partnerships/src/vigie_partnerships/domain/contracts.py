"""A contract's lifecycle and the rules that keep contracts apart.

    proposed -> signed -> active -> completed
        \\          \\         \\-> cancelled
         \\-> cancelled  \\-> cancelled

`active` is reached when the campaign starts (or at signature when it already has);
`completed` when every deliverable is fulfilled or missed. Completed is final; cancelled too.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    PROPOSED = "proposed"
    SIGNED = "signed"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


_NEXT = {
    Status.PROPOSED: {Status.SIGNED, Status.CANCELLED},
    Status.SIGNED: {Status.ACTIVE, Status.CANCELLED, Status.COMPLETED},
    Status.ACTIVE: {Status.COMPLETED, Status.CANCELLED},
    Status.COMPLETED: set(),
    Status.CANCELLED: set(),
}
LIVE = (Status.PROPOSED, Status.SIGNED, Status.ACTIVE)
# Each status's place in a contract's life, for sorting by status (the ends last).
LIFE_ORDER = {status: place for place, status in enumerate(Status)}


class RefusedTransition(ValueError):
    def __init__(self, current: Status, wanted: Status) -> None:
        super().__init__(f"a {current.value} contract cannot become {wanted.value}")
        self.reason = "INVALID_CONTRACT_TRANSITION"


def transition(current: Status, wanted: Status) -> Status:
    if wanted not in _NEXT[current]:
        raise RefusedTransition(current, wanted)
    return wanted


def status_at_signature(campaign_start: datetime, signed_at: datetime) -> Status:
    return Status.ACTIVE if signed_at >= campaign_start else Status.SIGNED


@dataclass(frozen=True)
class Window:
    """A live contract's campaign dates and brands, to test overlaps against."""

    start: datetime
    end: datetime
    brands: frozenset[str]


def overlaps(new: Window, existing: Window) -> bool:
    """Two contracts of one creator overlap when their campaigns share a brand and a moment:
    a creator is not paid twice by one brand for the same days."""
    return (
        bool(new.brands & existing.brands) and new.start < existing.end and existing.start < new.end
    )
