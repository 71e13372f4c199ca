"""Publisher settings (`PUBLISHER_*`), checked at start."""

from datetime import timedelta
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict
from vigie_runtime.key_ring import parse_keys
from vigie_runtime.settings import ServiceSettings

from vigie_publisher.domain.presence.due import MIN_INTERVAL

# Used only outside production when no key is configured, so a development install restarts
# with readable credentials; production refuses to start without its own keys.
DEVELOPMENT_CREDENTIALS_KEY = "ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LWZvci1wcm8="


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PUBLISHER_", extra="ignore")

    # Fernet keys, comma-separated; the first encrypts, all decrypt (rotation: prepend a key,
    # re-encrypt, then drop the old one).
    credentials_keys: str = ""
    # `account.token_expiring` is emitted this long before a token expires.
    token_warning_hours: float = Field(default=72.0, gt=0)
    # OAuth tokens are refreshed this long before they expire.
    token_refresh_ahead_hours: float = Field(default=24.0, gt=0)

    # The dispatcher.
    dispatch_batch: int = Field(default=200, ge=1, le=5000)
    dispatch_concurrency: int = Field(default=32, ge=1, le=1000)
    dispatch_lease_s: float = Field(default=120.0, gt=0)
    dispatch_call_deadline_s: float = Field(default=20.0, gt=0)
    dispatch_poll_s: float = Field(default=1.0, gt=0)
    dispatch_account_rate_per_s: float = Field(default=5.0, gt=0)
    dispatch_account_burst: float = Field(default=10.0, ge=1)
    # A local HTTP endpoint standing in for every network but Bluesky (benchmarks, demos).
    dispatch_sink_url: str = ""
    # JSON {network: base URL} replacing a network's public API (a staging proxy); the key
    # "linkedin_oauth" replaces LinkedIn's token host.
    network_api_urls: dict[str, str] = Field(default_factory=dict)
    # The app's OAuth clients, for refreshing tokens ahead of expiry (a network without its
    # client configured is not refreshed; its accounts are warned, then disconnected).
    x_client_id: str = ""
    x_client_secret: str = ""
    linkedin_client_id: str = ""
    linkedin_client_secret: str = ""
    meta_app_id: str = ""
    meta_app_secret: str = ""
    # The snapshotter: how often each account's statistics are read (ISO 8601, e.g. PT15M, at
    # least 5 minutes), how many at once, and where (adapters/stats/readers.py, PUBLISHER.md).
    snapshot_interval: timedelta = timedelta(minutes=15)
    snapshot_concurrency: int = Field(default=8, ge=1, le=200)
    snapshot_call_deadline_s: float = Field(default=20.0, gt=0)
    bluesky_appview_url: str = ""
    bluesky_pds_url: str = ""
    x_bearer_token: str = ""
    # Test only: dispatcher points where the process SIGKILLs itself (adapters.faults).
    fault_kill_at: str = ""

    @model_validator(mode="after")
    def _keys_in_production(self) -> Self:
        production = self.platform.environment == "production"
        if production and not self.credentials_keys.strip():
            raise ValueError("production needs PUBLISHER_CREDENTIALS_KEYS")
        if production and (self.fault_kill_at or self.dispatch_sink_url):
            raise ValueError("production refuses fault injection and the HTTP sink")
        if self.snapshot_interval < MIN_INTERVAL:
            raise ValueError("PUBLISHER_SNAPSHOT_INTERVAL is at least 5 minutes")
        if self.dispatch_lease_s <= self.dispatch_call_deadline_s * 2:
            raise ValueError("the dispatch lease must outlast a lookup and a publish call")
        return self

    @property
    def credential_keys(self) -> list[str]:
        return parse_keys(self.credentials_keys) or [DEVELOPMENT_CREDENTIALS_KEY]
