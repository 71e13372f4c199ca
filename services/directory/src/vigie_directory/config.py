"""Directory settings (`DIRECTORY_*`), checked at start."""

from pathlib import Path

from pydantic_settings import SettingsConfigDict
from vigie_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DIRECTORY_", extra="ignore")

    # Ed25519 private key (PEM) that signs tokens; its public half is in the JWKS file.
    signing_key_file: Path = Path(".vigie/keys/signing-key.pem")
    user_token_minutes: int = 12 * 60
    partner_token_minutes: int = 15
