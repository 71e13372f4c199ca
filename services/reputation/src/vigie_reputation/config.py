"""Reputation settings (`REPUTATION_*`), checked at start."""

from typing import Literal

from pydantic_settings import SettingsConfigDict
from vigie_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPUTATION_", extra="ignore")

    # Which shipped sentiment model scores mentions (see vigie_reputation.sentiment.loading).
    sentiment_model: Literal["default", "cascade", "fast"] = "default"
