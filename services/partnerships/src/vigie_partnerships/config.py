"""Partnerships settings (`PARTNERSHIPS_*`), checked at start."""

from pydantic_settings import SettingsConfigDict
from vigie_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PARTNERSHIPS_", extra="ignore")
