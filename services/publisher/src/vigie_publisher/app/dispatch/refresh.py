"""A token the network refused, refreshed once per account before the publication is retried.

Several publications of one account may meet the same 401 at once, and the token sweep may
refresh ahead of expiry at the same moment: one object serves them all, so the first refreshes
and the others find the new credentials already stored and use them (a second refresh with a
rotated refresh token would be refused and disconnect a healthy account). The network call
happens outside any transaction; only the new credentials are written.
"""

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.credentials import CredentialsUnreadable, CredentialVault
from vigie_publisher.adapters.orm import SocialAccountRow
from vigie_publisher.app.token_health import Refresher, needs_refresh, store_refreshed
from vigie_publisher.domain.publishing import AuthFailed, PermanentFailure, TransientFailure
from vigie_publisher.domain.token_health import HealthRules


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

    def can_refresh(self, network: str) -> bool:
        return network in self._refreshers

    def due(self, row: SocialAccountRow, now: datetime, rules: HealthRules) -> bool:
        """Whether the sweep should renew the account's token now."""
        if not self.can_refresh(row.network):
            return False
        return needs_refresh(row, now, rules, self._lifetime(row.sealed_credentials))

    def _lifetime(self, sealed: str) -> timedelta | None:
        """How long the network's last token was granted for, when it said."""
        try:
            seconds = self._vault.open(sealed).get("lifetime_s")
        except CredentialsUnreadable:
            return None
        return timedelta(seconds=float(seconds)) if seconds else None

    async def after_refusal(
        self, account_id: str, network: str, sealed: str, refused: AuthFailed
    ) -> str:
        """New sealed credentials for the account, or `AuthFailed` saying why there are none."""
        if not self.can_refresh(network):
            raise refused
        try:
            return await self.renew(account_id, network, sealed)
        except (AuthFailed, PermanentFailure) as failed:  # it will not work later either
            raise AuthFailed(f"{refused.detail}; refresh refused: {failed.detail}") from failed

    async def renew(self, account_id: str, network: str, sealed: str) -> str:
        """The account's credentials renewed (stored, and returned sealed), unless they changed
        since `sealed` was read; raises the network's refusal as the contract's error."""
        refresher = self._refreshers[network]
        async with self._locks.setdefault(account_id, asyncio.Lock()):
            current = await self._stored(account_id)
            if current and current != sealed:  # refreshed meanwhile by another caller
                return current
            try:
                secrets = self._vault.open(sealed)
                fresh, expiry = await asyncio.wait_for(
                    refresher(network, secrets), self._deadline_s
                )
            except CredentialsUnreadable as exc:
                raise AuthFailed("stored credentials unreadable: reconnect the account") from exc
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
