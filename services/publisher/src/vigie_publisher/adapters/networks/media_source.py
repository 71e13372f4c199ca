"""Where a medium's bytes come from. Tenants give web addresses (the API refuses anything
else); the adapters' own contract tests may give local files, and only when they say so with
`allow_local_media`, so a path that reached the dispatcher from a tenant is never read."""

import asyncio
from pathlib import Path
from urllib.parse import urlparse

from vigie_runtime.outbound import AddressRefused

from vigie_publisher.domain.publishing import PermanentFailure


def is_web(url: str) -> bool:
    return url.startswith(("http://", "https://"))


async def local_media(url: str, *, allow_local_media: bool) -> bytes:
    """A local file's bytes, refused (for good: retrying changes nothing) unless allowed."""
    if not allow_local_media:
        raise PermanentFailure(f"media {url!r}: only http(s) URLs are fetched")
    path = Path(urlparse(url).path if url.startswith("file:") else url)
    return await asyncio.to_thread(path.read_bytes)


def refused_address(exc: Exception, what: str) -> PermanentFailure | None:
    """The failure for a call the outbound guard stopped: nothing was sent, and retrying
    reaches the same address, so it is permanent, with the reason said."""
    if isinstance(exc, AddressRefused):
        return PermanentFailure(f"{what}: address refused: {exc}")
    return None
