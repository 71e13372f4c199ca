"""A token the network refused, refreshed once per account before the publication is retried.

Several publications of one account may meet the same 401 at once: the first refreshes, the
others find the new credentials already stored and use them (a second refresh with a rotated
refresh token would be refused and disconnect a healthy account). The network call happens
outside any transaction; only the new credentials are written.
"""

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime

from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.credentials import CredentialsUnreadable, CredentialVault
from vigie_publisher.adapters.orm import SocialAccountRow
from vigie_publisher.app.token_health import Refresher, store_refreshed
from vigie_publisher.domain.publishing import AuthFailed, TransientFailure


class TokenRefresh:
    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        vault: CredentialVault,
        refreshers: Mapping[str, Refresher],
        deadline_s: float,
        clock: Callable[[], datetime],
    ) -> None:
        self._uow, self._vault, self._refreshers = uow, vault, refreshers
        self._deadline_s, self._clock = deadline_s, clock
        self._locks: dict[str, asyncio.Lock] = {}

    async def after_refusal(
        self, account_id: str, network: str, sealed: str, refused: AuthFailed
    ) -> str:
        """New sealed credentials for the account, or `AuthFailed` saying why there are none."""
        refresher = self._refreshers.get(network)
        if refresher is None:
            raise refused
        async with self._locks.setdefault(account_id, asyncio.Lock()):
            current = await self._stored(account_id)
            if current and current != sealed:  # refreshed meanwhile by another publication
                return current
            try:
                secrets = self._vault.open(sealed)
                fresh, expiry = await asyncio.wait_for(
                    refresher(network, secrets), self._deadline_s
                )
            except CredentialsUnreadable as exc:
                raise AuthFailed(f"{refused.detail}; stored credentials unreadable") from exc
            except AuthFailed as failed:
                raise AuthFailed(f"{refused.detail}; refresh refused: {failed.detail}") from failed
            except TimeoutError as exc:
                raise TransientFailure(f"token refresh: no answer in {self._deadline_s}s") from exc
            return await self._store(account_id, fresh, expiry)

    async def _stored(self, account_id: str) -> str:
        async with self._uow() as uow:
            row = await uow.session.get(SocialAccountRow, account_id)
            return row.sealed_credentials if row is not None and not row.deleted else ""

    async def _store(
        self, account_id: str, fresh: dict[str, object], expiry: datetime | None
    ) -> str:
        async with self._uow() as uow:
            row = await uow.session.get(SocialAccountRow, account_id, with_for_update=True)
            if row is None or row.deleted:
                raise AuthFailed("the account was disconnected during the refresh")
            sealed = store_refreshed(self._vault, row, dict(fresh), expiry, self._clock())
            await uow.commit()
        return sealed
