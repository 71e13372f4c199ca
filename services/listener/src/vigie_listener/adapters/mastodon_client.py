"""A Mastodon instance's public API, read-only, with deadlines: REST timelines for catch-up
(paged with `min_id` and the Link header, rate limits from the `X-RateLimit-*` headers) and the
streaming API's server-sent events."""

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from vigie_listener.adapters.mastodon_statuses import EventStreamParser

PAGE_LIMIT = 40  # the most Mastodon serves per timeline page
_PREV_LINK = re.compile(r'<([^>]+)>;\s*rel="prev"')


class MastodonUnavailable(Exception):
    """The instance could not be read this time."""


class RateLimited(MastodonUnavailable):
    def __init__(self, wait_s: float, message: str) -> None:
        super().__init__(message)
        self.wait_s = wait_s


@dataclass(frozen=True)
class Timeline:
    """Which timeline of an instance: "public", "public:local" or "hashtag" with a tag."""

    stream: str = "public"
    hashtag: str = ""

    def rest_path(self) -> tuple[str, dict[str, str]]:
        if self.stream == "hashtag":
            return f"/api/v1/timelines/tag/{self.hashtag}", {}
        return "/api/v1/timelines/public", {
            "local": "true"
        } if self.stream == "public:local" else {}

    def stream_path(self) -> tuple[str, dict[str, str]]:
        if self.stream == "hashtag":
            return "/api/v1/streaming/hashtag", {"tag": self.hashtag}
        if self.stream == "public:local":
            return "/api/v1/streaming/public/local", {}
        return "/api/v1/streaming/public", {}


@dataclass(frozen=True)
class Page:
    """Statuses oldest first, and the URL of the newer page when the server gave one."""

    statuses: list[dict[str, Any]]
    newer_url: str


def wait_for_reset(headers: httpx.Headers, now: datetime, ceiling_s: float = 300.0) -> float:
    """Seconds until `X-RateLimit-Reset` (ISO 8601), else `Retry-After`, within [1, ceiling]."""
    reset, retry = headers.get("X-RateLimit-Reset", ""), headers.get("Retry-After", "")
    try:
        seconds = (datetime.fromisoformat(reset) - now).total_seconds() if reset else float(retry)
    except ValueError:
        seconds = 60.0
    return min(ceiling_s, max(1.0, seconds))


class MastodonClient:
    def __init__(
        self,
        instance_url: str,
        *,
        timeout_s: float = 15.0,
        idle_s: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self._http = httpx.AsyncClient(
            transport=transport,
            base_url=instance_url.rstrip("/"),
            timeout=timeout_s,
            headers={"User-Agent": "Vigie/0.1 (+https://vigie.dev)"},
        )
        # Mastodon sends a heartbeat every few seconds: silence this long means a dead stream.
        self._stream_timeout = httpx.Timeout(timeout_s, read=idle_s)

    async def page(self, timeline: Timeline, min_id: str, url: str = "") -> Page:
        """The statuses right after `min_id` (the latest page when empty), or `url` verbatim."""
        path, params = timeline.rest_path()
        params = {**params, "limit": str(PAGE_LIMIT)}
        if min_id:
            params["min_id"] = min_id
        try:
            response = await (self._http.get(url) if url else self._http.get(path, params=params))
        except httpx.HTTPError as error:
            raise MastodonUnavailable(f"{type(error).__name__} reading {path}: {error}") from error
        if response.status_code == httpx.codes.TOO_MANY_REQUESTS:
            wait = wait_for_reset(response.headers, datetime.now(UTC))
            raise RateLimited(wait, f"rate limited by the instance for {wait:.0f} s")
        if response.status_code != httpx.codes.OK:
            raise MastodonUnavailable(f"HTTP {response.status_code} from {path}")
        statuses = [s for s in _json_list(response) if isinstance(s, dict) and "id" in s]
        newer = _PREV_LINK.search(response.headers.get("Link", ""))
        return Page(statuses[::-1], newer.group(1) if newer else "")

    @asynccontextmanager
    async def stream(self, timeline: Timeline) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        """Connects, then yields the statuses of `update` events as they come ({} for an event
        whose data is not a status, so the caller can count it)."""
        path, params = timeline.stream_path()
        request = self._http.build_request(
            "GET", path, params=params, timeout=self._stream_timeout,
            headers={"Accept": "text/event-stream"},
        )  # fmt: skip
        try:
            response = await self._http.send(request, stream=True)
        except httpx.HTTPError as error:
            raise MastodonUnavailable(f"{type(error).__name__} opening {path}: {error}") from error
        try:
            if response.status_code != httpx.codes.OK:
                raise MastodonUnavailable(f"HTTP {response.status_code} from {path}")
            yield _updates(response)
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()


def _json_list(response: httpx.Response) -> list[Any]:
    try:
        body = response.json()
    except ValueError as error:
        raise MastodonUnavailable(f"a timeline that is not JSON: {error}") from error
    if not isinstance(body, list):
        raise MastodonUnavailable("a timeline that is not a list of statuses")
    return body


async def _updates(response: httpx.Response) -> AsyncIterator[dict[str, Any]]:
    parser = EventStreamParser()
    try:
        async for line in response.aiter_lines():
            event = parser.feed(line)
            if event is None or event.event != "update":
                continue  # deletions, edits and notifications are not new mentions
            try:
                status = json.loads(event.data)
            except ValueError:
                status = None  # one garbled event must not end the stream
            yield status if isinstance(status, dict) and "id" in status else {}
    except httpx.HTTPError as error:
        raise MastodonUnavailable(f"the stream dropped: {type(error).__name__}") from error
