"""Publish to Bluesky through a PDS's XRPC API, exactly once.

Each post of a publication is created with `com.atproto.repo.createRecord` under a record key
derived from the publication id and its scheduled time, so a retried create is refused by the PDS
and the record already there is read back and reported instead of posting twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import httpx

POST_COLLECTION = "app.bsky.feed.post"
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_AUTH_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing"}

FacetKind = Literal["link", "mention", "tag"]
Json = dict[str, Any]


class BlueskyError(Exception):
    """A call to the PDS failed; subclasses say whether and when to try again."""

    def __init__(self, message: str, *, status: int | None = None, error: str = "") -> None:
        super().__init__(message)
        self.status, self.error = status, error


class BlueskyAuthError(BlueskyError):
    """The credentials or the session were refused: fix the account, do not retry as is."""


class BlueskyRateLimitedError(BlueskyError):
    """429: retry after `reset_at` (from the `ratelimit-reset` header) when known."""

    reset_at: datetime | None = None


class BlueskyTransientError(BlueskyError):
    """5xx, timeout or broken connection: the outcome is unknown, so `lookup` before retrying."""


class BlueskyPermanentError(BlueskyError):
    """400 validation and the like: retrying the same request cannot succeed."""


@dataclass(frozen=True)
class FacetSpan:
    """A rich-text feature over UTF-8 bytes [byte_start, byte_end) of the text."""

    byte_start: int
    byte_end: int
    kind: FacetKind
    value: str  # the URI, the mentioned handle or DID, or the tag without '#'


@dataclass(frozen=True)
class BlueskyImage:
    data: bytes
    mime_type: str
    alt: str


@dataclass(frozen=True)
class BlueskyDraft:
    """One post. Facets come from the text rules (`vigie_publisher.domain.text.bluesky`)."""

    text: str
    langs: tuple[str, ...] = ()
    images: tuple[BlueskyImage, ...] = ()
    facets: tuple[FacetSpan, ...] = ()


@dataclass(frozen=True)
class BlueskyPublication:
    """A post or a thread (posts in order), optionally in reply to an existing post's URI."""

    publication_id: str
    scheduled_at: datetime
    posts: tuple[BlueskyDraft, ...]
    reply_to_uri: str | None = None


@dataclass(frozen=True)
class PublishedPost:
    uri: str
    cid: str
    rkey: str
    already_existed: bool = False


@dataclass(frozen=True)
class _StrongRef:
    uri: str
    cid: str

    def as_json(self) -> Json:
        return {"uri": self.uri, "cid": self.cid}


def record_key(publication_id: str, scheduled_at: datetime, index: int) -> str:
    """A TID that is always the same for one post of one publication.

    The scheduled second, a 1000-slot offset and a 10-bit clock id from the id's hash, plus the
    post's index within the thread, so the keys of a thread sort in order.
    """
    if not 0 <= index < 1000:
        raise ValueError("a thread holds at most 1000 posts")
    digest = int.from_bytes(hashlib.sha256(publication_id.encode()).digest()[:8], "big")
    second = int(scheduled_at.astimezone(UTC).timestamp())
    micros = second * 1_000_000 + (digest % 1000) * 1000 + index
    value = (micros << 10) | ((digest >> 20) & 0x3FF)
    return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def _raise_for(response: httpx.Response) -> None:
    if response.is_success:
        return
    body: Json = response.json() if "json" in response.headers.get("content-type", "") else {}
    error, message = str(body.get("error", "")), str(body.get("message", response.text[:200]))
    text, status = f"{response.status_code} {error}: {message}", response.status_code
    if status == 401 or error in _AUTH_ERRORS:
        raise BlueskyAuthError(text, status=status, error=error)
    if status == 429:
        limited = BlueskyRateLimitedError(text, status=status, error=error)
        if reset := response.headers.get("ratelimit-reset"):
            limited.reset_at = datetime.fromtimestamp(int(reset), UTC)
        raise limited
    if status >= 500:
        raise BlueskyTransientError(text, status=status, error=error)
    raise BlueskyPermanentError(text, status=status, error=error)


@dataclass
class BlueskyPublisher:
    """One account on one PDS, logged in with an app password; every call has a deadline."""

    pds_url: str
    identifier: str
    app_password: str
    timeout_s: float = 10.0
    _http: httpx.AsyncClient | None = field(default=None, init=False, repr=False)
    _session: Json = field(default_factory=dict, init=False, repr=False)

    @property
    def did(self) -> str:
        return str(self._session["did"])

    async def __aenter__(self) -> BlueskyPublisher:
        self._http = httpx.AsyncClient(base_url=self.pds_url, timeout=self.timeout_s)
        await self.login()
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._http is not None:
            await self._http.aclose()

    async def login(self) -> None:
        body = {"identifier": self.identifier, "password": self.app_password}
        self._session = await self._send("POST", "com.atproto.server.createSession", json=body)

    async def _refresh(self) -> None:
        """Trade the refresh token for new tokens; log in again if it has expired too."""
        try:
            self._session = await self._send(
                "POST", "com.atproto.server.refreshSession", token=self._session["refreshJwt"]
            )
        except BlueskyAuthError:
            await self.login()

    async def _send(self, method: str, nsid: str, token: str | None = None, **kw: Any) -> Json:
        if self._http is None:
            raise RuntimeError("use BlueskyPublisher as an async context manager")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(kw.pop("headers", {}))
        try:
            response = await self._http.request(method, f"/xrpc/{nsid}", headers=headers, **kw)
        except httpx.TransportError as exc:  # timeouts included
            raise BlueskyTransientError(f"{nsid}: {exc!r}") from exc
        _raise_for(response)
        return response.json() if response.content else {}

    async def _call(self, method: str, nsid: str, **kw: Any) -> Json:
        """An authenticated call, refreshing the session once if the access token expired."""
        try:
            return await self._send(method, nsid, token=self._session["accessJwt"], **kw)
        except BlueskyAuthError:
            await self._refresh()
            return await self._send(method, nsid, token=self._session["accessJwt"], **kw)

    async def get_post(self, uri: str) -> tuple[_StrongRef, Json] | None:
        """The record at an at:// URI of a post, or None when there is none."""
        repo, collection, rkey = uri.removeprefix("at://").split("/")
        params = {"repo": repo, "collection": collection, "rkey": rkey}
        try:
            found = await self._call("GET", "com.atproto.repo.getRecord", params=params)
        except BlueskyPermanentError as exc:
            if exc.error == "RecordNotFound" or exc.status == 404:
                return None
            raise
        return _StrongRef(str(found["uri"]), str(found["cid"])), dict(found["value"])

    def _uri(self, rkey: str) -> str:
        return f"at://{self.did}/{POST_COLLECTION}/{rkey}"

    async def lookup(self, publication: BlueskyPublication) -> tuple[PublishedPost | None, ...]:
        """Which posts of the publication already exist: to settle an unknown outcome."""
        found: list[PublishedPost | None] = []
        for index in range(len(publication.posts)):
            rkey = record_key(publication.publication_id, publication.scheduled_at, index)
            existing = await self.get_post(self._uri(rkey))
            found.append(existing and PublishedPost(existing[0].uri, existing[0].cid, rkey, True))
        return tuple(found)

    async def publish(self, publication: BlueskyPublication) -> tuple[PublishedPost, ...]:
        """Create every post not yet there, chaining a thread by root and parent references."""
        root = parent = None
        if publication.reply_to_uri:
            root, parent = await self._reply_target(publication.reply_to_uri)
        published: list[PublishedPost] = []
        for index, draft in enumerate(publication.posts):
            rkey = record_key(publication.publication_id, publication.scheduled_at, index)
            reply = (
                {"root": root.as_json(), "parent": parent.as_json()} if root and parent else None
            )
            post = await self._create_once(rkey, await self._record(draft, reply))
            published.append(post)
            parent = _StrongRef(post.uri, post.cid)
            root = root or parent
        return tuple(published)

    async def _reply_target(self, uri: str) -> tuple[_StrongRef, _StrongRef]:
        """(root, parent) for a reply to `uri`: its own root if it is itself a reply."""
        found = await self.get_post(uri)
        if found is None:
            raise BlueskyPermanentError(f"cannot reply: no post at {uri}", error="RecordNotFound")
        parent, value = found
        root = value.get("reply", {}).get("root")
        return (_StrongRef(root["uri"], root["cid"]) if root else parent), parent

    async def _create_once(self, rkey: str, record: Json) -> PublishedPost:
        body = {"repo": self.did, "collection": POST_COLLECTION, "rkey": rkey, "record": record}
        try:
            created = await self._call("POST", "com.atproto.repo.createRecord", json=body)
            return PublishedPost(str(created["uri"]), str(created["cid"]), rkey)
        except (BlueskyPermanentError, BlueskyTransientError):
            # A refused duplicate is how a retry learns it already succeeded.
            existing = await self.get_post(self._uri(rkey))
            if existing is None:
                raise
            return PublishedPost(existing[0].uri, existing[0].cid, rkey, already_existed=True)

    async def _record(self, draft: BlueskyDraft, reply: Json | None) -> Json:
        record: Json = {
            "$type": POST_COLLECTION,
            "text": draft.text,
            "createdAt": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
        }
        if facets := await self._facets(draft.facets):
            record["facets"] = facets
        if draft.langs:
            record["langs"] = list(draft.langs)
        if reply:
            record["reply"] = reply
        if draft.images:
            images = [{"alt": i.alt, "image": await self._upload(i)} for i in draft.images]
            record["embed"] = {"$type": "app.bsky.embed.images", "images": images}
        return record

    async def _upload(self, image: BlueskyImage) -> Json:
        headers = {"Content-Type": image.mime_type}
        uploaded = await self._call(
            "POST", "com.atproto.repo.uploadBlob", content=image.data, headers=headers
        )
        return dict(uploaded["blob"])

    async def _facets(self, spans: Sequence[FacetSpan]) -> list[Json]:
        facets = []
        for span in spans:
            feature = await self._feature(span)
            if feature is not None:  # an unknown handle stays plain text
                index = {"byteStart": span.byte_start, "byteEnd": span.byte_end}
                facets.append({"index": index, "features": [feature]})
        return facets

    async def _feature(self, span: FacetSpan) -> Mapping[str, str] | None:
        if span.kind == "link":
            return {"$type": "app.bsky.richtext.facet#link", "uri": span.value}
        if span.kind == "tag":
            return {"$type": "app.bsky.richtext.facet#tag", "tag": span.value}
        did = span.value if span.value.startswith("did:") else await self._resolve(span.value)
        return {"$type": "app.bsky.richtext.facet#mention", "did": did} if did else None

    async def _resolve(self, handle: str) -> str | None:
        try:
            found = await self._send(
                "GET", "com.atproto.identity.resolveHandle", params={"handle": handle}
            )
        except BlueskyPermanentError:
            return None
        return str(found["did"])
