"""Fetching a feed over HTTP with a deadline, a size limit and a conditional GET: the ETag and
Last-Modified of the last answer are sent back, and 304 Not Modified means nothing new."""

import asyncio
from dataclasses import dataclass

import httpx

# A document bigger than this is refused: no real feed needs it, and it must not fill memory.
MAX_FEED_BYTES = 8 * 1024 * 1024


class FeedUnavailable(Exception):
    """The feed could not be fetched this time (network, timeout, HTTP error, too big)."""


@dataclass(frozen=True)
class Validators:
    """What the server gave to recognise an unchanged document."""

    etag: str = ""
    last_modified: str = ""

    def headers(self) -> dict[str, str]:
        sent = {}
        if self.etag:
            sent["If-None-Match"] = self.etag
        if self.last_modified:
            sent["If-Modified-Since"] = self.last_modified
        return sent


@dataclass(frozen=True)
class FeedDocument:
    """A fetched document; `body` is None when the server said 304 Not Modified."""

    body: bytes | None
    content_type: str
    validators: Validators


class FeedFetcher:
    def __init__(
        self,
        *,
        timeout_s: float = 15.0,
        max_bytes: int = MAX_FEED_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._deadline_s = timeout_s
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=timeout_s,
            follow_redirects=True,
            headers={"User-Agent": "Vigie/0.1 (+https://vigie.dev) feed reader"},
        )
        self._max_bytes = max_bytes

    async def fetch(self, url: str, validators: Validators) -> FeedDocument:
        """The document, or FeedUnavailable; the deadline covers the whole download (httpx's
        timeout is per read, so a server dripping bytes would otherwise hold us forever)."""
        try:
            async with asyncio.timeout(self._deadline_s):
                return await self._fetch(url, validators)
        except TimeoutError as error:
            raise FeedUnavailable(
                f"no complete answer from {url} in {self._deadline_s} s"
            ) from error

    async def _fetch(self, url: str, validators: Validators) -> FeedDocument:
        try:
            async with self._http.stream("GET", url, headers=validators.headers()) as response:
                if response.status_code == httpx.codes.NOT_MODIFIED:
                    return FeedDocument(None, "", validators)
                if response.status_code != httpx.codes.OK:
                    raise FeedUnavailable(f"HTTP {response.status_code} from {url}")
                body = await self._read(response)
        except httpx.HTTPError as error:
            raise FeedUnavailable(f"{type(error).__name__} fetching {url}: {error}") from error
        given = Validators(
            response.headers.get("ETag", ""), response.headers.get("Last-Modified", "")
        )
        return FeedDocument(body, response.headers.get("Content-Type", ""), given)

    async def _read(self, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self._max_bytes:
                raise FeedUnavailable(f"the feed is over {self._max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def aclose(self) -> None:
        await self._http.aclose()
