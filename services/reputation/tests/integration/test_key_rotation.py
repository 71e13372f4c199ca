"""Key rotation of the webhook secrets (`python -m vigie_reputation reseal`): every stored secret,
the plain-text ones of old included, ends under the current key, across tenants and batches; a
second run changes nothing."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import select
from vigie_reputation.adapters.orm import RUNTIME_TABLES, WebhookRow
from vigie_reputation.adapters.secret_box import SecretBox, is_sealed
from vigie_reputation.app.key_rotation import sealed_secrets
from vigie_reputation.bootstrap import MIGRATIONS
from vigie_reputation.config import Settings
from vigie_runtime.host import Plumbing
from vigie_runtime.migrations import upgrade
from vigie_runtime.reseal import reseal_column
from vigie_runtime.settings import PlatformSettings

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def webhook(tenant: str, number: int, secret: str) -> WebhookRow:
    return WebhookRow(
        tenant=tenant, id=f"w{number}", display_name="Ops", url="https://hooks.example.com/x",
        secret=secret, subsidiary_id="", enabled=True, create_time=NOW, update_time=NOW,
    )  # fmt: skip


async def test_every_webhook_secret_ends_under_the_new_key(
    tmp_path: Path, database_url: str
) -> None:
    await asyncio.to_thread(upgrade, MIGRATIONS, database_url)
    platform = PlatformSettings(jwks_file=tmp_path / "jwks.json", environment="test")
    plumbing = Plumbing("reputation", Settings(database_url=database_url, platform=platform),
                        RUNTIME_TABLES)  # fmt: skip
    old_box = SecretBox([OLD])
    async with plumbing.uow() as u:
        u.session.add(webhook("t_acme", 1, old_box.seal("secret-1")))
        u.session.add(webhook("t_acme", 2, "secret-2"))  # stored before secrets were sealed
        u.session.add(webhook("t_rival", 1, old_box.seal("secret-3")))
        u.session.add(webhook("t_rival", 2, SecretBox([NEW]).seal("secret-4")))
        await u.commit()
    rotated = sealed_secrets(SecretBox([NEW, OLD]))
    try:
        first = await reseal_column(plumbing.uow, rotated, batch=3)
        assert (first.resealed, first.already_current, first.unreadable) == (3, 1, [])
        async with plumbing.uow() as u:
            stored = list((await u.session.execute(select(WebhookRow.secret))).scalars())
        assert all(is_sealed(s) for s in stored)
        opened = sorted(SecretBox([NEW]).open(s) for s in stored)
        assert opened == ["secret-1", "secret-2", "secret-3", "secret-4"]
        second = await reseal_column(plumbing.uow, rotated, batch=3)
        assert (second.resealed, second.already_current) == (0, 4)
    finally:
        await plumbing.close()
