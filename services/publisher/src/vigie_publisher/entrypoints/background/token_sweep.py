"""The worker's sweep of token health: warns before expiry, refreshes ahead of it."""

import asyncio
import logging
from collections.abc import Callable, Mapping

from vigie_runtime.host import Loop
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.app import token_health
from vigie_publisher.app.common import now
from vigie_publisher.domain.token_health import HealthRules

log = logging.getLogger(__name__)


def token_sweep(
    uow: Callable[[], UnitOfWork],
    vault: CredentialVault,
    rules: HealthRules,
    refreshers: Mapping[str, token_health.Refresher],
    every_s: float = 300.0,
) -> Loop:
    async def sweep_once() -> None:
        async with uow() as u:
            moment = now()
            for row in await token_health.watched_accounts(u):
                refresher = refreshers.get(row.network)
                if refresher and token_health.needs_refresh(row, moment, rules):
                    await token_health.refresh(u, vault, row, refresher, moment)
                token_health.note_expiry(u, row, moment, rules)
            await u.commit()

    async def run(stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await sweep_once()
            except Exception:  # a bad sweep must not stop the next ones
                log.exception("token sweep failed; next sweep in %ss", every_s)
            try:
                await asyncio.wait_for(stop.wait(), every_s)
            except TimeoutError:
                pass

    return run
