"""How many gRPC calls one caller may make: a token bucket per verified token subject (its
tenant and subject), checked by the server's interceptor before the method runs, so a flood is
refused for the cost of a token check and a dictionary look-up, never a database transaction.

A partner client (an integration pushing mentions, reading its brands) gets a tighter bucket
than a user: its traffic is machine traffic, and one partner's runaway loop must not take the
CPU another tenant's calls need. A user's bucket is well above what the gateway lets one user
send (100 requests/s, each fanning out to a few calls), so it only stops callers that reach the
services directly. Over the limit: RESOURCE_EXHAUSTED, reason RATE_LIMITED, with RetryInfo.
The listener's per-minute quota of pushed mentions (counted in its database) stays the limit
on volume; this one is on calls.
"""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from vigie_runtime.errors import RateLimited
from vigie_runtime.principal import Principal, PrincipalKind
from vigie_runtime.rate_limit import RateLimiter


class CallLimitSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VIGIE_GRPC_", extra="ignore")

    user_calls_per_second: float = Field(default=1000.0, gt=0)
    user_calls_burst: int = Field(default=2000, ge=1)
    partner_calls_per_second: float = Field(default=100.0, gt=0)
    partner_calls_burst: int = Field(default=200, ge=1)


class CallLimits:
    def __init__(self, settings: CallLimitSettings | None = None) -> None:
        settings = settings or CallLimitSettings()
        self._users = RateLimiter(settings.user_calls_per_second, settings.user_calls_burst)
        self._partners = RateLimiter(
            settings.partner_calls_per_second, settings.partner_calls_burst
        )

    def check(self, principal: Principal) -> None:
        partner = principal.kind is PrincipalKind.PARTNER
        limiter = self._partners if partner else self._users
        wait = limiter.take(f"{principal.tenant}:{principal.subject}")
        if wait is not None:
            who = "partner client" if partner else "caller"
            raise RateLimited(f"too many calls from this {who}: retry in {wait} s", wait)
