"""The statistics reader of each network, chosen for one account: owned accounts read with
their stored credentials, tracked ones through public endpoints. Every client goes through
the outbound guard (instance and PDS addresses are chosen by tenants)."""

from dataclasses import dataclass
from datetime import datetime

import httpx
from vigie_runtime.outbound import outbound_transport

from vigie_publisher.adapters.stats.bluesky_appview import BlueskyAppViewStats
from vigie_publisher.adapters.stats.bluesky_pds import BlueskyPdsStats
from vigie_publisher.adapters.stats.mastodon import MastodonStats
from vigie_publisher.adapters.stats.x import XStats
from vigie_publisher.domain.presence.handles import mastodon_parts
from vigie_publisher.domain.presence.stats import AccountStats, AccountToRead, StatsNotRead

READ_NETWORKS = ("bluesky", "mastodon", "x")


@dataclass(frozen=True)
class ReaderSettings:
    deadline_s: float = 20.0
    # An AppView (e.g. https://public.api.bsky.app): counts come ready-made; without one the
    # PDS itself is walked.
    bluesky_appview_url: str = ""
    # Without an AppView: the PDS of tracked Bluesky accounts that do not name theirs.
    bluesky_pds_url: str = ""
    # X's app-only token, for tracked X accounts (owned ones use their own token).
    x_bearer_token: str = ""
    x_api_url: str = ""
    allow_private: bool = False


class NetworkStatsReaders:
    """A `StatsReader` for every network Vigie reads statistics of."""

    def __init__(
        self, settings: ReaderSettings, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._settings = settings
        # Tests pass a contract double; otherwise the outbound guard.
        self._transport = transport

    async def read(self, account: AccountToRead, now: datetime) -> AccountStats:
        if account.network not in READ_NETWORKS:
            raise StatsNotRead(f"Vigie does not read {account.network} statistics yet")
        deadline = self._settings.deadline_s
        transport = self._transport or outbound_transport(self._settings.allow_private)
        timeout = httpx.Timeout(deadline, connect=deadline / 2)
        async with httpx.AsyncClient(timeout=timeout, transport=transport) as http:
            if account.network == "mastodon":
                return await self._mastodon(account, http, now)
            if account.network == "x":
                return await self._x(account, http, now)
            return await self._bluesky(account, http, now)

    async def _mastodon(
        self, account: AccountToRead, http: httpx.AsyncClient, now: datetime
    ) -> AccountStats:
        credentials = account.credentials or {}
        user, domain = mastodon_parts(account.handle)
        instance = credentials.get("instance_url") or account.instance_url
        if not instance and not domain:
            raise StatsNotRead("a Mastodon account needs its instance (instance_url or @user@host)")
        reader = MastodonStats(
            instance or f"https://{domain}",
            credentials.get("access_token", ""),
            deadline_s=self._settings.deadline_s,
            http=http,
        )
        return await reader.read(f"{user}@{domain}" if domain else user, now)

    async def _x(
        self, account: AccountToRead, http: httpx.AsyncClient, now: datetime
    ) -> AccountStats:
        token = (account.credentials or {}).get("access_token") or self._settings.x_bearer_token
        if not token:
            raise StatsNotRead(
                "X statistics of a tracked account need an app token (PUBLISHER_X_BEARER_TOKEN)"
            )
        reader = XStats(
            self._settings.x_api_url, token, deadline_s=self._settings.deadline_s, http=http
        )
        return await reader.read(account.handle, now)

    async def _bluesky(
        self, account: AccountToRead, http: httpx.AsyncClient, now: datetime
    ) -> AccountStats:
        deadline = self._settings.deadline_s
        credentials = account.credentials or {}
        handle = credentials.get("identifier") or account.handle
        if self._settings.bluesky_appview_url:
            appview = BlueskyAppViewStats(
                self._settings.bluesky_appview_url, deadline_s=deadline, http=http
            )
            return await appview.read(handle, now)
        pds = credentials.get("service_url") or account.instance_url
        if not (pds := pds or self._settings.bluesky_pds_url):
            raise StatsNotRead(
                "no PDS to read: give the account's instance_url, or configure"
                " PUBLISHER_BLUESKY_APPVIEW_URL"
            )
        return await BlueskyPdsStats(pds, deadline_s=deadline, http=http).read(handle, now)
