"""Gateway settings (`GATEWAY_*`): where the services are, and the query limits."""

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
    rpc_timeout_seconds: float = Field(default=10.0, gt=0)
    allowed_origins: list[str] = Field(default_factory=list)
    platform: PlatformSettings = Field(default_factory=PlatformSettings)

    @property
    def production(self) -> bool:
        return self.platform.environment == "production"
