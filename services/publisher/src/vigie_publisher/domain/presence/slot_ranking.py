"""Which free moments of a range to propose for a post: the best-times slots ranked by their
score, or the queue's fixed slots in time order when no best times are known yet."""

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from vigie_publisher.domain.scheduling import Slot, local_to_utc

MAX_RANGE = timedelta(days=31)
# Best times come in 5-minute slots: a post scheduled anywhere inside one takes it.
SLOT_LENGTH = timedelta(minutes=5)
QUEUE_BASIS = "queue"
_DAYS = ("", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class ScoredSlot:
    weekday: int  # 1 = Monday ... 7 = Sunday
    minute_of_day: int
    score: float


@dataclass(frozen=True)
class Proposal:
    at: datetime  # UTC
    local: datetime  # the same moment in the account's zone
    score: float
    basis: str
    reason: str


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    zone: ZoneInfo


def propose(
    window: Window,
    best: Sequence[ScoredSlot],
    basis: str,
    queue: Sequence[Slot],
    taken: Collection[datetime],
    count: int,
) -> list[Proposal]:
    """`count` free moments of the window, best first."""
    busy = {_bucket(moment) for moment in taken}
    if best:
        scored = [(at, slot) for at, slot in _moments(window, best) if _bucket(at) not in busy]
        scored.sort(key=lambda pair: (-pair[1].score, pair[0]))
        return [_best(window, at, slot, basis) for at, slot in scored[:count]]
    fixed = [
        ScoredSlot(s.weekday, s.local_time.hour * 60 + s.local_time.minute, 0.0) for s in queue
    ]
    free = sorted(at for at, _ in _moments(window, fixed) if _bucket(at) not in busy)
    return [_queued(window, at) for at in free[:count]]


def _moments(window: Window, slots: Sequence[ScoredSlot]) -> Iterator[tuple[datetime, ScoredSlot]]:
    seen: set[datetime] = set()
    day = window.start.astimezone(window.zone).date()
    last = window.end.astimezone(window.zone).date()
    while day <= last:
        for slot in slots:
            if slot.weekday != day.isoweekday():
                continue
            at = time(slot.minute_of_day // 60, slot.minute_of_day % 60)
            moment = local_to_utc(day, at, window.zone)
            if window.start <= moment < window.end and moment not in seen:
                seen.add(moment)
                yield moment, slot
        day += timedelta(days=1)


def _bucket(moment: datetime) -> int:
    return int(moment.timestamp() // SLOT_LENGTH.total_seconds())


def _label(local: datetime) -> str:
    return f"{_DAYS[local.isoweekday()]} {local:%H:%M}"


def _best(window: Window, moment: datetime, slot: ScoredSlot, basis: str) -> Proposal:
    local = moment.astimezone(window.zone)
    history = "the account's own history" if basis == "own_history" else "the network's aggregate"
    reason = f"best times from {history} ({basis}): {_label(local)} scores {slot.score:.2f}"
    return Proposal(moment, local, slot.score, basis, reason + " (1.00 is the account's mean)")


def _queued(window: Window, moment: datetime) -> Proposal:
    local = moment.astimezone(window.zone)
    reason = f"queue slot {_label(local)}: no best times are known for this account yet"
    return Proposal(moment, local, 0.0, QUEUE_BASIS, reason)
