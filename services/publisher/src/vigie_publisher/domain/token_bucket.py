"""A per-account token bucket: how long to wait before the next call. Pure; time is given.

A network's 429 slows it (no call until the network's reset, then half the rate); each success
gives back part of the configured rate, so an account recovers without hammering the network.
"""

from dataclasses import dataclass, field

# The slowest an account is paced after repeated 429s: one call a minute.
FLOOR_PER_S = 1 / 60


@dataclass
class TokenBucket:
    rate_per_s: float
    burst: float
    _tokens: float = field(init=False)
    _at: float | None = field(default=None, init=False)
    _configured: float = field(init=False)

    def __post_init__(self) -> None:
        self._tokens, self._configured = self.burst, self.rate_per_s

    def take(self, now: float) -> float:
        """0 when a call may go now (a token is taken), else the seconds to wait for one."""
        self._refill(now)
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / self.rate_per_s

    def slow_down(self, now: float, wait_s: float) -> None:
        """The network refused for rate: no token for `wait_s`, then half the pace."""
        self._refill(now)
        self.rate_per_s = max(self.rate_per_s / 2, min(FLOOR_PER_S, self._configured))
        self._tokens = min(self._tokens, 1 - max(wait_s, 0.0) * self.rate_per_s)

    def succeeded(self) -> None:
        """A call went through: a tenth of the configured pace comes back."""
        self.rate_per_s = min(self._configured, self.rate_per_s + self._configured / 10)

    def _refill(self, now: float) -> None:
        if self._at is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate_per_s)
        self._at = now
