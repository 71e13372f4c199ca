"""Gateway settings (`GATEWAY_*`): where the services are, and the query limits."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from vigie_runtime.settings import PlatformSettings


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    http_address: str = "127.0.0.1:8000"
    directory_target: str = "127.0.0.1:50051"
    publisher_target: str = "127.0.0.1:50052"
    listener_target: str = "127.0.0.1:50053"
    reputation_target: str = "127.0.0.1:50054"
    partnerships_target: str = "127.0.0.1:50055"
    max_depth: int = Field(default=12, ge=2, le=50)
    max_aliases: int = Field(default=30, ge=1, le=1000)
    max_tokens: int = Field(default=3000, ge=100, le=100_000)
    # Every field costs 1, a page of n multiplies what it selects by n (see http/cost.py).
    max_cost: int = Field(default=20_000, ge=10)
    rpc_timeout_seconds: float = Field(default=10.0, gt=0)
    # Token bucket per caller (subject+tenant, or IP when anonymous): sustained rate and burst.
    rate_limit_per_second: float = Field(default=100.0, gt=0)
    rate_limit_burst: int = Field(default=200, ge=1)
    # Fair admission (http/admission.py): operations executing at once, a tenant's share of
    # them, and how many of a tenant's requests may wait for a slot before more are refused.
    max_concurrent_operations: int = Field(default=8, ge=1, le=10_000)
    max_concurrent_operations_per_tenant: int = Field(default=4, ge=1, le=10_000)
    max_queued_per_tenant: int = Field(default=16, ge=0, le=100_000)
    # Automatic persisted queries (APQ): on, with this many queries kept per process.
    persisted_queries_enabled: bool = True
    persisted_queries_capacity: int = Field(default=1000, ge=1)
    # The production allow-list: a JSON file of sha256 -> query; when set, only those run.
    persisted_queries_allow_list: Path | None = None
    allowed_origins: list[str] = Field(default_factory=list)
    # Dashboard queries' answers kept per caller's authority and forgotten on the facts that
    # change them (response_cache.py); the age is a backstop for a fact that never came.
    response_cache_enabled: bool = True
    response_cache_max_age_seconds: float = Field(default=5.0, gt=0, le=300)
    response_cache_capacity: int = Field(default=10_000, ge=1)
    # How far behind the facts a kept answer may be served while it is refreshed (0: never).
    response_cache_stale_seconds: float = Field(default=1.0, ge=0, le=60)
    # The reference console at /console (docs/FRONTEND.md); unset: served outside production.
    console: bool | None = None
    platform: PlatformSettings = Field(default_factory=PlatformSettings)

    @property
    def production(self) -> bool:
        return self.platform.environment == "production"

    @property
    def console_enabled(self) -> bool:
        return self.console if self.console is not None else not self.production
