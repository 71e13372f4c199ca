"""Test support other suites reuse: a directory's settings and a bootstrapped tenant."""

from pathlib import Path

from vigie_runtime.settings import PlatformSettings

from vigie_directory.app import organizations
from vigie_directory.bootstrap import build
from vigie_directory.config import Settings

ADMIN_PASSWORD = "admin-password-1"


def directory_settings(tmp_path: Path, database_url: str, nats_url: str = "") -> Settings:
    platform = PlatformSettings(jwks_file=tmp_path / "keys" / "jwks.json", environment="test")
    if nats_url:
        platform = platform.model_copy(update={"nats_url": nats_url})
    return Settings(
        database_url=database_url,
        grpc_address="127.0.0.1:0",
        signing_key_file=tmp_path / "keys" / "signing-key.pem",
        platform=platform,
    )


async def bootstrap_tenant(settings: Settings, name: str, email: str) -> str:
    """A new tenant whose group admin logs in with `email` / ADMIN_PASSWORD."""
    spec = build(settings)
    try:
        async with spec.plumbing.uow() as uow:
            organization, _ = await organizations.bootstrap(uow, name, email, ADMIN_PASSWORD)
            await uow.commit()
        return f"tenants/{organization.id}"
    finally:
        await spec.plumbing.close()
