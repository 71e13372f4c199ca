"""Publisher settings (`PUBLISHER_*`), checked at start."""

from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict
from vigie_runtime.settings import ServiceSettings

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

    @model_validator(mode="after")
    def _keys_in_production(self) -> Self:
        if self.platform.environment == "production" and not self.credentials_keys.strip():
            raise ValueError("production needs PUBLISHER_CREDENTIALS_KEYS")
        return self

    @property
    def credential_keys(self) -> list[str]:
        keys = [k.strip() for k in self.credentials_keys.split(",") if k.strip()]
        return keys or [DEVELOPMENT_CREDENTIALS_KEY]
