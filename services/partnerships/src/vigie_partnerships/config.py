"""Partnerships settings (`PARTNERSHIPS_*`), checked at start."""

from decimal import Decimal

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from vigie_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PARTNERSHIPS_", extra="ignore")
    # Authors of mentions with at least this many followers become creators.
    discovery_min_followers: int = Field(default=1000, ge=0)
    # How often deliverables past due are looked for.
    deliverables_clock_seconds: float = Field(default=30.0, gt=0)
    # Earned media value rates: {network: {currency: [CPM, rate per engagement]}}, as decimal
    # strings; networks without a rate leave EMV unset rather than guessed. Rates in another
    # currency than a campaign's are converted with the tenant's stored FX rates (SetFxRate).
    emv_rates: dict[str, dict[str, tuple[Decimal, Decimal]]] = Field(
        default_factory=lambda: {
            n: {"EUR": (Decimal("5.00"), Decimal("0.10"))}
            for n in ("bluesky", "mastodon", "x", "instagram", "tiktok", "youtube")
        }
    )
