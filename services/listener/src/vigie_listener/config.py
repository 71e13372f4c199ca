"""Listener settings (`LISTENER_*`), checked at start."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from vigie_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LISTENER_", extra="ignore")

    # The platform's languages: detection chooses among these (ISO 639-1).
    languages: list[str] = Field(
        default_factory=lambda: ["en", "fr", "de", "es", "it", "pt", "ar", "hi", "nl"]
    )
    # How many mentions one partner may push per minute.
    partner_quota_per_minute: int = Field(default=6000, ge=1)
    # Texts longer than this are cut (a giant text is kept, not refused, up to here).
    max_text_length: int = Field(default=20_000, ge=100)
    # A negative mention enters the inbox when its author has at least this many followers.
    inbox_high_reach_followers: int = Field(default=10_000, ge=0)
    # How often the inbox looks for items past their subsidiary's response targets.
    inbox_breach_interval_seconds: float = Field(default=30.0, gt=0)
