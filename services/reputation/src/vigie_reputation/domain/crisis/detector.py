"""The streaming crisis detector of one brand: feed it 5-minute buckets, get transitions back."""

from __future__ import annotations

from datetime import datetime, timedelta

from vigie_reputation.domain.crisis.lifecycle import Transition
from vigie_reputation.domain.crisis.params import BUCKET_MINUTES, BUCKETS_PER_DAY, CrisisParams
from vigie_reputation.domain.crisis.signal import Signal
from vigie_reputation.domain.crisis.state import CrisisState

BUCKET = timedelta(minutes=BUCKET_MINUTES)


class CrisisDetector:
    """Pure and deterministic: the same buckets from the same state give the same transitions.

    Buckets must come in time order. A bucket at or before the last one seen is ignored (a
    redelivered bucket is applied once); missing buckets, up to a day of them, count as silent
    (a brand nobody mentions produces no bucket).
    """

    def __init__(self, params: CrisisParams | None = None, state: CrisisState | None = None):
        self.params = params or CrisisParams()
        self.state = state or CrisisState()

    def observe(self, bucket_start: datetime, total: int, negative: int) -> list[Transition]:
        last = self.state.last_bucket
        if last is not None and bucket_start <= last:
            return []
        transitions: list[Transition] = []
        if last is not None:
            missing = min(int((bucket_start - last) / BUCKET) - 1, BUCKETS_PER_DAY)
            for gap in range(missing, 0, -1):
                transitions += self._step(bucket_start - gap * BUCKET, 0, 0)
        transitions += self._step(bucket_start, total, negative)
        self.state.last_bucket = bucket_start
        return transitions

    def _step(self, at: datetime, total: int, negative: int) -> list[Transition]:
        state, params = self.state, self.params
        readings = [
            state.total.read(Signal.TOTAL, at, total, params),
            state.negative.read(Signal.NEGATIVE, at, negative, params),
        ]
        state.buckets_seen += 1
        if state.buckets_seen <= params.warmup_buckets:
            return []
        return state.lifecycle.step(at, readings, params)
