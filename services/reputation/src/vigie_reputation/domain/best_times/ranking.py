"""The best slots of a week of scores: distinct moments, best first."""

import numpy as np

from vigie_reputation.domain.best_times.params import SLOT_MINUTES, SLOTS_PER_WEEK
from vigie_reputation.domain.best_times.smoothing import Scores


def best_slots(scores: Scores, count: int, min_gap_minutes: int) -> list[int]:
    """Greedy: the best slot, then the best at least `min_gap_minutes` from those chosen, and so
    on; once no slot is that far from all chosen ones, the rest follow by score. Ties go to the
    earlier slot of the week."""
    count = min(count, SLOTS_PER_WEEK)
    gap = min_gap_minutes // SLOT_MINUTES
    # Stable order on -score: equal scores keep week order.
    order = list(np.argsort(-scores, kind="stable"))
    free = np.ones(SLOTS_PER_WEEK, dtype=bool)
    chosen: list[int] = []
    for slot in order:
        if len(chosen) == count:
            return chosen
        if free[slot]:
            chosen.append(int(slot))
            around = np.arange(slot - gap, slot + gap + 1) % SLOTS_PER_WEEK
            free[around] = False
    taken = set(chosen)
    rest = [int(s) for s in order if int(s) not in taken]
    return chosen + rest[: count - len(chosen)]
