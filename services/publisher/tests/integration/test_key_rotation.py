"""Key rotation: `python -m vigie_publisher reseal` puts every stored credential under the current
key, in short batches; it is safe to run twice and to kill midway (the next run finishes), and
it names the accounts no configured key opens instead of failing on them."""

import asyncio
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.__main__ import main
from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.orm import SocialAccountRow
from vigie_publisher.app import accounts, key_rotation
from vigie_publisher.config import Settings
from vigie_runtime.principal import Role
from vigie_runtime.reseal import reseal_column
from vigie_runtime.uow import UnitOfWork

from .conftest import TENANT, person

BRAND = f"tenants/{TENANT}/brands/lumiere"
MANAGER = person(Role.SOCIAL_MEDIA_MANAGER)
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


class Killed(Exception):
    """Stands for the process being killed in the middle of a batch."""


async def connect(uow: Callable[[], UnitOfWork], key: str, handle: str) -> None:
    credentials = pb.SocialAccountCredentials(
        oauth=pb.OAuthCredentials(access_token=f"secret-{handle}", refresh_token="r")
    )
    account = pb.SocialAccount(
        network=pb.NETWORK_X, handle=handle, time_zone="Europe/Paris", credentials=credentials
    )
    async with uow() as u:
        await accounts.create(u, CredentialVault([key]), MANAGER, BRAND, account, "")
        await u.commit()


async def stored(uow: Callable[[], UnitOfWork]) -> list[str]:
    async with uow() as u:
        query = select(SocialAccountRow.sealed_credentials).order_by(SocialAccountRow.id)
        return list((await u.session.execute(query)).scalars())


def tokens_under(key: str, sealed: list[str]) -> list[str]:
    return sorted(CredentialVault([key]).open(s)["access_token"] for s in sealed)


async def test_reseal_moves_every_account_to_the_new_key_and_a_second_run_changes_nothing(
    uow: Callable[[], UnitOfWork],
) -> None:
    for handle in ("@a", "@b", "@c"):
        await connect(uow, OLD, handle)
    await connect(uow, NEW, "@d")  # connected after the rotation: already under the new key
    rotated = key_rotation.sealed_credentials(CredentialVault([NEW, OLD]))

    first = await reseal_column(uow, rotated, batch=2)
    assert (first.resealed, first.already_current, first.unreadable) == (3, 1, [])
    after_first = await stored(uow)
    assert tokens_under(NEW, after_first) == ["secret-@a", "secret-@b", "secret-@c", "secret-@d"]

    second = await reseal_column(uow, rotated, batch=2)
    assert (second.resealed, second.already_current) == (0, 4)
    assert await stored(uow) == after_first  # nothing rewritten


async def test_a_run_killed_midway_keeps_its_batches_and_the_next_run_finishes(
    uow: Callable[[], UnitOfWork],
) -> None:
    for handle in ("@a", "@b", "@c", "@e", "@f"):
        await connect(uow, OLD, handle)
    vault = CredentialVault([NEW, OLD])
    calls = 0

    def dies_at_the_third(sealed: str) -> str:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise Killed
        return vault.reseal(sealed)

    dying = replace(key_rotation.sealed_credentials(vault), reseal=dies_at_the_third)
    with pytest.raises(Killed):
        await reseal_column(uow, dying, batch=2)
    halfway = await stored(uow)
    assert sum(vault.is_current(s) for s in halfway) == 2  # the first batch only

    finished = await reseal_column(uow, key_rotation.sealed_credentials(vault), batch=2)
    assert (finished.resealed, finished.already_current) == (3, 2)
    assert len(tokens_under(NEW, await stored(uow))) == 5


async def test_the_command_names_accounts_no_key_opens_and_reseals_the_others(
    uow: Callable[[], UnitOfWork],
    db_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await connect(uow, OLD, "@a")
    await connect(uow, Fernet.generate_key().decode(), "@lost")  # its key was dropped already
    monkeypatch.setenv("PUBLISHER_DATABASE_URL", db_settings.database_url)
    monkeypatch.setenv("PUBLISHER_CREDENTIALS_KEYS", f"{NEW},{OLD}")
    monkeypatch.setenv("VIGIE_JWKS_FILE", str(Path(db_settings.platform.jwks_file)))

    assert (
        await asyncio.to_thread(main, ["reseal"]) == 1
    )  # a row is left that no key opens: said, and not hidden
    printed = capsys.readouterr().out
    assert "1 resealed" in printed and "1 unreadable" in printed
    async with uow() as u:
        rows = (await u.session.execute(select(SocialAccountRow))).scalars()
        lost = [r.id for r in rows if not CredentialVault([NEW]).is_current(r.sealed_credentials)]
    assert len(lost) == 1 and lost[0] in printed
