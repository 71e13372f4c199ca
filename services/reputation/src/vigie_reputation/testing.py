"""What tests of the reputation share, here and in the end-to-end tests: local webhook
receivers that record each request (and may fail or hang first), and the signature check a
receiver does."""

import asyncio
import contextlib
import hashlib
import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass
class Receiver:
    """A local HTTP endpoint for webhooks: records each request; may fail or hang first."""

    url: str
    requests: list[tuple[dict[str, str], bytes]]
    fail_first: int = 0
    hang: bool = False

    @property
    def answered(self) -> int:
        return len(self.requests)


async def _start_receiver(receiver: Receiver) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")[1:]
        headers = {
            k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)
        }
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        if receiver.hang:
            receiver.requests.append((headers, body))
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(3600)  # never answers: the sender's deadline ends the call
            return
        receiver.requests.append((headers, body))
        status = b"500 Oops" if len(receiver.requests) <= receiver.fail_first else b"204 No Content"
        writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


@asynccontextmanager
async def webhook_receivers() -> AsyncIterator[Callable[..., Awaitable[Receiver]]]:
    """Makes receivers on free local ports; all are closed when the block ends."""
    servers: list[asyncio.Server] = []

    async def make(fail_first: int = 0, hang: bool = False) -> Receiver:
        receiver = Receiver("", [], fail_first, hang)
        server = await _start_receiver(receiver)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        receiver.url = f"http://127.0.0.1:{port}/hooks/vigie"
        return receiver

    try:
        yield make
    finally:
        for server in servers:
            server.close()


def signed_with(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Whether a request carries the HMAC-SHA256 of its body under `secret`."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers.get("x-vigie-signature", ""), expected)
