"""Open network adapters, one per account, kept open between publications (a Bluesky session
logs in once, not per post) and closed when the dispatcher stops."""

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
from vigie_runtime.outbound import outbound_transport

from vigie_publisher.adapters.credentials import CredentialsUnreadable, CredentialVault
from vigie_publisher.adapters.networks.bluesky import BlueskyAdapter
from vigie_publisher.adapters.networks.http_sink import HttpSinkAdapter
from vigie_publisher.domain.publishing import AuthFailed, NetworkAdapter, PermanentFailure

# credentials (opened) -> an adapter to enter
AdapterFactory = Callable[[dict[str, Any]], AbstractAsyncContextManager[NetworkAdapter]]


def bluesky(allow_private: bool) -> AdapterFactory:
    """Bluesky accounts on the PDS each names, reached only through the outbound guard."""

    def opened(credentials: dict[str, Any]) -> AbstractAsyncContextManager[NetworkAdapter]:
        return BlueskyAdapter(
            credentials["service_url"],
            credentials["identifier"],
            credentials["app_password"],
            transport=outbound_transport(allow_private),
        )

    return opened


# No cap of its own: the dispatcher's concurrency bounds the requests in flight (a cap below it
# would make calls wait for the pool and time out). Idle connections kept for reuse are
# bounded, since httpcore looks through every pooled connection on each request.
_POOL = httpx.Limits(max_connections=None, max_keepalive_connections=64)


def http_sink(endpoint: str, network: str) -> AdapterFactory:
    """Every account of `network` publishes to one local HTTP endpoint (benchmarks, demos),
    through one shared connection pool (a client per account costs a TLS context each)."""
    shared: list[httpx.AsyncClient] = []

    @asynccontextmanager
    async def opened(_credentials: dict[str, Any]) -> AsyncIterator[NetworkAdapter]:
        if not shared:
            shared.append(httpx.AsyncClient(limits=_POOL))
        try:
            yield HttpSinkAdapter(endpoint, network=network, http=shared[0])
        finally:  # the pool closes every adapter at once, when the dispatcher stops
            if not shared[0].is_closed:
                await shared[0].aclose()

    return opened


class AdapterPool:
    def __init__(self, vault: CredentialVault, factories: Mapping[str, AdapterFactory]) -> None:
        self._vault, self._factories = vault, factories
        self._open: dict[str, NetworkAdapter] = {}
        self._stack = AsyncExitStack()

    async def adapter(self, account_id: str, network: str, sealed: str) -> NetworkAdapter:
        if account_id not in self._open:
            factory = self._factories.get(network)
            if factory is None:
                raise PermanentFailure(f"no adapter is configured for {network}")
            try:
                credentials = self._vault.open(sealed)
            except CredentialsUnreadable as exc:
                raise AuthFailed("stored credentials unreadable: reconnect the account") from exc
            opened = factory(credentials)
            self._open[account_id] = await self._stack.enter_async_context(opened)
        return self._open[account_id]

    @property
    def vault(self) -> CredentialVault:
        return self._vault

    async def forget(self, account_id: str) -> None:
        """After an auth failure: the next use logs in again with the stored credentials."""
        self._open.pop(account_id, None)

    async def aclose(self) -> None:
        self._open.clear()
        await self._stack.aclose()
