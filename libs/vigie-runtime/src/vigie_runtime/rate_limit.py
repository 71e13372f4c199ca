"""Token buckets, one per caller: a bucket holds at most `burst` calls and refills at
`per_second`; a call with no token left learns the whole seconds until one is back. The buckets
live in a bounded map (least recently seen first out), so a flood of distinct callers cannot
grow the process's memory; a forgotten caller simply starts again with a full bucket. The
gateway limits its HTTP requests with it, the gRPC servers their calls (call_limits.py).
"""

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(
        self,
        per_second: float,
        burst: int,
        max_callers: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate, self._burst = per_second, float(burst)
        self._max_callers, self._clock = max_callers, clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, caller: str) -> int | None:
        """None when the caller may go on, else the whole seconds to wait (at least 1)."""
        now = self._clock()
        bucket = self._buckets.pop(caller, None) or _Bucket(self._burst, now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
        bucket.updated = now
        self._buckets[caller] = bucket
        while len(self._buckets) > self._max_callers:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return max(1, math.ceil((1 - bucket.tokens) / self._rate))
