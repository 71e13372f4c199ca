"""The worker's sweep of token health: warns before expiry, refreshes ahead of it."""

import asyncio
import logging
from collections.abc import Callable

from vigie_runtime.host import Loop
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import SocialAccountRow
from vigie_publisher.app import token_health
from vigie_publisher.app.common import now
from vigie_publisher.app.dispatch.refresh import TokenRefresh
from vigie_publisher.domain.publishing import PublishError
from vigie_publisher.domain.token_health import HealthRules

log = logging.getLogger(__name__)


def token_sweep(
    uow: Callable[[], UnitOfWork],
    refresh: TokenRefresh,
    rules: HealthRules,
    every_s: float = 300.0,
) -> Loop:
    async def sweep_once() -> None:
        await sweep(uow, refresh, rules)

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


async def sweep(uow: Callable[[], UnitOfWork], refresh: TokenRefresh, rules: HealthRules) -> None:
    """Renews the tokens due for it, then announces the expiries nobody will renew in time."""
    for account_id, network, sealed in await _due_for_refresh(uow, refresh, rules):
        try:  # outside any transaction: the network may be slow
            await refresh.renew(account_id, network, sealed)
        except PublishError as error:
            await _record_failure(uow, account_id, error)
    async with uow() as u:
        moment = now()
        for row in await token_health.watched_accounts(u):
            in_time = refresh.can_refresh(row.network) and not refresh.due(row, moment, rules)
            token_health.note_expiry(u, row, moment, rules, renewed_in_time=in_time)
        await u.commit()


async def _due_for_refresh(
    uow: Callable[[], UnitOfWork], refresh: TokenRefresh, rules: HealthRules
) -> list[tuple[str, str, str]]:
    async with uow() as u:
        moment = now()
        return [
            (row.id, row.network, row.sealed_credentials)
            for row in await token_health.watched_accounts(u)
            if refresh.due(row, moment, rules)
        ]


async def _record_failure(
    uow: Callable[[], UnitOfWork], account_id: str, error: PublishError
) -> None:
    """A refused refresh disconnects the account (once, with the cause); others wait."""
    async with uow() as u:
        row = await u.session.get(SocialAccountRow, account_id, with_for_update=True)
        if row is not None and not row.deleted:
            token_health.record_failure(u, row, error, now())
            await u.commit()
