"""Calls to tenant-chosen addresses: private networks refused where they must be (SSRF)."""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from vigie_runtime.outbound import AddressRefused, is_public, outbound_transport
from vigie_runtime.settings import PlatformSettings


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "0.0.0.0",
     "100.64.0.1", "::1", "fe80::1%eth0", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1"],
)  # fmt: skip
def test_loopback_private_link_local_and_mapped_addresses_are_not_public(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_internet_addresses_are_public(address: str) -> None:
    assert is_public(address)


@pytest.fixture
async def local_server() -> AsyncIterator[tuple[str, list[bytes]]]:
    """An HTTP server on loopback that records the requests it gets."""
    seen: list[bytes] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await reader.readline())
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}/feed", seen


async def test_a_refusing_transport_never_reaches_a_loopback_server(
    local_server: tuple[str, list[bytes]],
) -> None:
    url, seen = local_server
    async with httpx.AsyncClient(transport=outbound_transport(allow_private=False)) as http:
        with pytest.raises(AddressRefused, match="not a public address"):
            await http.get(url)
        with pytest.raises(AddressRefused):
            await http.get(url.replace("127.0.0.1", "localhost"))
    assert seen == []


async def test_an_allowing_transport_reaches_it(local_server: tuple[str, list[bytes]]) -> None:
    url, seen = local_server
    async with httpx.AsyncClient(transport=outbound_transport(allow_private=True)) as http:
        assert (await http.get(url)).text == "ok"
    assert len(seen) == 1


def test_production_refuses_private_addresses_unless_told_otherwise() -> None:
    assert not PlatformSettings(environment="production").private_outbound_allowed
    assert PlatformSettings(
        environment="production", allow_private_outbound=True
    ).private_outbound_allowed
    assert PlatformSettings(environment="development").private_outbound_allowed
    assert not PlatformSettings(
        environment="test", allow_private_outbound=False
    ).private_outbound_allowed
