"""Directory settings (`DIRECTORY_*`), checked at start."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from vigie_runtime.revocations import LONGEST_PARTNER_TOKEN
from vigie_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DIRECTORY_", extra="ignore")

    # Ed25519 private key (PEM) that signs tokens; its public half is in the JWKS file.
    signing_key_file: Path = Path(".vigie/keys/signing-key.pem")
    user_token_minutes: int = 12 * 60
    # Bounded: verifiers read revocations back over the longest partner token lifetime.
    partner_token_minutes: int = Field(
        default=15, ge=1, le=int(LONGEST_PARTNER_TOKEN.total_seconds() // 60)
    )
