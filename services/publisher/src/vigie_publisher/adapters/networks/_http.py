"""What every HTTP network adapter shares: a deadline on each call, failures mapped to the
contract's errors (`vigie_publisher.domain.publishing`), reset-time parsing, media bytes, and
the text matching that `lookup` uses on networks without idempotency keys.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlparse

import httpx

from vigie_publisher.adapters.networks.media_source import is_web, local_media, refused_address
from vigie_publisher.domain.publishing import (
    AuthFailed,
    MediaItem,
    OutcomeUnknown,
    OutgoingPublication,
    PermanentFailure,
    PostPart,
    PublishedPost,
    PublishError,
    RateLimited,
    TransientFailure,
)

Json = dict[str, Any]
log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
# A post created this long before its scheduled time is still a candidate in `lookup`: the
# network's clock and ours may disagree by a little.
CLOCK_SKEW = timedelta(minutes=5)


def utc_now() -> datetime:
    return datetime.now(UTC)


def retry_after(headers: Mapping[str, str], now: datetime) -> datetime | None:
    """RFC 9110 `Retry-After`: a number of seconds or an HTTP date."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    try:
        return parsedate_to_datetime(value).astimezone(UTC)
    except (TypeError, ValueError):
        return None


def epoch_seconds(value: str | None) -> datetime | None:
    """A reset header in Unix seconds (X's `x-rate-limit-reset`)."""
    if not value or not value.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(value), UTC)


def iso_time(value: str | None) -> datetime | None:
    """An ISO 8601 time (Mastodon's `X-RateLimit-Reset`, posts' creation times)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Refusal:
    """What a network answered instead of success, read from its own error body."""

    status: int
    message: str
    auth: bool = False
    rate_limited: bool = False
    reset_at: datetime | None = None
    transient: bool = False


def error_for(refusal: Refusal, *, mutating: bool) -> PublishError:
    """The contract error that tells the dispatcher what to do about a refusal."""
    detail = f"{refusal.status}: {refusal.message}"
    if refusal.auth or refusal.status == 401:
        return AuthFailed(detail)
    if refusal.rate_limited or refusal.status == 429:
        return RateLimited(detail, refusal.reset_at)
    if refusal.status == 504 and mutating:
        # A gateway gave up waiting for the origin, which may still have created the post.
        return OutcomeUnknown(detail)
    if refusal.transient or refusal.status >= 500:
        return TransientFailure(detail)
    return PermanentFailure(detail)


def transport_error(exc: Exception, what: str, *, mutating: bool) -> PublishError:
    """A request that got no answer: refused before sending, or possibly received."""
    if refused := refused_address(exc, what):
        return refused
    never_sent = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
    if isinstance(exc, never_sent) or not mutating:
        return TransientFailure(f"{what}: {exc!r}")
    return OutcomeUnknown(f"{what}: no answer before the deadline or mid-answer: {exc!r}")


class HttpApi:
    """One account's client of one network's HTTP API; every call ends by its deadline.

    Subclasses say how their network words a refusal (`refusal`); the rest is shared.
    """

    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        deadline_s: float = 10.0,
        clock: Clock = utc_now,
        http: httpx.AsyncClient | None = None,
        allow_local_media: bool = False,
    ) -> None:
        self.deadline_s, self.clock = deadline_s, clock
        self.allow_local_media = allow_local_media
        # A connect timeout shorter than the deadline tells "never sent" apart from "no answer".
        timeout = httpx.Timeout(deadline_s, connect=deadline_s / 2)
        # A client passed in is shared (one pool for many accounts) and stays open on `aclose`.
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._base_url, self._headers = base_url.rstrip("/"), dict(headers or {})

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> HttpApi:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    def refusal(self, response: httpx.Response) -> Refusal:
        """How this network words a failed response; the default reads `Retry-After`."""
        return Refusal(
            response.status_code,
            response.text[:300],
            reset_at=retry_after(response.headers, self.clock()),
        )

    async def send(self, method: str, path: str, *, mutating: bool, **kw: Any) -> httpx.Response:
        """Send one request (a path or an absolute URL) by the deadline; any answer is returned.

        `mutating`: the request may make something visible on the network, so a lost answer is an
        unknown outcome; anything else (reads, invisible uploads) is simply retried.
        """
        url = path if path.startswith(("http://", "https://")) else self._base_url + path
        headers = {**self._headers, **kw.pop("headers", {})}
        what = f"{method} {urlparse(url).path}"
        try:
            async with asyncio.timeout(self.deadline_s):
                return await self._http.request(method, url, headers=headers, **kw)
        except (httpx.TransportError, TimeoutError) as exc:
            raise transport_error(exc, what, mutating=mutating) from exc

    async def call(self, method: str, path: str, *, mutating: bool, **kw: Any) -> httpx.Response:
        """`send`, raising the contract's error when the network refuses."""
        response = await self.send(method, path, mutating=mutating, **kw)
        if not response.is_success:
            raise error_for(self.refusal(response), mutating=mutating)
        return response

    async def find(self, path: str, **kw: Any) -> Json | None:
        """A read where 404 means "there is none"."""
        response = await self.send("GET", path, mutating=False, **kw)
        if response.status_code == 404:
            return None
        if not response.is_success:
            raise error_for(self.refusal(response), mutating=False)
        return json_body(response)

    async def json(self, method: str, path: str, *, mutating: bool, **kw: Any) -> Json:
        response = await self.call(method, path, mutating=mutating, **kw)
        body = response.json() if response.content else {}
        return body if isinstance(body, dict) else {"data": body}

    async def media_bytes(self, item: MediaItem) -> bytes:
        """The bytes of a medium to upload, from its HTTP URL (a local file in contract tests)."""
        if is_web(item.url):
            return (await self.call("GET", item.url, mutating=False)).content
        return await local_media(item.url, allow_local_media=self.allow_local_media)


def json_body(response: httpx.Response) -> Json:
    """The response's JSON object, or an empty one when it has none (a proxy's HTML page)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"https?://\S+")
_SPACE = re.compile(r"\s+")


def comparable(text: str) -> str:
    """A text as the network shows it back, reduced to what survives every network's rendering.

    Tags (Mastodon answers HTML) and entities go, links are shortened differently by each
    network (t.co on X) so they all become one token, and white space collapses.
    """
    text = html.unescape(_TAG.sub(" ", text))
    return _SPACE.sub(" ", _URL.sub("<link>", text)).strip()


@dataclass(frozen=True)
class Candidate:
    """A post found on the account while looking for one we may have published."""

    id: str
    text: str
    created_at: datetime | None
    url: str = ""


def matching_parts(
    candidates: Iterable[Candidate], publication: OutgoingPublication
) -> list[Candidate]:
    """The publication's parts found among the candidates, in order, stopping at the first
    missing one (a thread is published in order, so later parts cannot exist without it)."""
    earliest = publication.scheduled_at - CLOCK_SKEW
    pool = [c for c in candidates if c.created_at is None or c.created_at >= earliest]
    # Timelines come newest first; a thread was written oldest first.
    pool.sort(key=lambda c: c.created_at or earliest)
    found: list[Candidate] = []
    for part in publication.parts:
        wanted = comparable(part.text)
        match = next((c for c in pool if comparable(c.text) == wanted and c not in found), None)
        if match is None:
            break
        found.append(match)
    return found


async def publish_chain(
    parts: Sequence[PostPart],
    reply_to: str,
    create: Callable[[int, PostPart, str], Awaitable[tuple[str, str]]],
) -> list[tuple[str, str]]:
    """Publish the parts of a thread in order, each replying to the one before.

    `create(index, part, reply_to)` gives the new post's (id, url). Once the first part is out,
    any failure is an unknown outcome: reporting it as a plain failure would lose the ids of the
    parts already published and invite a duplicate; `lookup` finds them instead.
    """
    published: list[tuple[str, str]] = []
    for index, part in enumerate(parts):
        try:
            published.append(await create(index, part, reply_to))
        except PublishError as exc:
            if not published:
                raise
            raise OutcomeUnknown(
                f"part {index + 1} of {len(parts)} failed after part 1 went out: {exc.detail}"
            ) from exc
        reply_to = published[-1][0]
    return published


async def comment_after(post_id: str, comment: Awaitable[object]) -> None:
    """Post the first comment; the post itself is out, so a failure here must not hide it."""
    try:
        await comment
    except PublishError as exc:
        log.warning("first comment on %s not posted: %s", post_id, exc.detail)


def found_post(
    candidates: Iterable[Candidate], publication: OutgoingPublication
) -> PublishedPost | None:
    """The publication as `lookup` reports it: its first part, and the parts found with it."""
    found = matching_parts(candidates, publication)
    if not found:
        return None
    return PublishedPost(found[0].id, found[0].url, tuple(c.id for c in found))


def single_part(publication: OutgoingPublication, network: str) -> None:
    if len(publication.parts) != 1:
        raise PermanentFailure(
            f"{network} has no threads: publish one part, not {len(publication.parts)}"
        )
