"""Reputation settings (`REPUTATION_*`), checked at start."""

from typing import Literal

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from vigie_runtime.settings import ServiceSettings

from vigie_reputation.domain.crisis import CrisisParams


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPUTATION_", extra="ignore")

    # Which shipped sentiment model scores mentions (see vigie_reputation.sentiment.loading).
    sentiment_model: Literal["default", "cascade", "fast"] = "default"
    # Buckets a brand's detector learns from before it may open a crisis (a day by default).
    crisis_warmup_buckets: int = Field(CrisisParams().warmup_buckets, ge=0)
    # How often buckets with no later mention are closed (quiet brands resolve their crises).
    crisis_clock_seconds: float = Field(30.0, gt=0)
    # Every webhook call ends within this deadline; failed calls are retried after
    # backoff, backoff x 2, ... up to 10 minutes, 8 attempts in all.
    webhook_deadline_seconds: float = Field(5.0, gt=0, le=60)
    webhook_backoff_seconds: float = Field(1.0, gt=0)
    webhook_poll_seconds: float = Field(0.5, gt=0)

    def crisis_params(self) -> CrisisParams:
        return CrisisParams(warmup_buckets=self.crisis_warmup_buckets)
