"""When an alert rule fires for a brand, without flapping.

A crisis trigger fires on its transition (the crisis lifecycle has its own hysteresis). A
measure trigger fires when its measure crosses the threshold, then stays disarmed until the
measure has gone back past the threshold by REARM_MARGIN (10% of it): an index hovering around
its threshold fires once, not at every bucket. Any trigger stays quiet for a brand during the
rule's cooldown after it fired.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

REARM_MARGIN = 0.1
DEFAULT_WINDOW_MINUTES = 60
DEFAULT_COOLDOWN_MINUTES = 30


class Direction(Enum):
    ABOVE = "above"
    BELOW = "below"


@dataclass(frozen=True)
class Threshold:
    value: float
    direction: Direction

    def crossed(self, measure: float) -> bool:
        if self.direction is Direction.ABOVE:
            return measure > self.value
        return measure < self.value

    def cleared(self, measure: float) -> bool:
        """Back on the safe side by the margin: the trigger may fire again."""
        margin = abs(self.value) * REARM_MARGIN
        if self.direction is Direction.ABOVE:
            return measure <= self.value - margin
        return measure >= self.value + margin


@dataclass(frozen=True)
class AlertMemory:
    armed: bool = True
    last_fire: datetime | None = None


def judge_measure(
    memory: AlertMemory, threshold: Threshold, measure: float, now: datetime, cooldown: timedelta
) -> tuple[bool, AlertMemory]:
    """Whether a measure trigger fires now, and what the rule remembers afterwards."""
    if not memory.armed:
        return False, replace(memory, armed=threshold.cleared(measure))
    if threshold.crossed(measure) and _rested(memory, now, cooldown):
        return True, AlertMemory(armed=False, last_fire=now)
    return False, memory


def judge_event(
    memory: AlertMemory, now: datetime, cooldown: timedelta
) -> tuple[bool, AlertMemory]:
    """Whether a crisis trigger fires on its transition (only the cooldown holds it back)."""
    if _rested(memory, now, cooldown):
        return True, AlertMemory(armed=True, last_fire=now)
    return False, memory


def _rested(memory: AlertMemory, now: datetime, cooldown: timedelta) -> bool:
    return memory.last_fire is None or now - memory.last_fire >= cooldown
