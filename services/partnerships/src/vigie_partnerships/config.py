"""Partnerships settings (`PARTNERSHIPS_*`), checked at start."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from vigie_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PARTNERSHIPS_", extra="ignore")
    # Authors of mentions with at least this many followers become creators.
    discovery_min_followers: int = Field(default=1000, ge=0)
    # How often deliverables past due are looked for.
    deliverables_clock_seconds: float = Field(default=30.0, gt=0)
