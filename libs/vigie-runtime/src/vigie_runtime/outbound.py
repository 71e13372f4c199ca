"""Calls to addresses a tenant chose (feeds, Mastodon instances, webhooks) stay on the public
internet: a host that resolves to a loopback, private, link-local or otherwise non-global
address is refused, so a tenant cannot make Vigie probe the network it runs in (SSRF).

The check runs in the HTTP transport, so every redirect hop is checked too. Development and
tests allow private addresses (their peers listen on 127.0.0.1); production refuses them unless
`VIGIE_ALLOW_PRIVATE_OUTBOUND=true` says the deployment's own network is to be reached.
Not covered: a DNS answer that changes between this check and the connection (rebinding).
"""

import asyncio
import ipaddress
import socket

import httpx


class AddressRefused(httpx.TransportError):
    """The host resolves to an address outbound calls may not reach."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone index is not an address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def resolved_addresses(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        answers = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise httpx.ConnectError(f"cannot resolve {host}: {error}") from error
    return [str(sockaddr[0]) for _family, _type, _proto, _name, sockaddr in answers]


class PublicOnlyTransport(httpx.AsyncHTTPTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        refused = [a for a in await resolved_addresses(host, port) if not is_public(a)]
        if refused:
            raise AddressRefused(
                f"{host} resolves to {refused[0]}, which is not a public address", request=request
            )
        return await super().handle_async_request(request)


def outbound_transport(allow_private: bool) -> httpx.AsyncBaseTransport:
    """The transport for an httpx client that calls addresses tenants chose."""
    return httpx.AsyncHTTPTransport() if allow_private else PublicOnlyTransport()
