"""Reputation settings (`REPUTATION_*`), checked at start."""

from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict
from vigie_runtime.key_ring import parse_keys
from vigie_runtime.regions import GroupSettings
from vigie_runtime.settings import ServiceSettings

from vigie_reputation.adapters.secret_box import SecretBox
from vigie_reputation.domain.crisis import CrisisParams

# Used only outside production when no key is configured, so a development install restarts
# with readable webhook secrets; production refuses to start without its own keys.
DEVELOPMENT_WEBHOOK_KEY = "ZGV2LW9ubHktd2ViaG9vay1zZWNyZXQta2V5LTMyYiE="


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

    # Raw 5-minute presence snapshots are kept this long; the day roll-ups stay for good.
    presence_raw_retention_days: int = Field(35, ge=1)

    # Fernet keys sealing webhook secrets, comma-separated; the first seals, all open
    # (rotation: prepend a key, reseal, then drop the old one).
    webhook_secret_keys: str = ""

    # The group's data regions (`VIGIE_GROUP_REGIONS`); when this region is one of them, it
    # exports its aggregates and reads the others' for the group view (docs/DATA_REGIONS.md).
    group: GroupSettings = Field(default_factory=GroupSettings)

    @model_validator(mode="after")
    def _keys_in_production(self) -> Self:
        if self.platform.environment == "production" and not self.webhook_secret_keys.strip():
            raise ValueError("production needs REPUTATION_WEBHOOK_SECRET_KEYS")
        return self

    def webhook_secret_box(self) -> SecretBox:
        return SecretBox(parse_keys(self.webhook_secret_keys) or [DEVELOPMENT_WEBHOOK_KEY])

    @property
    def in_a_group(self) -> bool:
        return self.platform.data_region in self.group.region_list

    def crisis_params(self) -> CrisisParams:
        return CrisisParams(warmup_buckets=self.crisis_warmup_buckets)
