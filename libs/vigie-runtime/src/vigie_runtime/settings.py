"""Settings read from the environment and checked at start.

Every service subclasses `ServiceSettings` with its own prefix (`LISTENER_DATABASE_URL`, ...);
what all processes share (`VIGIE_NATS_URL`, `VIGIE_JWKS_FILE`, ...) lives in `PlatformSettings`.
"""

from pathlib import Path
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]


class PlatformSettings(BaseSettings):
    """What every process of one deployment shares."""

    model_config = SettingsConfigDict(env_prefix="VIGIE_", extra="ignore")

    environment: Environment = "development"
    nats_url: str = "nats://127.0.0.1:4222"
    # Copies of each stream in a NATS cluster: 3 in production, so an acknowledged event
    # outlives the loss of a server and its disk (docs/RELIABILITY.md); 1 on a single server.
    nats_stream_replicas: int = Field(default=1, ge=1, le=5)
    # The JWKS document (public keys) that verifies tokens; re-read when a token names an
    # unknown key, so keys rotate without restarts.
    jwks_file: Path = Path(".vigie/keys/jwks.json")
    token_issuer: str = "vigie-directory"
    token_audience: str = "vigie"
    # The process's /metrics for Prometheus, `host:port` (port 0: a free one); empty: none.
    metrics_address: str = ""
    # How often a worker reads the outbox backlog, dead letters and consumer lag for /metrics.
    metrics_sample_seconds: float = Field(default=15.0, gt=0)
    data_region: str = "local"
    log_level: str = "INFO"
    # May calls to addresses tenants chose (feeds, instances, webhooks) reach loopback and
    # private networks? Unset: yes outside production, no in production (vigie_runtime.outbound).
    allow_private_outbound: bool | None = None

    @property
    def private_outbound_allowed(self) -> bool:
        if self.allow_private_outbound is not None:
            return self.allow_private_outbound
        return self.environment != "production"


class ServiceSettings(BaseSettings):
    """A service's own settings; subclasses set `env_prefix`."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = "sqlite+aiosqlite:///:memory:"
    grpc_address: str = "127.0.0.1:50051"
    # Outbox relay and consumer tuning.
    relay_batch_size: int = Field(default=256, ge=1, le=10_000)
    consumer_batch_size: int = Field(default=128, ge=1, le=10_000)
    consumer_max_deliver: int = Field(default=5, ge=1, le=100)
    consumer_ack_wait_seconds: float = Field(default=30.0, gt=0)
    platform: PlatformSettings = Field(default_factory=PlatformSettings)

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Self:
        if self.platform.environment == "production" and self.database_url.startswith("sqlite"):
            raise ValueError("production refuses SQLite: set a PostgreSQL database_url")
        return self
