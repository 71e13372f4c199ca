"""The dispatcher's adapter for each network, built from an account's stored credentials.

`api_urls` replaces a network's public API base (a staging proxy, or a contract double in
tests); a Mastodon account always names its own instance. Every adapter's client goes through
the outbound guard (`vigie_runtime.outbound`): a Mastodon instance and every medium's URL are
addresses a tenant chose; the fixed API bases of the others are public anyway.
"""

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any, cast

import httpx
from vigie_runtime.outbound import outbound_transport

from vigie_publisher.adapters.adapter_pool import AdapterFactory, bluesky, http_sink
from vigie_publisher.adapters.networks._http import HttpApi
from vigie_publisher.adapters.networks.facebook import FacebookPageAdapter
from vigie_publisher.adapters.networks.instagram import InstagramAdapter
from vigie_publisher.adapters.networks.linkedin import LinkedInAdapter
from vigie_publisher.adapters.networks.mastodon import MastodonAdapter
from vigie_publisher.adapters.networks.threads import ThreadsAdapter
from vigie_publisher.adapters.networks.x import XAdapter
from vigie_publisher.domain.publishing import AccountCredentials, NetworkAdapter

# (credentials, the network's own id of the account, deadline, client) -> an adapter
_Build = Callable[[AccountCredentials, str, float, httpx.AsyncClient], HttpApi]

_BUILDERS: dict[str, _Build] = {
    "mastodon": lambda c, _id, d, h: MastodonAdapter(c, deadline_s=d, http=h),
    "x": lambda c, _id, d, h: XAdapter(c, deadline_s=d, http=h),
    "linkedin": lambda c, urn, d, h: LinkedInAdapter(c, author_urn=urn, deadline_s=d, http=h),
    "instagram": lambda c, ig, d, h: InstagramAdapter(c, account_id=ig, deadline_s=d, http=h),
    "threads": lambda c, user, d, h: ThreadsAdapter(c, account_id=user, deadline_s=d, http=h),
    "facebook": lambda c, page, d, h: FacebookPageAdapter(c, account_id=page, deadline_s=d, http=h),
}
NETWORKS = tuple(_BUILDERS)


def _factory(network: str, api_url: str, deadline_s: float, allow_private: bool) -> AdapterFactory:
    build = _BUILDERS[network]

    @asynccontextmanager
    async def opened(stored: dict[str, Any]) -> AsyncIterator[NetworkAdapter]:
        credentials = AccountCredentials(
            handle=str(stored.get("handle", "")),
            access_token=str(stored.get("access_token", "")),
            refresh_token=str(stored.get("refresh_token", "")),
            instance_url=str(stored.get("instance_url") or api_url),
        )
        # A connect timeout shorter than the deadline tells "never sent" apart from "no answer".
        timeout = httpx.Timeout(deadline_s, connect=deadline_s / 2)
        transport = outbound_transport(allow_private)
        async with httpx.AsyncClient(timeout=timeout, transport=transport) as http:
            adapter = build(
                credentials, str(stored.get("network_account_id", "")), deadline_s, http
            )
            yield cast(NetworkAdapter, adapter)  # every builder's class is a NetworkAdapter

    return opened


def network_factories(
    api_urls: Mapping[str, str] | None = None,
    deadline_s: float = 10.0,
    *,
    allow_private: bool = False,
) -> dict[str, AdapterFactory]:
    """One factory per network with an HTTP adapter (Bluesky has its own session).

    `allow_private`: whether tenant-chosen addresses may be on private networks
    (`PlatformSettings.private_outbound_allowed`); refused unless said."""
    urls = api_urls or {}
    return {n: _factory(n, urls.get(n, ""), deadline_s, allow_private) for n in NETWORKS}


def default_factories(
    sink_url: str = "",
    api_urls: Mapping[str, str] | None = None,
    deadline_s: float = 10.0,
    *,
    allow_private: bool = False,
) -> dict[str, AdapterFactory]:
    """Every network; with a sink, every one but Bluesky publishes to that local endpoint."""
    factories = {
        "bluesky": bluesky(allow_private),
        **network_factories(api_urls, deadline_s, allow_private=allow_private),
    }
    if sink_url:
        factories.update({n: http_sink(sink_url, n) for n in NETWORKS})
    return factories
